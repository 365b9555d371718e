"""Each credit record rule keeps a company's credit data to the users of that company: a credit manager of
company A sees A's rules, approvals, temporary limits, exposure and cash-in forecast, and none of company B's."""

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import O2cCreditCase

GROUPS = "o2c_credit.group_o2c_credit_manager,account.group_account_invoice,sales_team.group_sale_salesman"


@tagged("post_install", "-at_install")
class TestCreditRecordRules(O2cCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = create_second_company(cls.env, cls.currency)
        cls.company_b.write({"account_use_credit_limit": True, "o2c_credit_hold_orders": True})
        cls.user_a = new_test_user(cls.env, login="o2c_credit_a", groups=GROUPS, company_id=cls.company.id)
        cls.user_b = new_test_user(cls.env, login="o2c_credit_b", groups=GROUPS, company_id=cls.company_b.id)
        cls.records_a = cls._company_records(cls.env)
        cls.records_b = cls._company_records(
            cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        )

    @classmethod
    def _company_records(cls, env):
        """One record of each credit model in the current company of `env`, for the same customer."""
        company = env.company
        rule = env["o2c.credit.rule"].create(
            {"name": f"Blocage {company.name}", "action": "block", "use_over_limit": True}
        )
        limit = env["o2c.credit.limit.temporary"].create(
            {"partner_id": cls.customer.id, "amount": 20000.0, "date_end": cls.days(30), "reason": "Saison"}
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": cls.days(-40),
                "invoice_date_due": cls.days(-10),
                "invoice_line_ids": [
                    Command.create({"name": "Prestation", "quantity": 1, "price_unit": 1500.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        order = env["sale.order"].create({"partner_id": cls.customer.id})
        # sudo: approval requests are written by the credit check, never by a user.
        approval = (
            env["o2c.credit.approval"]
            .sudo()
            .create({"order_id": order.id, "partner_id": cls.customer.id, "company_id": company.id})
        )
        return {"rule": rule, "limit": limit, "invoice": invoice, "approval": approval.sudo(False)}

    def _visible(self, user, model, domain):
        return self.env[model].with_user(user).search(domain)

    def test_records_of_the_other_company_are_invisible_and_unreadable(self):
        for key, model in (
            ("rule", "o2c.credit.rule"),
            ("approval", "o2c.credit.approval"),
            ("limit", "o2c.credit.limit.temporary"),
        ):
            with self.subTest(model=model):
                self.assertEqual(self.records_a[key].company_id, self.company)
                self.assertEqual(self.records_b[key].company_id, self.company_b)
                both = self.records_a[key] | self.records_b[key]
                self.assertEqual(self._visible(self.user_a, model, [("id", "in", both.ids)]), self.records_a[key])
                self.assertEqual(self._visible(self.user_b, model, [("id", "in", both.ids)]), self.records_b[key])
                with self.assertRaises(AccessError):
                    self.records_b[key].with_user(self.user_a).read(["company_id"])

    def test_exposure_of_a_customer_shows_only_the_user_s_companies(self):
        exposure_a = self._visible(self.user_a, "o2c.credit.exposure", [("partner_id", "=", self.customer.id)])
        exposure_b = self._visible(self.user_b, "o2c.credit.exposure", [("partner_id", "=", self.customer.id)])
        self.assertEqual(exposure_a.company_id, self.company)
        self.assertEqual(exposure_b.company_id, self.company_b)
        self.assertEqual(exposure_b.amount_overdue, 1500.0)
        self.assertEqual(
            self.env["o2c.credit.exposure"].search([("partner_id", "=", self.customer.id)]).company_id,
            self.company | self.company_b,
            "both rows exist; only the rule hides one from each user",
        )

    def test_cashin_forecast_shows_only_the_user_s_companies(self):
        invoices = self.records_a["invoice"] | self.records_b["invoice"]
        domain = [("move_id", "in", invoices.ids)]
        self.assertEqual(self._visible(self.user_a, "o2c.credit.cashin.forecast", domain).move_id, invoices[0])
        self.assertEqual(self._visible(self.user_b, "o2c.credit.cashin.forecast", domain).move_id, invoices[1])
        self.assertEqual(len(self.env["o2c.credit.cashin.forecast"].search(domain)), 2)
