from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import DisputeCase


@tagged("post_install", "-at_install")
class TestDisputeSuspendsDunning(DisputeCase):
    """Disputes seen by o2c_dunning's own run: a three-level ladder, reminders at due + 5, + 15 and + 30 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ladder = cls.env["o2c.dunning.ladder"].create(
            {
                "name": "Test ladder",
                "company_id": cls.company.id,
                "level_ids": [
                    # Phone levels: a reminder "sent" is a call to make, no mail server involved.
                    Command.create(
                        {
                            "name": name,
                            "sequence": seq,
                            "day_offset": offset,
                            "auto_send": False,
                            "send_email": False,
                            "create_call": True,
                        }
                    )
                    for seq, (name, offset) in enumerate(
                        [("Friendly reminder", 5), ("Second reminder", 15), ("Formal notice", 30)], start=1
                    )
                ],
            }
        )
        cls.level_1, cls.level_2, cls.level_3 = cls.ladder.level_ids.sorted("sequence")
        cls.company.o2c_dunning_ladder_id = cls.ladder
        cls.company.o2c_dunning_auto_send = False
        cls.customer.email = "compta@dubois.example"

    def _run(self, on):
        """Run the dunning of the company on date ``on``; return the new communications of our customer."""
        result = self.env["o2c.dunning.communication"]._o2c_run(companies=self.company, run_date=on, send=False)
        return result["created"].filtered(lambda c: c.partner_id == self.customer)

    def _reminded(self, communications, invoice):
        """The line reminding ``invoice`` in ``communications`` (empty when not reminded)."""
        return communications.dunned_line_ids.filtered(lambda line: line.move_id == invoice)

    def test_open_dispute_suspends_the_next_reminder_and_only_for_the_disputed_amount(self):
        fully = self._invoice(self.customer, [(self.product, 10, 100.0)], days_overdue=0)  # 1 200
        partly = self._invoice(self.customer, [(self.product, 10, 100.0)], days_overdue=0)  # 1 200
        untouched = self._invoice(self.customer, [(self.product, 5, 100.0)], days_overdue=0)  # 600
        self._dispute(fully, 1200.0)
        self._dispute(partly, 300.0)
        excluded = (fully | partly | untouched)._o2c_dunning_excluded()
        self.assertEqual(excluded, {fully.id: 1200.0, partly.id: 300.0, untouched.id: 0.0})

        communication = self._run(self.today + timedelta(days=6))
        self.assertEqual(communication.level_id, self.level_1)
        self.assertFalse(self._reminded(communication, fully), "a fully disputed invoice is not reminded")
        partly_line = self._reminded(communication, partly)
        self.assertEqual((partly_line.amount_residual, partly_line.amount_excluded), (1200.0, 300.0))
        self.assertTrue(self._reminded(communication, untouched))
        self.assertEqual(communication.amount_dunned, 900.0 + 600.0, "only the undisputed 900 of the 1 200")

    def test_excluded_amount_is_capped_at_the_residual_after_a_payment(self):
        invoice = self._invoice(self.customer, [(self.product, 10, 100.0)])
        self._dispute(invoice, 1000.0)
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": 500.0})
        )
        payment._create_payments()
        self.assertEqual(invoice.amount_residual, 700.0)
        self.assertEqual(invoice._o2c_dunning_excluded()[invoice.id], 700.0)

    def test_a_dispute_over_two_invoices_is_spread_oldest_first(self):
        older = self._invoice(self.customer, [(self.product, 5, 100.0)], days_overdue=20)  # 600
        newer = self._invoice(self.customer, [(self.product, 5, 100.0)], days_overdue=10)  # 600
        self._dispute(older | newer, 800.0)
        self.assertEqual((older | newer)._o2c_dunning_excluded(), {older.id: 600.0, newer.id: 200.0})

    def test_rejection_resumes_dunning_at_the_level_reached(self):
        invoice = self._invoice(self.customer, [(self.product, 10, 100.0)], days_overdue=0)
        first = self._run(self.today + timedelta(days=6))
        self.assertEqual(first.level_id, self.level_1)
        first.action_send()
        self.assertEqual(first.state, "sent")
        self.assertEqual(invoice.o2c_dunning_level_id, self.level_1)

        dispute = self._dispute(invoice, 1200.0)
        self.assertFalse(self._reminded(self._run(self.today + timedelta(days=16)), invoice), "suspended")
        self.assertFalse(self._reminded(self._run(self.today + timedelta(days=31)), invoice), "still suspended")

        dispute._o2c_resolve("rejected", root_cause=self.root_customer)
        resumed = self._run(self.today + timedelta(days=31))
        self.assertEqual(
            self._reminded(resumed, invoice).level_id,
            self.level_2,
            "the level after the one reached: not the first again, and not the formal notice though it is due by date",
        )
        self.assertEqual(resumed.amount_dunned, 1200.0)

    def test_acceptance_in_full_ends_dunning(self):
        invoice = self._invoice(self.customer, [(self.product, 10, 100.0)], days_overdue=0)
        self._dispute(invoice, 1200.0)._o2c_resolve("accepted", root_cause=self.root_pricing)
        self.assertFalse(self._reminded(self._run(self.today + timedelta(days=31)), invoice))
        self.assertEqual(invoice.payment_state, "reversed")

    def _count_queries(self, invoices):
        """(result, number of SQL queries) of the exclusion hook on ``invoices``, from a cold cache."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = invoices._o2c_dunning_excluded()
        return result, self.env.cr.sql_log_count - before

    def test_exclusion_costs_the_same_queries_for_3_or_12_invoices(self):
        invoices = self.env["account.move"]
        for index in range(12):
            invoice = self._invoice(self.customer, [(self.product, 1, 100.0)])
            self._dispute(invoice, 10.0 + index)
            invoices |= invoice
        self._count_queries(invoices[:1])  # the class's first call also fills Odoo's caches (access rules, fields)
        few, few_queries = self._count_queries(invoices[:3])
        many, many_queries = self._count_queries(invoices)
        self.assertEqual(few_queries, many_queries, "no query per invoice")
        self.assertEqual(many[invoices[11].id], 21.0)
        self.assertEqual(few, {invoice.id: 10.0 + index for index, invoice in enumerate(invoices[:3])})
