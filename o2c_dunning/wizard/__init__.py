from . import o2c_dunning_run_wizard
