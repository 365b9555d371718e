from . import test_allocation
from . import test_errors
from . import test_money
from . import test_pdf_renderer
from . import test_safe_xml
from . import test_statistics
