"""The customer statement PDF (printed from the customer, downloaded on the portal, carried by the letters):
the open invoices, credit notes and unapplied payments with their amounts, the totals and net balance,
the company letterhead, in the customer's language; its cost does not grow with the customer's items."""

import subprocess
import tempfile

from odoo.addons.o2c_base.tests.pdf_case import FOOTER, PdfReportCase, pdf_text, squash
from odoo.tests import tagged
from odoo.tools import format_date

from .common import DunningCase

STATEMENT = "o2c_dunning.action_report_customer_statement"


@tagged("post_install", "-at_install")
class TestStatementPdf(PdfReportCase, DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer(
            "Omega Traiteur", street="3 rue des Lilas", zip="69003", city="Lyon", country_id=cls.env.ref("base.fr").id
        )
        cls.overdue = cls._invoice(cls.customer, 1234.5, 12)
        cls.not_due = cls._invoice(cls.customer, 800.0, -20)
        cls.credit_note = cls._invoice(cls.customer, 150.0, 0, move_type="out_refund")
        cls.partly_paid = cls._invoice(cls.customer, 600.0, 3)
        cls._pay(cls.partly_paid, 250.0)

    def _statement_rows(self, partner):
        """The statement's lines as pdftotext -layout keeps them (one table row a line), spaces squashed."""
        pdf = self.render_pdf(STATEMENT, partner.ids)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            layout = subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True)
        return [squash(line).replace("\ufeff", "") for line in layout.stdout.decode().splitlines() if line.strip()]

    def assertRow(self, rows, *cells):
        """One line of the statement holds `cells` in that order."""
        for row in rows:
            position = 0
            for cell in cells:
                position = row.find(cell, position)
                if position < 0:
                    break
                position += len(cell)
            else:
                return
        self.fail(f"no statement line with {cells}: {rows}")

    def _statement_text(self, partner):
        # Odoo keeps a negative amount's sign with its digits by a zero-width no-break space
        return squash(pdf_text(self.render_pdf(STATEMENT, partner.ids))).replace("\ufeff", "")

    def test_statement_lists_each_open_item_with_its_amounts_and_the_net_balance(self):
        text = self._statement_text(self.customer)
        self.assertIn("Mobilier Durand & Fils SAS", text, "the letterhead")
        self.assertIn(FOOTER, text)
        self.assertIn("Omega Traiteur 3 rue des Lilas 69003 Lyon", text, "the customer's address")
        self.assertIn("Customer statement", text)
        rows = self._statement_rows(self.customer)
        due = format_date(self.env, self.overdue.invoice_date_due)
        self.assertRow(rows, self.overdue.name, "Overdue invoice", due, " 12 ", "1,234.50 €", "1,234.50 €")
        self.assertRow(rows, self.partly_paid.name, "Overdue invoice", " 3 ", "600.00 €", "350.00 €")
        self.assertRow(rows, self.not_due.name, "Invoice not yet due", "800.00 €", "800.00 €")
        self.assertRow(rows, self.credit_note.name, "Credit note", "-150.00 €", "-150.00 €")
        self.assertIn("Overdue 1,584.50 €", text, "1,234.50 + 350")
        self.assertIn("Not yet due 800.00 €", text)
        self.assertIn("Credit notes and payments -150.00 €", text)
        self.assertIn("Net balance 2,234.50 €", text, "1,584.50 + 800 - 150")
        self.assertNotIn("of which in dispute", text, "o2c_dunning alone knows no dispute")

    def test_unapplied_payment_is_on_the_statement(self):
        payment = self.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id, "amount": 99.0}
        )
        payment.action_post()
        text = self._statement_text(self.customer)
        self.assertRow(self._statement_rows(self.customer), payment.move_id.name, "Unapplied payment", "-99.00 €")
        self.assertIn("Credit notes and payments -249.00 €", text)
        self.assertIn("Net balance 2,135.50 €", text)

    def test_statement_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        text = self._statement_text(self.customer)
        self.assertIn("Relevé de compte", text)
        self.assertIn("Facture échue", text)
        self.assertIn("Solde net 2 234,50 €", text.replace("\u202f", " ").replace("\xa0", " "))

    def test_statement_is_printable_from_the_customer_form(self):
        action = self.env.ref(STATEMENT)
        self.assertEqual(action.binding_model_id.model, "res.partner", "in the customer's Print menu")
        self.assertEqual(action.groups_id, self.env.ref("account.group_account_invoice"), "for invoicing users")
        self.assertEqual(action.report_name, "o2c_dunning.report_customer_statement")
        self.assertEqual(action.print_report_name, "'Statement - %s' % (object.commercial_partner_id.name)")

    def test_reminder_email_links_to_the_account_and_its_letter_prints_the_same_statement(self):
        self._run()
        reminder = self._comms(self.customer)
        self.assertEqual((reminder.level_id, reminder.state, reminder.channel), (self.first, "sent", "email"))
        body = reminder.mail_id.body_html
        self.assertIn(f"/my/balance/reminder/{reminder.id}?access_token={reminder.access_token}", body)
        self.assertTrue(reminder.access_token)
        self.assertIn(reminder.attachment_id, reminder.mail_id.attachment_ids)
        letter = squash(pdf_text(reminder.attachment_id.raw)).replace("\ufeff", "")
        statement = self._statement_text(self.customer)
        for total in ("Overdue 1,584.50 €", "Not yet due 800.00 €", "Credit notes and payments -150.00 €",
                      "Net balance 2,234.50 €"):  # fmt: skip
            self.assertIn(total, letter)
            self.assertIn(total, statement)
        self.assertIn(f"{self.overdue.name} *", letter, "the letter marks the invoices it is about")
        self.assertNotIn(f"{self.overdue.name} *", statement)

    def test_statement_and_account_queries_do_not_grow_with_the_items(self):
        few = self._customer("Few Items")
        many = self._customer("Many Items")
        for partner, count in ((few, 4), (many, 24)):
            for index in range(count):
                self._invoice(partner, 100.0 + index, 30 - 2 * index)
        Statement = self.env["o2c.dunning.statement"]
        report = self.env["ir.actions.report"].with_context(force_report_rendering=False)
        report._render_qweb_html(STATEMENT, self.customer.ids)  # templates and layout loaded once
        Statement._o2c_portal_account(self.customer, self.company)
        counts = {}
        for partner in (few, many):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            account = Statement._o2c_portal_account(partner, self.company)
            report._render_qweb_html(STATEMENT, partner.ids)
            counts[partner.name] = self.env.cr.sql_log_count - start
            self.assertEqual(len(account["items"]), 4 if partner == few else 24)
        self.assertEqual(counts["Few Items"], counts["Many Items"], counts)
