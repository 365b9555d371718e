from . import o2c_cashmatch_import_wizard
from . import o2c_cashmatch_pick_wizard
