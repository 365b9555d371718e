from . import test_sale_facturx
