"""In a real browser: import a statement, review the undecided line, accept a proposal."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import IBAN


@tagged("post_install", "-at_install")
class TestCashmatchTour(HttpCase):
    def test_import_review_accept_in_the_browser(self):
        env = self.env
        env["account.journal"].create(
            {"name": "Banque tour", "code": "BTOUR", "type": "bank", "bank_acc_number": IBAN, "sequence": 0}
        )
        martin = env["res.partner"].create({"name": "Transports Martin SAS", "is_company": True})
        dupont = env["res.partner"].create({"name": "Boulangerie Dupont SARL", "is_company": True})

        def invoice(partner, amount, ref=None):
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2025-06-01",
                    "payment_reference": ref,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "price_unit": amount, "tax_ids": [Command.clear()]})
                    ],
                }
            )
            move.action_post()
            return move

        paid_by_reference = invoice(martin, 321.0, "TOUR-REF-0001")
        twins = invoice(dupont, 99.0) + invoice(dupont, 99.0)
        self.start_tour("/odoo", "o2c_cashmatch_import_review_accept", login="admin", timeout=120)
        self.assertEqual(paid_by_reference.payment_state, "paid", "reconciled automatically after import")
        self.assertEqual(sorted(twins.mapped("payment_state")), ["not_paid", "paid"], "one twin, chosen by hand")
        line = env["account.bank.statement.line"].search([("o2c_bank_reference", "=", "TOUR-TX-2")])
        self.assertEqual(line.o2c_match_state, "accepted")
