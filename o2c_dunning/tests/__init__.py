from . import test_exclusion_hook
