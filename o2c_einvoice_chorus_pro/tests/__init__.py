from . import test_chorus_pro_facturx
