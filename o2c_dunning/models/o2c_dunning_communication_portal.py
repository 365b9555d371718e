from odoo import fields, models


class O2cDunningCommunication(models.Model):
    """The reminder's link to the customer's account on the portal: its access token opens the account
    page, the statement, the payment, the promise and the question pages without a portal account, for
    as many days after the reminder as the company says."""

    _name = "o2c.dunning.communication"
    _inherit = ["o2c.dunning.communication", "portal.mixin"]

    def _compute_access_url(self):
        for comm in self:
            comm.access_url = f"/my/balance/reminder/{comm.id}"

    def _o2c_link_expired(self, today=None):
        """Whether the portal link of this reminder is past its validity (company setting, days after the
        reminder's date)."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        days = self.company_id.o2c_dunning_link_days
        return bool(days) and fields.Date.add(self.run_date, days=days) < today

    def _o2c_account_url(self):
        """The full address of the customer's account page that the reminder email links to."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()
