from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestFrenchDisplay(DunningCase):
    """A promise to pay reads as the customer, the amount and the date, in French for a French user."""

    def _promise(self, env):
        partner = self._customer("Boulangerie Dupont")
        invoice = self._invoice(partner, 1234.5, 10)
        return env["o2c.dunning.promise"].create(
            {
                "partner_id": partner.id,
                "move_ids": [Command.set(invoice.ids)],
                "promise_date": date(2026, 12, 15),
                "amount": 1234.5,
            }
        )

    def test_promise_is_named_by_customer_amount_and_date(self):
        promise = self._promise(self.env)
        sep = self.env["res.lang"]._lang_get("fr_FR").thousands_sep
        self.assertEqual(
            promise.with_context(lang="fr_FR").display_name,
            f"Boulangerie Dupont : 1{sep}234,50\xa0€ pour le 15/12/2026",
        )
        self.assertEqual(
            promise.with_context(lang="en_US").display_name, "Boulangerie Dupont: 1,234.50\xa0€ by 12/15/2026"
        )

    def test_new_promise_logs_a_french_line_in_the_feminine(self):
        promise = self._promise(
            self.env(context=dict(self.env.context, lang="fr_FR", mail_create_nolog=False, tracking_disable=False))
        )
        self.assertIn("Promesse de paiement créée", promise.message_ids[-1:].body)
