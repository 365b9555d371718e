from . import test_ladder_core
from . import test_exclusion_hook
from . import test_dunning_run
