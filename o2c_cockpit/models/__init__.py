from . import o2c_cockpit_figure
from . import o2c_cockpit_level_effect
from . import o2c_cockpit_cashin_week
from . import o2c_cockpit_health_check
from . import o2c_cockpit_health_finding
