from . import test_access_rights
from . import test_figures_core
from . import test_aged_balance
