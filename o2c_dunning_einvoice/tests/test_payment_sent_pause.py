from datetime import date, datetime

from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPaymentSentPause(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create({"name": "Menuiserie Roux SARL", "is_company": True})
        cls.move = cls.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": customer.id, "invoice_date": "2026-09-01",
             "invoice_line_ids": [Command.create({"name": "Pose", "quantity": 1, "price_unit": 500})]}
        )  # fmt: skip
        cls.move.action_post()

    def excluded(self, day):
        return self.move.with_context(o2c_dunning_date=day)._o2c_dunning_excluded()[self.move.id]

    def test_buyers_payment_sent_pauses_dunning_for_five_days_only(self):
        self.assertEqual(self.excluded(date(2026, 10, 12)), 0.0)
        self.move._o2c_einvoice_add_status("211", date=datetime(2026, 10, 10, 9, 0), source="platform")
        self.assertEqual(self.excluded(date(2026, 10, 12)), float("inf"))
        self.assertEqual(self.excluded(date(2026, 10, 15)), float("inf"))
        self.assertEqual(self.excluded(date(2026, 10, 16)), 0.0)
