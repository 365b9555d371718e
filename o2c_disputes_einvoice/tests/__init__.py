from . import test_dispute_status
