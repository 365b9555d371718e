from . import test_ladder_core
from . import test_exclusion_hook
from . import test_dunning_run
from . import test_faults
from . import test_concurrency
from . import test_rendering
from . import test_worklist_tour
