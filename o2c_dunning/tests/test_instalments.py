"""An invoice payable in instalments (issue 13 item 4): each instalment is its own receivable line, reminded on
its own due date for its own amount; the invoice's level is its most advanced instalment's."""

from datetime import timedelta

from odoo import Command
from odoo.addons.o2c_dunning.core.interest import half_year_start
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestInstalments(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = cls.env["account.payment.term"].create(
            {
                "name": "30 % at order, the rest at 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 30}),
                ],
            }
        )

    def _instalment_invoice(self, partner, amount, days_ago):
        """A posted invoice of `amount` under the two-instalment terms, dated `days_ago` days ago: 30 % due
        that day, 70 % 30 days later. Returns (invoice, first instalment line, second instalment line)."""
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": self.today - timedelta(days=days_ago),
                "invoice_payment_term_id": self.terms.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Machine", "price_unit": amount, "tax_ids": [], "account_id": self.income_account.id}
                    )
                ],
            }
        )
        move.action_post()
        first, second = move.line_ids.filtered(lambda line: line.display_type == "payment_term").sorted("date_maturity")
        return move, first, second

    def test_first_instalment_late_is_reminded_for_its_amount_only_and_the_level_follows_the_most_advanced(self):
        customer = self._customer("Iota Machines")
        invoice, first, second = self._instalment_invoice(customer, 1000.0, 3)
        self.assertEqual((first.date_maturity, first.balance), (self.today - timedelta(days=3), 300.0))
        self.assertEqual((second.date_maturity, second.balance), (self.today + timedelta(days=27), 700.0))
        self.assertEqual(invoice.invoice_date_due, second.date_maturity, "Odoo's due date is the last instalment's")

        self._run()
        comm = self._comms(customer)
        self.assertEqual(comm.level_id, self.first, "the first instalment is 3 days late: first reminder")
        self.assertEqual(comm.state, "sent")
        self.assertEqual((comm.invoice_count, comm.amount_dunned), (1, 300.0), "the instalment due, not 1,000")
        line = comm.dunned_line_ids
        self.assertEqual(line.move_id, invoice)
        self.assertEqual(line.move_line_id, first)
        self.assertEqual(line.name, f"{invoice.name} (1/2)")
        self.assertEqual((line.date_due, line.days_overdue), (first.date_maturity, 3))
        self.assertEqual((line.amount_total, line.amount_residual), (300.0, 300.0))
        self.assertEqual((invoice.o2c_dunning_level_id, first.o2c_dunning_level_id), (self.first, self.first))
        self.assertFalse(second.o2c_dunning_level_id)
        # The statement the letter carries lists the instalments, each with its due date and amount.
        statement = self.env["o2c.dunning.statement"]._o2c_statement(customer, self.company, self.today, [invoice.id])
        self.assertEqual(
            [(item["date_due"], item["residual"], item["kind"], item["marked"]) for item in statement["items"]],
            [(first.date_maturity, 300.0, "overdue", True), (second.date_maturity, 700.0, "not_due", True)],
        )
        self.assertEqual((statement["totals"]["overdue"], statement["totals"]["not_due"]), (300.0, 700.0))
        self.assertEqual((comm.amount_overdue, comm.amount_not_due), (300.0, 700.0), "the letter's totals")
        # Next action: the first instalment's second reminder (due + 10), before the second's courteous one.
        self.assertEqual(invoice.o2c_dunning_next_date, first.date_maturity + timedelta(days=10))

        # 23 days later: the first instalment is 26 days late (second reminder due), the second falls due in
        # 4 days (courteous reminder, 5 days before): one letter at the most advanced level, each at its own.
        self._run(days=23)
        later = self._comms(customer) - comm
        self.assertEqual(later.level_id, self.second)
        self.assertEqual(
            {(line.move_line_id, line.level_id, line.amount_residual) for line in later.dunned_line_ids},
            {(first, self.second, 300.0), (second, self.courteous, 700.0)},
        )
        self.assertEqual(later.amount_dunned, 1000.0)
        self.assertEqual(invoice.o2c_dunning_level_id, self.second, "the most advanced instalment's level")
        self.assertEqual((first.o2c_dunning_level_id, second.o2c_dunning_level_id), (self.second, self.courteous))

    def test_a_paid_first_instalment_means_no_reminder_until_the_second_is_due(self):
        customer = self._customer("Kappa Outils")
        invoice, first, second = self._instalment_invoice(customer, 1000.0, 3)
        self._pay(invoice, 300.0)
        self.assertEqual((first.amount_residual, second.amount_residual), (0.0, 700.0))
        self.assertEqual(invoice.payment_state, "partial")

        self.assertFalse(self._run()["created"], "the instalment due is paid; the rest is not due for 27 days")
        self.assertFalse(self._run(days=21)["created"], "not even the courteous reminder yet (5 days before)")
        self.assertEqual(invoice.o2c_dunning_next_date, second.date_maturity - timedelta(days=5))
        self._run(days=28)
        comm = self._comms(customer)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.level_id, self.first, "the second instalment is 1 day late: its own first reminder")
        self.assertEqual(
            [
                (line.move_line_id, line.date_due, line.days_overdue, line.amount_residual)
                for line in comm.dunned_line_ids
            ],
            [(second, second.date_maturity, 1, 700.0)],
        )
        self.assertEqual(comm.amount_dunned, 700.0)

    def test_a_paid_instalment_is_dropped_from_the_reminder_before_it_is_sent(self):
        customer = self._customer("Lambda Presses")
        invoice, first, second = self._instalment_invoice(customer, 1000.0, 3)
        self.company.o2c_dunning_auto_send = False
        self._run()
        comm = self._comms(customer)
        self.assertEqual((comm.state, comm.amount_dunned), ("draft", 300.0))
        self._pay(invoice, 300.0)
        comm.action_send()
        self.assertEqual(comm.state, "cancelled", "the instalment it claimed is paid")
        self.assertFalse(first.o2c_dunning_level_id)

    def test_formal_notice_charges_interest_per_instalment_and_one_indemnity_per_invoice(self):
        Rates = self.env["o2c.dunning.interest.rate"]
        start = half_year_start(self.today - timedelta(days=40))
        for day in {start, half_year_start(self.today)}:
            rates = Rates.search([("date_start", "=", day)]) or Rates.create(
                {"date_start": day, "ecb_rate": 0.0, "legal_rate_professional": 0.0, "legal_rate_individual": 0.0}
            )
            rates.write({"ecb_rate": 2.15, "legal_rate_professional": 2.62, "legal_rate_individual": 6.67})
        self.company.o2c_dunning_interest_margin = 10.0
        customer = self._customer("Mu Robotique")
        invoice, first, second = self._instalment_invoice(customer, 1000.0, 40)
        first.o2c_dunning_level_id = self.call  # the first instalment had its phone call
        self._run(send=False)
        notice = self._comms(customer)
        self.assertEqual(notice.level_id, self.notice)
        lines = {line.move_line_id: line for line in notice.dunned_line_ids}
        self.assertEqual(lines[first].level_id, self.notice, "40 days late, after its phone call")
        self.assertEqual(lines[second].level_id, self.first, "10 days late, never reminded")
        # 12.15 % (2.15 + 10 points; 3 x 2.62 = 7.86 is lower): 300 x 12.15 % x 40 / 365 = 3.99;
        # 700 x 12.15 % x 10 / 365 = 2.33. The €40 is due once for the invoice, not per instalment.
        self.assertEqual((lines[first].amount_indemnity, lines[first].amount_interest), (40.0, 3.99))
        self.assertEqual((lines[second].amount_indemnity, lines[second].amount_interest), (0.0, 2.33))
        self.assertEqual((notice.amount_indemnity, notice.amount_interest, notice.amount_dunned), (40.0, 6.32, 1000.0))
        notice.action_send()
        self.assertEqual(invoice.o2c_dunning_level_id, self.notice)
        self.assertEqual((first.o2c_dunning_level_id, second.o2c_dunning_level_id), (self.notice, self.first))
