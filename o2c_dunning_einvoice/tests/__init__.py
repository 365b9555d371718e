from . import test_charges_invoice
from . import test_payment_sent_pause
