"""Each dunning record rule keeps a company's collection to the users of that company: a dunning manager of
company A sees A's ladder and levels, reminders, reminded invoices and promises to pay, and none of company B's."""

from datetime import timedelta

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningRecordRules(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = create_second_company(cls.env, cls.company.currency_id)
        groups = "o2c_dunning.group_o2c_dunning_manager,account.group_account_invoice"
        cls.user_a = new_test_user(cls.env, login="o2c_dunning_a", groups=groups, company_id=cls.company.id)
        cls.user_b = new_test_user(cls.env, login="o2c_dunning_b", groups=groups, company_id=cls.company_b.id)
        cls.customer = cls._customer("Lambda Industrie")
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        cls.records_a = cls._company_records(cls.env, cls._invoice(cls.customer, 300.0, 2))
        invoice_b = env_b["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": cls.today - timedelta(days=2),
                "invoice_date_due": cls.today - timedelta(days=2),
                "invoice_line_ids": [Command.create({"name": "Service", "price_unit": 300.0, "tax_ids": []})],
            }
        )
        invoice_b.action_post()
        cls.records_b = cls._company_records(env_b, invoice_b)

    @classmethod
    def _company_records(cls, env, invoice):
        """The dunning records of the company of `env` about `invoice`: its run and reminder, a promise to pay."""
        company = env.company
        env["o2c.dunning.communication"]._o2c_run(companies=company, run_date=cls.today, send=False)
        communication = env["o2c.dunning.communication"].search([("dunned_line_ids.move_id", "=", invoice.id)])
        promise = env["o2c.dunning.promise"].create(
            {
                "partner_id": cls.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "promise_date": cls.today + timedelta(days=10),
                "amount": 300.0,
            }
        )
        return {
            "o2c.dunning.ladder": company.o2c_dunning_ladder_id,
            "o2c.dunning.level": company.o2c_dunning_ladder_id.level_ids,
            "o2c.dunning.communication": communication,
            "o2c.dunning.communication.line": communication.dunned_line_ids,
            "o2c.dunning.promise": promise,
            "o2c.dunning.run": communication.run_id,
        }

    def test_each_company_sees_its_own_dunning_records_and_not_the_other_s(self):
        for model, own in self.records_a.items():
            other = self.records_b[model]
            with self.subTest(model=model):
                self.assertTrue(own and other, "both companies have records of the model")
                self.assertEqual(own.company_id, self.company)
                self.assertEqual(other.company_id, self.company_b)
                domain = [("id", "in", (own | other).ids)]
                self.assertEqual(self.env[model].with_user(self.user_a).search(domain), own)
                self.assertEqual(self.env[model].with_user(self.user_b).search(domain), other)
                with self.assertRaises(AccessError):
                    other[:1].with_user(self.user_a).read(["company_id"])
