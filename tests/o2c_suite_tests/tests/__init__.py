from . import test_access_rights
from . import test_core_conventions
from . import test_demo_generator
from . import test_menu_tour
from . import test_translations
from . import test_odoo_runner
from . import test_order_to_cash_cycle
