from . import o2c_einvoice_status_wizard
from . import o2c_einvoice_cdar_import
