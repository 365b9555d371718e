from odoo import fields, models


class O2cCockpitLevelEffect(models.Model):
    """Effect of each dunning level in a month: the invoices reminded at that level and the share of
    them paid in full within N days after the reminder."""

    _name = "o2c.cockpit.level.effect"
    _description = "Effect of a dunning level"
    _order = "company_id, month desc, level_id"
    _rec_name = "level_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    month = fields.Date(required=True, readonly=True, help="Month of the reminders (first day).")
    level_id = fields.Many2one("o2c.dunning.level", string="Dunning level", readonly=True, ondelete="cascade")
    days = fields.Integer(string="Within (days)", readonly=True, aggregator="max")
    reminded_count = fields.Integer(
        string="Invoices reminded", readonly=True, help="Invoices reminded at this level by a sent reminder."
    )
    paid_count = fields.Integer(
        string="Paid within N days",
        readonly=True,
        help="Of those, invoices paid in full with their last payment dated at most N days after the reminder.",
    )
    paid_share = fields.Float(
        string="Paid within N days (%)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="Invoices paid within N days after the reminder / invoices reminded at this level × 100.",
    )
