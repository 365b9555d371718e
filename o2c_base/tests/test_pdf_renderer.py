import io
import os
import socket
import tempfile

from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .pdf_case import FOOTER, PdfReportCase, pdf_page_texts, pdf_pages, pdf_text, squash

ARCH = """
<t t-name="o2c_base.test_statement">
    <t t-call="web.html_container">
        <t t-foreach="docs" t-as="o">
            <t t-call="web.external_layout">
                <div class="page">
                    <h2>Statement of <span t-out="o.name"/></h2>
                    <t t-out="extra or ''"/>
                    <table class="table table-sm">
                        <thead><tr><th>Document</th><th class="text-end">Amount</th></tr></thead>
                        <tbody>
                            <tr t-foreach="range((rows or {}).get(str(o.id), 5))" t-as="row">
                                <td>Line <t t-out="row + 1"/> of <t t-out="o.name"/></td>
                                <td class="text-end"><t t-out="(row + 1) * 10"/>.00</td>
                            </tr>
                        </tbody>
                    </table>
                    <p>End of the statement of <span t-out="o.name"/></p>
                </div>
            </t>
        </t>
    </t>
</t>
"""


def create_statement_report(env):
    """A partner statement report on Odoo's external layout (its rows per partner id in `data`)."""
    env["ir.ui.view"].create(
        {"name": "o2c_base.test_statement", "type": "qweb", "key": "o2c_base.test_statement", "arch": ARCH}
    )
    return env["ir.actions.report"].create(
        {
            "name": "Test statement",
            "model": "res.partner",
            "report_type": "qweb-pdf",
            "report_name": "o2c_base.test_statement",
            "attachment": "'statement-%s.pdf' % object.id",
            "attachment_use": False,
        }
    )


