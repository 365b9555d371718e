from . import o2c_cockpit_health_check
from . import o2c_cockpit_health_finding
