from . import sale_order
from . import o2c_einvoice_facturx_mapping
