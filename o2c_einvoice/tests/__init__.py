from . import test_facturx_core
from . import test_facturx_invoice
from . import test_facturx_pdf
from . import test_lifecycle_status
from . import test_batch_and_access
from . import test_einvoice_tour
from . import test_concurrency
from . import test_untrusted_xml