@tagged("post_install", "-at_install")
class TestPdfRenderer(PdfReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = create_statement_report(cls.env)
        cls.short, cls.long = cls.env["res.partner"].create([{"name": "Alpha Négoce"}, {"name": "Beta Industrie"}])

    def _print(self, partners, rows=None, extra=None):
        data = {"rows": {str(partner.id): count for partner, count in (rows or {}).items()}, "extra": extra}
        return self.render_pdf(self.report, partners.ids, data=data)

    def test_chromium_prints_when_wkhtmltopdf_lacks_patched_qt(self):
        Report = self.env["ir.actions.report"]
        self.assertEqual(Report._o2c_pdf_renderer(), "chromium")
        self.assertEqual(Report.get_wkhtmltopdf_state(), "ok")

    def test_one_record_has_the_letterhead_footer_page_numbers_and_real_text(self):
        pdf = self._print(self.short)
        self.assertEqual(len(pdf_pages(pdf)), 1)
        text = squash(pdf_text(pdf))
        self.assertIn("Statement of Alpha Négoce", text)
        self.assertIn("Mobilier Durand & Fils SAS", text, "the seller's name in the header")
        self.assertIn("12 rue de la Charité", text, "the seller's address in the header")
        self.assertIn("69002 Lyon", text)
        self.assertIn(FOOTER, text, "legal form, capital, RCS, SIREN and VAT in the footer")
        self.assertRegex(text, r"Page 1 / 1")

    def test_a_long_record_numbers_its_pages_and_repeats_header_and_footer(self):
        pdf = self._print(self.long, rows={self.long: 150})
        pages = pdf_page_texts(pdf)
        self.assertGreaterEqual(len(pages), 3)
        for number, text in enumerate(pages, start=1):
            self.assertIn("Mobilier Durand & Fils SAS 12 rue de la Charité", text, f"header on page {number}")
            self.assertIn(FOOTER, text, f"footer on page {number}")
            self.assertIn(f"Page {number} / {len(pages)}", text)
        rows = [f"Line {row} of Beta Industrie" for row in range(1, 151)]
        self.assertEqual([row for row in rows if row not in " ".join(pages)], [], "no row lost at the page breaks")

    def test_several_records_in_one_print_each_numbered_and_saved_apart(self):
        pdf = self._print(self.short | self.long, rows={self.long: 150})
        total = len(pdf_pages(pdf))
        long_pages = total - 1
        self.assertGreaterEqual(long_pages, 3)
        text = squash(pdf_text(pdf))
        self.assertIn("Page 1 / 1", text, "the short statement counts its own page")
        self.assertIn(f"Page {long_pages} / {long_pages}", text, "the long statement counts its own pages")
        # Odoo splits the print per record (its attachment option): one PDF per partner, with its own pages
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", (self.short | self.long).ids)]
        )
        pages_by_partner = {attachment.res_id: len(pdf_pages(attachment.raw)) for attachment in attachments}
        self.assertEqual(pages_by_partner, {self.short.id: 1, self.long.id: long_pages})
        self.assertIn(
            "Statement of Beta Industrie", pdf_text(attachments.filtered(lambda a: a.res_id == self.long.id).raw)
        )

    def test_landscape_paper_format_and_its_margins_are_kept(self):
        paperformat = self.env.ref("base.paperformat_euro").copy({"name": "A4 landscape", "orientation": "Landscape"})
        self.report.paperformat_id = paperformat
        pdf = self._print(self.short)
        box = pdf_pages(pdf)[0].mediabox
        width_mm, height_mm = float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72
        self.assertAlmostEqual(width_mm, 297, delta=1)
        self.assertAlmostEqual(height_mm, 210, delta=1)
        self.assertIn(FOOTER, squash(pdf_text(pdf)))

    def test_a_200_page_statement_renders_within_the_memory_cap(self):
        self.env["ir.config_parameter"].sudo().set_param("o2c_base.pdf_memory_limit_mb", 1024)
        pdf = self._print(self.long, rows={self.long: 4700})
        pages = pdf_page_texts(pdf)
        self.assertGreaterEqual(len(pages), 200)
        self.assertIn(f"Page {len(pages)} / {len(pages)}", pages[-1])
        self.assertIn("Line 4700 of Beta Industrie", pages[-1])
        self.assertIn(FOOTER, pages[-1])

    def test_a_renderer_over_its_memory_cap_is_stopped_with_a_clear_message(self):
        self.env["ir.config_parameter"].sudo().set_param("o2c_base.pdf_memory_limit_mb", 40)
        with self.assertRaisesRegex(UserError, "memory cap of 40 MB"):
            self._print(self.short)

    def test_local_files_never_reach_the_pdf(self):
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as handle:
            handle.write("<p>SECRET-LOCAL-FILE-0451</p>")
        self.addCleanup(os.unlink, handle.name)
        extra = Markup('<iframe src="file://%s"></iframe><object data="file://%s"></object>') % (
            handle.name,
            handle.name,
        )
        text = pdf_text(self._print(self.short, extra=extra))
        self.assertNotIn("SECRET-LOCAL-FILE-0451", text)
        self.assertIn("Statement of Alpha Négoce", text)

    def test_forcing_wkhtmltopdf_takes_odoo_own_path(self):
        # wkhtmltopdf fetches the stylesheets from the report URL, with no time limit: the test server would
        # build them in another transaction, held until this one ends by the renamed company. A closed port
        # answers at once; only the path taken is checked here.
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed_port = sock.getsockname()[1]
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{closed_port}")
        self.env["ir.config_parameter"].sudo().set_param("o2c_base.pdf_renderer", "wkhtmltopdf")
        producer = PdfReader(io.BytesIO(self._print(self.short))).metadata["/Producer"]
        self.assertIn("Qt", producer, "wkhtmltopdf's PDF (produced by Qt)")
        self.env["ir.config_parameter"].sudo().set_param("o2c_base.pdf_renderer", "auto")
        producer = PdfReader(io.BytesIO(self._print(self.short))).metadata["/Producer"]
        self.assertIn("Chromium", producer)


@tagged("post_install", "-at_install")
class TestPdfDownload(HttpCase):
    def test_print_button_of_the_web_client_downloads_the_pdf_with_its_letterhead(self):
        self.env.company.write({"name": "Mobilier Durand & Fils SAS", "report_footer": FOOTER})
        report = create_statement_report(self.env)
        partner = self.env["res.partner"].create({"name": "Gamma Bois"})
        # A report request is read-only: it finds the stylesheet bundles a first print stored (under HttpCase
        # the server cannot build them meanwhile: the request holds the test cursor).
        self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(report, partner.ids)
        self.authenticate("admin", "admin")
        # the request holds the test cursor: the browser must get the report's stylesheets without it
        response = self.url_open(
            f"/report/pdf/o2c_base.test_statement/{partner.id}?context=%7B%22force_report_rendering%22%3A%20true%7D",
            timeout=120,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        text = squash(pdf_text(response.content))
        self.assertIn("Statement of Gamma Bois", text)
        self.assertIn("Mobilier Durand & Fils SAS", text)
        self.assertIn(FOOTER, text)
        self.assertIn("Page 1 / 1", text)
