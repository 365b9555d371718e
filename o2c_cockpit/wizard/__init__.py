from . import o2c_cockpit_aged_balance_line
from . import o2c_cockpit_aged_balance_customer
from . import o2c_cockpit_aged_balance
from . import o2c_cockpit_customer_quality
