"""o2c_dunning's customer statement and portal account with disputes: the disputed amounts are marked on the
statement, its total says how much is in dispute, and the customer's account lists its disputes."""

from odoo.tests import tagged

from .common import DisputeHttpCase


@tagged("post_install", "-at_install")
class TestStatementDisputes(DisputeHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.disputed = cls._invoice(cls.customer, [(cls.product, 10, 100.0)], days_overdue=10)  # 1 200
        cls.clean = cls._invoice(cls.customer, [(cls.product, 5, 100.0)], days_overdue=10)  # 600
        cls.dispute = cls._dispute(cls.disputed, 300.0)

    def test_statement_marks_the_disputed_amount_of_each_invoice(self):
        statement = self.env["o2c.dunning.statement"]._o2c_statement(self.customer, self.company)
        disputed = {item["move_id"]: item["disputed"] for item in statement["items"]}
        self.assertEqual(disputed, {self.disputed.id: 300.0, self.clean.id: 0.0})
        self.assertEqual(statement["totals"]["disputed"], 300.0)
        self.assertEqual(statement["totals"]["overdue"], 1800.0, "a disputed invoice stays on the statement")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("o2c_dunning.action_report_customer_statement", self.customer.ids)[0]
            .decode()
        )
        self.assertIn("(disputed)", html)
        self.assertIn("of which in dispute", html)

    def test_reminder_link_shows_the_customers_disputes(self):
        level = self.company.o2c_dunning_ladder_id.level_ids[:1]
        reminder = self.env["o2c.dunning.communication"].create(
            {"partner_id": self.customer.id, "company_id": self.company.id, "level_id": level.id,
             "run_date": self.today, "state": "sent", "channel": "email"}
        )  # fmt: skip
        page = self.url_open(reminder.get_portal_url()).text
        self.assertIn("Your disputes", page)
        self.assertIn(self.dispute.name, page)
        self.assertIn(f'href="/my/disputes/{self.dispute.id}"', page)
        self.assertIn("In dispute", page)
        other = self.env["o2c.dunning.communication"].create(
            {"partner_id": self.other_customer.id, "company_id": self.company.id, "level_id": level.id,
             "run_date": self.today, "state": "sent", "channel": "email"}
        )  # fmt: skip
        self.assertNotIn(self.dispute.name, self.url_open(other.get_portal_url()).text)
