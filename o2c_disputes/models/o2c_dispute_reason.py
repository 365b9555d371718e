from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DISPUTE_TEAMS = [
    ("sales_admin", "Sales administration"),
    ("logistics", "Logistics"),
    ("accounting", "Accounting"),
]


class O2cDisputeReason(models.Model):
    _name = "o2c.dispute.reason"
    _description = "Dispute reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to offer the reason in every company.")
    team = fields.Selection(
        DISPUTE_TEAMS, required=True, default="sales_admin", help="Team answerable for disputes of this reason."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default owner",
        domain=[("share", "=", False)],
        help="Owner of new disputes with this reason; empty: the invoice's salesperson or the company's default.",
    )
    sla_days = fields.Integer(
        string="Service level (days)",
        default=10,
        required=True,
        help="Calendar days from the opening of a dispute to its deadline.",
    )
    description = fields.Text(translate=True, help="Shown to customers as a hint on the reason in the portal form.")

    @api.constrains("sla_days")
    def _check_sla_days(self):
        for reason in self:
            if reason.sla_days < 0:
                raise ValidationError(
                    _("The service level of reason %(reason)s cannot be negative.", reason=reason.name)
                )
