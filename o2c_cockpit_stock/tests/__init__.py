from . import test_delivery_to_invoice
