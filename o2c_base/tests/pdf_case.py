"""Shared by the suite's PDF tests: real rendering (not Odoo's HTML fallback of test mode), stylesheets
and images served by the test server, a French letterhead, and the text of a PDF as a user copies it."""

import io
import subprocess
import tempfile

from odoo.tests import TransactionCase
from odoo.tools import config
from odoo.tools.pdf import PdfReader

SIREN = "552100554"
VAT = "FR96552100554"
FOOTER = f"SAS au capital de 150 000 € – RCS Lyon {SIREN} – TVA intracommunautaire {VAT}"


def pdf_text(pdf):
    """The text of a PDF as pdftotext extracts it (what a user copies or searches), pages separated by
    form feeds."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True)
    return result.stdout.decode()


def squash(text):
    """`text` with every run of white space as one space: a line the layout wraps reads as one."""
    return " ".join(text.split())


def pdf_page_texts(pdf):
    """The text of each page of a PDF, as pdftotext extracts it, white space squashed."""
    return [squash(page) for page in pdf_text(pdf).split("\f")[:-1]]


def pdf_pages(pdf):
    """The PDF's pages (pypdf page objects)."""
    return PdfReader(io.BytesIO(pdf)).pages


class PdfReportCase(TransactionCase):
    """A French SME's letterhead on the company; reports render for real against the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        # The browser fetches Odoo's report stylesheets from the server that runs beside the tests.
        cls.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Mobilier Durand & Fils SAS",
                "street": "12 rue de la Charité",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "vat": VAT,
                "company_registry": SIREN,
                "report_footer": FOOTER,
            }
        )

    def render_pdf(self, report_ref, res_ids, data=None):
        """Render a QWeb report to PDF as the print button does; returns the PDF bytes."""
        pdf, kind = self.env["ir.actions.report"]._render_qweb_pdf(report_ref, res_ids, data=data)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf
