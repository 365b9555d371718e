import facturx

from odoo.tests import tagged

from .common import EinvoiceHttpCase


@tagged("post_install", "-at_install")
class TestEinvoiceTour(EinvoiceHttpCase):
    def test_post_with_failed_check_fix_and_download_facturx_from_portal(self):
        self.company.o2c_einvoice_check_mode = "blocking"
        customer = self.customer.copy({"company_registry": False, "vat": False, "o2c_einvoice_address": False})
        move = self.make_invoice(partner=customer)
        self.start_tour(f"/odoo/account.move/{move.id}", "o2c_einvoice_post_tour", login=self.env.user.login)
        self.assertEqual(move.state, "posted")
        self.assertEqual((customer.company_registry, customer.vat), ("552100554", "FR96552100554"))
        self.assertEqual(customer.o2c_einvoice_address, "552100554")
        # The legal PDF is issued here rather than inside the portal request: under HttpCase a request holds the
        # test cursor, and wkhtmltopdf's own asset requests to the same server would wait for it forever.
        move.with_context(force_report_rendering=True)._o2c_einvoice_generate()
        self.start_tour(move.get_portal_url(), "o2c_einvoice_portal_tour", login=self.env.user.login)
        filename, xml = facturx.get_facturx_xml_from_pdf(move.invoice_pdf_report_id.raw, check_xsd=True)
        self.assertEqual(filename, "factur-x.xml")
        self.assertIn(b"552100554", xml)
