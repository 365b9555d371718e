from . import o2c_cockpit_aged_balance
