"""In Chromium: a customer opens the link of its reminder email without a portal account, downloads its
statement and pays the overdue balance with the demo payment provider; the payment is reconciled with the
invoices and the next dunning run sends nothing to that customer."""

from odoo.tests import tagged

from .common import DunningHttpCase


@tagged("post_install", "-at_install")
class TestPortalPayTour(DunningHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_account("Tour Customer")

    def test_customer_pays_the_overdue_balance_from_the_reminder_link_and_the_next_run_sends_nothing(self):
        demo = self.env.ref("payment.payment_provider_demo").sudo()  # the administrator sets the providers up
        # With a bank journal of the test company: on a database where payment_demo was installed beside a
        # company that had one (as odoo-bin does it), the provider already holds that other company's journal.
        journal = self.company_data["default_journal_bank"]
        demo.write({"state": "test", "is_published": True, "company_id": self.company.id, "journal_id": journal.id})
        Comm = self.env["o2c.dunning.communication"]
        unpaid = self.env["res.partner"].create({"name": "Unpaid Customer", "is_company": True})
        self._invoice(unpaid, 800.0, 15)

        self.start_tour(self._link(self.reminder), "o2c_dunning_portal_pay_tour")

        transaction = self.env["payment.transaction"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.amount, 1500.0, "the overdue balance, the server's figure")
        self.assertEqual(transaction.invoice_ids, self.overdue_a | self.overdue_b)
        self.assertTrue(transaction.payment_id, "a payment was booked")
        self.assertEqual(transaction.payment_id.journal_id, journal, "in the provider's journal")
        for invoice in self.overdue_a | self.overdue_b:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)
        self.assertEqual(self.not_due.payment_state, "not_paid", "only the overdue invoices were paid")
        before = Comm.search([("partner_id", "=", self.customer.id)])
        created = Comm._o2c_run(companies=self.company, run_date=self.today, send=False)["created"]
        self.assertIn(unpaid, created.partner_id, "the run reminds a customer who did not pay")
        self.assertNotIn(self.customer, created.partner_id, "nothing for the customer who paid")
        self.assertEqual(Comm.search([("partner_id", "=", self.customer.id)]), before)
