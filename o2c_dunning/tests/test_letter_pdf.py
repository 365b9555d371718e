"""The PDFs a French company sends: Odoo's invoice, the reminder letter and the formal notice carry the
letterhead (seller, address), the legal footer (legal form, capital, RCS, SIREN, VAT), the recipient's
postal address and real text."""

from odoo.addons.o2c_base.tests.pdf_case import FOOTER, SIREN, PdfReportCase, pdf_page_texts, pdf_text, squash
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestLetterPdf(PdfReportCase, DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.customer = cls._customer(
            "Zeta Menuiserie", lang="fr_FR", street="3 rue des Lilas", zip="69003", city="Lyon",
            country_id=cls.env.ref("base.fr").id,
        )  # fmt: skip
        cls.invoice = cls._invoice(cls.customer, 1800.0, 2)

    def _letter(self, comm):
        return squash(pdf_text(self.render_pdf("o2c_dunning.action_report_dunning_letter", comm.ids)))

    def _formal_notice(self, invoice):
        invoice.o2c_dunning_level_id = self.call
        self._run(days=28, send=False)
        notice = self._comms(invoice.partner_id).filtered("is_formal_notice")
        self.assertEqual(notice.level_id, self.notice)
        return notice

    def assertLetterhead(self, text):
        self.assertIn("Mobilier Durand & Fils SAS", text, "the seller's name")
        self.assertIn("12 rue de la Charité 69002 Lyon", text, "the seller's address in the letterhead")
        self.assertIn(FOOTER, text, "legal form, capital, RCS, SIREN and VAT in the footer")
        self.assertIn(SIREN, text)

    def test_odoo_invoice_pdf_has_the_letterhead_the_legal_footer_and_the_invoice_number(self):
        pdf = self.render_pdf("account.account_invoices", self.invoice.ids)
        text = squash(pdf_text(pdf))
        self.assertLetterhead(text)
        self.assertIn(self.invoice.name, text)
        self.assertIn("Zeta Menuiserie 3 rue des Lilas 69003 Lyon", text, "the customer's address")
        self.assertIn("Page 1 / 1", text)

    def test_reminder_letter_pdf_has_the_letterhead_the_customer_address_and_the_invoice(self):
        self._run(send=False)
        reminder = self._comms(self.customer)
        self.assertEqual(reminder.level_id, self.first)
        text = self._letter(reminder)
        self.assertLetterhead(text)
        self.assertIn("Zeta Menuiserie 3 rue des Lilas 69003 Lyon", text)
        self.assertIn("Relance", text)
        self.assertIn(self.invoice.name, text)

    def test_formal_notice_to_a_contact_without_street_carries_the_customer_address(self):
        contact = self.env["res.partner"].create(
            {"name": "Paul Martin", "parent_id": self.customer.id, "type": "invoice", "email": "paul@example.com"}
        )
        contact.write({"street": False, "city": False, "zip": False})
        self.customer.o2c_dunning_contact_id = contact
        notice = self._formal_notice(self.invoice)
        self.assertEqual(notice.contact_id, contact)
        pages = pdf_page_texts(self.render_pdf("o2c_dunning.action_report_dunning_letter", notice.ids))
        text = " ".join(pages)
        self.assertLetterhead(pages[0])
        self.assertIn("Mise en demeure", text)
        self.assertIn("Zeta Menuiserie 3 rue des Lilas 69003 Lyon France", pages[0], "the customer's full address")
        self.assertIn("Paul Martin", pages[0])
        self.assertNotIn("For the attention of", text, "the French letter has no English left")
        self.assertIn("Madame, Monsieur,", text, "a French business letter's salutation")
        self.assertIn(self.invoice.name, text)
        self.assertIn("D441-5", text)
        notice._o2c_send()
        self.assertEqual(notice.state, "sent", notice.error_message)
        self.assertTrue(notice.attachment_id.raw.startswith(b"%PDF"))

    def test_formal_notice_without_any_postal_address_stops_with_a_message_in_the_worklist(self):
        nowhere = self._customer("Omega Sans Adresse", lang="fr_FR", street=False, zip=False, city=False)
        invoice = self._invoice(nowhere, 700.0, 2)
        notice = self._formal_notice(invoice)
        notice._o2c_send()
        self.assertEqual(notice.state, "failed")
        self.assertIn("postal address", notice.with_context(lang="en_US").error_message)
        self.assertIn("Omega Sans Adresse", notice.error_message)
        self.assertFalse(notice.attachment_id, "no letter without an address")
        worklist = self.Comm.search([("state", "=", "failed"), ("partner_id", "=", nowhere.id)])
        self.assertEqual(worklist, notice, "the collector finds it among the reminders not sent")
        self.assertEqual(invoice.o2c_dunning_level_id, self.call, "the invoice has not reached the formal notice")
