"""The Factur-X PDF/A-3 replaces Odoo's invoice PDF wherever it is sent, printed or downloaded."""

import io

import facturx
from lxml import etree
from pypdf import PdfReader

from odoo.addons.o2c_einvoice.facturx.pdf import describe_pdf, embed_xml
from odoo.tests import tagged

from .common import EinvoiceCase


@tagged("post_install", "-at_install")
class TestFacturxPdf(EinvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.make_invoice(post=True)
        # Print & Send as a user does it (manual sending: the legal PDF is generated and kept).
        cls.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
            cls.invoice, sending_methods=["manual"]
        )
        cls.pdf = cls.invoice.invoice_pdf_report_id.raw

    def test_facturx_round_trip_returns_our_xml_and_our_profile(self):
        expected = self.invoice._o2c_einvoice_prepare()[self.invoice]["xml"]
        filename, xml = facturx.get_facturx_xml_from_pdf(self.pdf, check_xsd=True)
        self.assertEqual(filename, "factur-x.xml")
        self.assertEqual(xml, expected)
        self.assertEqual(facturx.get_level(etree.fromstring(xml)), "en16931")
        self.assertEqual(self.invoice.o2c_einvoice_state, "done")
        self.assertEqual(self.invoice.o2c_einvoice_profile_used, "en16931")

    def test_pdf_is_pdfa3b_with_one_well_formed_embedded_xml(self):
        described = describe_pdf(self.pdf)
        self.assertEqual(described["pdfa_part"], "3")
        self.assertEqual(described["pdfa_conformance"], "B")
        self.assertEqual(described["conformance_level"], "EN 16931")
        self.assertEqual(described["output_intents"], ["/GTS_PDFA1"])
        self.assertEqual(described["unembedded_fonts"], [])
        xml_files = [file for file in described["files"] if file["name"] == "factur-x.xml"]
        self.assertEqual(len(xml_files), 1)
        self.assertEqual(len(described["files"]), 1, "no other XML (Odoo's own Factur-X) in the PDF")
        embedded = xml_files[0]
        self.assertEqual(embedded["afrelationship"], "/Data")
        self.assertEqual(embedded["subtype"], "/text/xml")
        self.assertEqual(embedded["checksum_length"], 16)
        self.assertTrue(embedded["checksum_ok"])
        self.assertEqual(int(embedded["size"]), len(embedded["data"]))

    def test_invoices_issued_in_one_print_each_get_their_own_facturx(self):
        # A batch prints its invoices at once and converts them to PDF/A-3 in one go: each must still hold
        # only its own pages and its own XML, as a valid PDF/A-3b.
        invoices = self.invoice.browse()
        for products in (self.goods, self.service, self.goods | self.service):
            invoices |= self.make_invoice(products, post=True)
        expected = invoices._o2c_einvoice_prepare()
        self.assertEqual(invoices.with_context(force_report_rendering=True)._o2c_einvoice_generate(), {})
        for invoice in invoices:
            pdf = invoice.invoice_pdf_report_id.raw
            described = describe_pdf(pdf)
            self.assertEqual((described["pdfa_part"], described["pdfa_conformance"]), ("3", "B"))
            self.assertEqual(described["output_intents"], ["/GTS_PDFA1"])
            self.assertEqual(described["unembedded_fonts"], [])
            _filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
            self.assertEqual(xml, expected[invoice]["xml"])
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            self.assertIn(invoice.name, text)
            for other in invoices - invoice:
                self.assertNotIn(other.name, text, "no page of another invoice")
            self.assertEqual(invoice.o2c_einvoice_state, "done")

    def test_download_portal_and_mail_get_the_facturx_and_no_second_xml(self):
        documents = self.invoice._get_invoice_legal_documents_all()
        self.assertEqual([doc["filetype"] for doc in documents], ["application/pdf"])
        self.assertEqual(documents[0]["content"], self.pdf)
        self.assertEqual(self.invoice._get_invoice_legal_documents("pdf")["content"], self.pdf)
        sender = self.env["account.move.send"]
        self.assertEqual(sender._get_invoice_extra_attachments(self.invoice), self.invoice.invoice_pdf_report_id)
        self.assertFalse(self.invoice.ubl_cii_xml_id)

    def test_other_attachments_given_to_the_library_are_kept(self):
        xml = self.invoice._o2c_einvoice_prepare()[self.invoice]["xml"]
        pdf = embed_xml(self.pdf, xml, "en16931", attachments={"cgv.pdf": {"filedata": b"%PDF-1.4 cgv"}})
        self.assertEqual(sorted(file["name"] for file in describe_pdf(pdf)["files"]), ["cgv.pdf", "factur-x.xml"])
