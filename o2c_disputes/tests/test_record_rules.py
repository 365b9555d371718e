"""The dispute record rules without a test elsewhere: a dispute handler of company A sees A's dispute reasons and
the reasons shared by every company, A's invoices in the dispute-rate report, and nothing of company B's."""

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DisputeCase


@tagged("post_install", "-at_install")
class TestDisputeRecordRules(DisputeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = create_second_company(cls.env, cls.company.currency_id)
        groups = "o2c_disputes.group_o2c_dispute_user"
        cls.user_a = new_test_user(cls.env, login="o2c_dispute_a", groups=groups, company_id=cls.company.id)
        cls.user_b = new_test_user(cls.env, login="o2c_dispute_b", groups=groups, company_id=cls.company_b.id)
        Reason = cls.env["o2c.dispute.reason"]
        cls.reason_a = Reason.create({"name": "Remise oubliée", "company_id": cls.company.id})
        cls.reason_b = Reason.create({"name": "Erreur de dépôt", "company_id": cls.company_b.id})
        cls.reason_shared = Reason.create({"name": "Litige transporteur", "company_id": False})
        cls.invoice_a = cls._invoice(cls.customer, [(cls.product, 2, 100.0)], days_overdue=5)
        cls._dispute(cls.invoice_a, 50.0, reason=cls.reason_a)
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        cls.invoice_b = env_b["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [Command.create({"name": "Carrelage", "price_unit": 400.0, "tax_ids": []})],
            }
        )
        cls.invoice_b.action_post()
        env_b["o2c.dispute"].create(
            {
                "partner_id": cls.customer.id,
                "invoice_ids": [Command.set(cls.invoice_b.ids)],
                "amount_disputed": 80.0,
                "reason_id": cls.reason_b.id,
            }
        )

    def test_dispute_reasons_are_the_company_s_own_and_the_shared_ones(self):
        reasons = self.reason_a | self.reason_b | self.reason_shared
        domain = [("id", "in", reasons.ids)]
        Reason = self.env["o2c.dispute.reason"]
        self.assertEqual(Reason.with_user(self.user_a).search(domain), self.reason_a | self.reason_shared)
        self.assertEqual(Reason.with_user(self.user_b).search(domain), self.reason_b | self.reason_shared)
        with self.assertRaises(AccessError):
            self.reason_b.with_user(self.user_a).read(["name"])

    def test_dispute_rate_report_shows_only_the_user_s_company_invoices(self):
        domain = [("move_id", "in", (self.invoice_a | self.invoice_b).ids)]
        Report = self.env["o2c.dispute.invoice.report"]
        self.assertEqual(len(Report.search(domain)), 2)
        seen_by_a = Report.with_user(self.user_a).search(domain)
        seen_by_b = Report.with_user(self.user_b).search(domain)
        self.assertEqual((seen_by_a.move_id, seen_by_a.is_disputed), (self.invoice_a, True))
        self.assertEqual((seen_by_b.move_id, seen_by_b.is_disputed), (self.invoice_b, True))
