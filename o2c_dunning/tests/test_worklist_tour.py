from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestWorklistTour(HttpCase):
    def test_collector_sends_and_skips_from_the_worklist_in_chromium(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        company = env.company
        account = env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1
        )
        today = fields.Date.context_today(env.user)
        invoices = env["account.move"]
        for name in ("Tour Alpha", "Tour Beta"):
            # no email: a letter and a call, so the tour does not depend on a mail server; a postal address, without
            # which a formal notice is not sent
            partner = env["res.partner"].create(
                {"name": name, "is_company": True, "street": "5 quai Perrache", "zip": "69002", "city": "Lyon"}
            )
            invoices |= env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=40),
                    "invoice_date_due": today - timedelta(days=32),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "x", "quantity": 1, "price_unit": 990.0, "tax_ids": [], "account_id": account.id}
                        )
                    ],
                }
            )
        invoices.action_post()
        notice_level = company.o2c_dunning_ladder_id.level_ids.filtered("is_formal_notice")
        call_level = company.o2c_dunning_ladder_id.level_ids.filtered(lambda lvl: lvl.tone == "call")
        invoices.o2c_dunning_level_id = call_level
        env["o2c.dunning.communication"]._o2c_run(companies=company, send=False)
        comms = env["o2c.dunning.communication"].search([("partner_id", "in", invoices.partner_id.ids)])
        self.assertEqual(comms.mapped("state"), ["draft", "draft"], "formal notices wait for the collector")

        self.start_tour("/odoo", "o2c_dunning_worklist_tour", login="admin")

        alpha = comms.filtered(lambda c: c.partner_id.name == "Tour Alpha")
        beta = comms - alpha
        self.assertEqual(alpha.state, "sent")
        self.assertEqual(beta.state, "cancelled")
        self.assertEqual(invoices.mapped("o2c_dunning_level_id"), notice_level)
