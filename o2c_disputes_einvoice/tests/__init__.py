from . import test_dispute_status
from . import test_platform_dispute
