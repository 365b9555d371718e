from . import test_access_rights
from . import test_figures_core
from . import test_aged_balance
from . import test_master_data_core
from . import test_customer_quality
from . import test_figures
from . import test_health_check
