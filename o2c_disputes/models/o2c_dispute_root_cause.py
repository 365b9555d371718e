from odoo import fields, models


class O2cDisputeRootCause(models.Model):
    _name = "o2c.dispute.root.cause"
    _description = "Dispute root cause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
