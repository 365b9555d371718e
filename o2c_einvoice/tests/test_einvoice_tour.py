import facturx

from odoo.tests import HttpCase, tagged

from .common import EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceTour(HttpCase, EinvoiceCase):
    def test_post_with_failed_check_fix_and_download_facturx_from_portal(self):
        self.company.o2c_einvoice_check_mode = "blocking"
        customer = self.customer.copy({"company_registry": False, "vat": False, "o2c_einvoice_address": False})
        move = self.make_invoice(partner=customer)
        self.start_tour(f"/odoo/account.move/{move.id}", "o2c_einvoice_tour", login="admin")
        self.assertEqual(move.state, "posted")
        self.assertEqual((customer.company_registry, customer.vat), ("552100554", "FR96552100554"))
        self.assertEqual(customer.o2c_einvoice_address, "552100554")
        self.assertTrue(move.invoice_pdf_report_id, "the portal download issued the legal Factur-X")
        filename, xml = facturx.get_facturx_xml_from_pdf(move.invoice_pdf_report_id.raw, check_xsd=True)
        self.assertEqual(filename, "factur-x.xml")
        self.assertIn(b"552100554", xml)
