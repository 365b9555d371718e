from odoo import api, fields, models

from ..models.o2c_dispute import DISPUTE_OUTCOMES


class O2cDisputeResolve(models.TransientModel):
    _name = "o2c.dispute.resolve"
    _description = "Resolve a dispute"

    dispute_id = fields.Many2one("o2c.dispute", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="dispute_id.currency_id")
    amount_disputed = fields.Monetary(related="dispute_id.amount_disputed")
    outcome = fields.Selection(DISPUTE_OUTCOMES, required=True, default="accepted")
    amount_resolution = fields.Monetary(
        string="Amount to credit",
        compute="_compute_amount_resolution",
        store=True,
        readonly=False,
        help="A credit note of this amount (taxes included) is issued and reconciled with the invoice.",
    )
    root_cause_id = fields.Many2one("o2c.dispute.root.cause", string="Root cause", required=True)
    note = fields.Text(string="Resolution note")

    @api.depends("outcome", "dispute_id")
    def _compute_amount_resolution(self):
        for wizard in self:
            wizard.amount_resolution = wizard.amount_disputed if wizard.outcome != "rejected" else 0.0

    def action_confirm(self):
        """Record the outcome on the dispute, issue the credit note if any, and go back to the dispute."""
        self.ensure_one()
        self.dispute_id._o2c_resolve(self.outcome, self.amount_resolution, self.root_cause_id, self.note)
        return {"type": "ir.actions.act_window_close"}
