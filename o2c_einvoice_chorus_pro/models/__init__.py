from . import o2c_einvoice_facturx_mapping
