from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CockpitHttpCase


@tagged("post_install", "-at_install")
class TestCockpitTour(CockpitHttpCase):
    def test_dashboard_figures_and_a_finding_lead_to_their_records_in_chromium(self):
        customer = self._customer("Tour Sans SIREN", country_id=self.env.ref("base.fr").id, city="Lyon")
        self._invoice(customer, fields.Date.context_today(self.env.user) - timedelta(days=20), 500.0)
        self.env["o2c.cockpit.figure"]._o2c_refresh(self.company)
        check = self.env["o2c.cockpit.health.check"].create({"company_id": self.company.id, "q_credit_insurance": "no"})
        check.action_measure()
        self.assertIn("missing_siren", check.finding_ids.mapped("code"))
        # The accountant of the test company walks the dashboard (Odoo's accounting test user).
        self.start_tour("/odoo", "o2c_cockpit_tour", login=self.env.user.login)
