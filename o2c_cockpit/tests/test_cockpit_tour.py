from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCockpitTour(HttpCase):
    def test_dashboard_figures_and_a_finding_lead_to_their_records_in_chromium(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        company = env.company
        account = env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1
        )
        customer = env["res.partner"].create(
            {"name": "Tour Sans SIREN", "is_company": True, "country_id": env.ref("base.fr").id, "city": "Lyon"}
        )
        today = fields.Date.context_today(env.user)
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=20),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "x", "quantity": 1, "price_unit": 500.0, "tax_ids": [], "account_id": account.id}
                    )
                ],
            }
        )
        invoice.action_post()
        env["o2c.cockpit.figure"]._o2c_refresh(company)
        check = env["o2c.cockpit.health.check"].create({"company_id": company.id, "q_credit_insurance": "no"})
        check.action_measure()
        self.assertIn("missing_siren", check.finding_ids.mapped("code"))
        self.start_tour("/odoo", "o2c_cockpit_tour", login="admin")
