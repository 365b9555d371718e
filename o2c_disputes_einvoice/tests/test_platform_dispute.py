"""A buyer's 207 En litige or 210 Refusée received from the approved platform opens a dispute case."""

from odoo import Command, fields
from odoo.addons.o2c_einvoice.tests.afnor_server import LocalPlatform
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPlatformDispute(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.company_registry = "732829320"
        cls.pa = LocalPlatform()
        cls.addClassCleanup(cls.pa.stop)
        cls.platform = cls.env["o2c.einvoice.platform"].create(cls.pa.connection_values() | {"send_at_posting": False})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Carrelages Dubois SARL", "is_company": True, "company_registry": "552100554"}
        )
        cls.product = cls.env["product.product"].create({"name": "Palette de carrelage", "list_price": 100.0})

    def setUp(self):
        super().setUp()
        self.pa.reset()

    def invoice(self):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-09-15",
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 3, "price_unit": 100})],
            }
        )
        move.action_post()
        return move

    def test_buyers_207_from_the_platform_opens_one_dispute_and_suspends_dunning(self):
        invoice = self.invoice()
        self.pa.add_status(invoice.name, "732829320", "552100554", "207", reason_code="QTE_ERR",
                           reason="Deux palettes manquantes")  # fmt: skip
        self.platform._o2c_fetch_statuses()
        case = self.env["o2c.dispute"].search([("invoice_ids", "in", invoice.ids)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.reason_id, self.env.ref("o2c_disputes.o2c_dispute_reason_quantity"))
        self.assertIn("Deux palettes manquantes", case.description)
        self.assertEqual(case.state, "open")
        self.assertEqual(invoice.o2c_einvoice_status_ids.mapped("code"), ["207"], "the buyer's 207 only, once")
        excluded = invoice.with_context(o2c_dunning_date=fields.Date.today())._o2c_dunning_excluded()
        self.assertGreaterEqual(excluded[invoice.id], invoice.amount_residual)

    def test_buyers_refusal_210_opens_a_dispute_but_not_twice(self):
        invoice = self.invoice()
        self.pa.add_status(invoice.name, "732829320", "552100554", "210", reason_code="DOUBLON", reason="Doublon")
        self.pa.add_status(invoice.name, "732829320", "552100554", "207", reason_code="DOUBLON", reason="Doublon")
        self.platform._o2c_fetch_statuses()
        case = self.env["o2c.dispute"].search([("invoice_ids", "in", invoice.ids)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.reason_id, self.env.ref("o2c_disputes.o2c_dispute_reason_duplicate"))
