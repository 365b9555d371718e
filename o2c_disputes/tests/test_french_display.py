from odoo import Command
from odoo.tests import tagged

from .common import DisputeCase


@tagged("post_install", "-at_install")
class TestFrenchDisplay(DisputeCase):
    """A case opened by a French user is logged in French: "Litige créé", not "Dispute créé"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.handler.lang = "fr_FR"

    def test_new_case_of_a_french_user_is_logged_in_french(self):
        invoice = self._invoice(self.customer, [(self.product, 2, 100.0)])
        dispute = (
            self.env["o2c.dispute"]
            .with_user(self.handler)
            .with_context(lang=self.handler.lang)
            .create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(invoice.ids)],
                    "amount_disputed": 50.0,
                    "reason_id": self.reason_price.id,
                }
            )
        )
        creation = dispute.message_ids.filtered(lambda message: message.message_type == "notification")[-1:]
        self.assertIn("Litige créé", creation.body)
        self.assertEqual(self.env["ir.model"]._get("o2c.dispute").with_context(lang="fr_FR").name, "Litige")
