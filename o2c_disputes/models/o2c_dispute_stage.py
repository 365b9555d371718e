from odoo import fields, models

DISPUTE_STATES = [("open", "Open"), ("resolved", "Resolved"), ("closed", "Closed")]


class O2cDisputeStage(models.Model):
    _name = "o2c.dispute.stage"
    _description = "Dispute stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        DISPUTE_STATES,
        required=True,
        default="open",
        help="Open stages keep the disputed amount out of dunning; leaving them requires an outcome.",
    )
    fold = fields.Boolean(string="Folded in kanban")
    description = fields.Text(translate=True)
