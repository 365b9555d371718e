from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_credit_hold_orders = fields.Boolean(
        string="Hold orders breaking a credit rule",
        default=True,
        help="Confirming a sale order evaluates the credit rules; an order that breaks one waits in credit hold.",
    )
    o2c_credit_manager_id = fields.Many2one(
        "res.users",
        string="Credit Manager",
        help="Receives the daily credit alerts. Empty: the first user of the Credit Manager group.",
    )
    o2c_credit_overdue_alert_amount = fields.Float(
        string="Overdue Alert Threshold",
        default=1000.0,
        help="An invoice that falls overdue with at least this amount left to pay raises an alert.",
    )
    o2c_credit_alert_last_run = fields.Date(string="Last Credit Alert Run", readonly=True)

    def _o2c_credit_manager(self):
        """Return the user who receives this company's credit alerts."""
        self.ensure_one()
        if self.o2c_credit_manager_id:
            return self.o2c_credit_manager_id
        group = self.env.ref("o2c_credit.group_o2c_credit_manager")
        # sudo: a group's members are readable by administrators only, and anyone may need the credit manager.
        users = group.sudo().users.filtered(lambda user: self in user.company_ids and not user.share)
        return users.sorted("id")[:1]
