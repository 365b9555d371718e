"""Each e-invoicing record rule keeps a company's lifecycle statuses and Factur-X batches to its users: a billing
user of company A sees A's statuses, batches and batch results, and none of company B's."""

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceRecordRules(EinvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = create_second_company(cls.env, cls.company.currency_id)
        groups = "account.group_account_invoice"
        cls.user_a = new_test_user(cls.env, login="o2c_einvoice_a", groups=groups, company_id=cls.company.id)
        cls.user_b = new_test_user(cls.env, login="o2c_einvoice_b", groups=groups, company_id=cls.company_b.id)
        cls.records_a = cls._company_records(cls.env, cls.make_invoice(post=True))
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        invoice_b = env_b["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"name": "Conseil", "price_unit": 500.0, "tax_ids": []})],
            }
        )
        invoice_b.action_post()
        cls.records_b = cls._company_records(env_b, invoice_b)

    @classmethod
    def _company_records(cls, env, invoice):
        """A received status on `invoice` and a Factur-X batch of it with its result, in the company of `env`."""
        status = invoice._o2c_einvoice_add_status("205")
        batch = env["o2c.einvoice.batch"].create({"name": f"Lot {env.company.name}", "move_ids": invoice.ids})
        line = env["o2c.einvoice.batch.line"].create({"batch_id": batch.id, "move_id": invoice.id, "state": "done"})
        return {"o2c.einvoice.status": status, "o2c.einvoice.batch": batch, "o2c.einvoice.batch.line": line}

    def test_each_company_sees_its_own_statuses_and_batches_and_not_the_other_s(self):
        for model, own in self.records_a.items():
            other = self.records_b[model]
            with self.subTest(model=model):
                self.assertEqual(own.company_id, self.company)
                self.assertEqual(other.company_id, self.company_b)
                domain = [("id", "in", (own | other).ids)]
                self.assertEqual(self.env[model].with_user(self.user_a).search(domain), own)
                self.assertEqual(self.env[model].with_user(self.user_b).search(domain), other)
                with self.assertRaises(AccessError):
                    other.with_user(self.user_a).read(["company_id"])
