from odoo import fields, models


class O2cCreditDecisionWizard(models.TransientModel):
    """Approve or reject credit requests with a comment."""

    _name = "o2c.credit.decision.wizard"
    _description = "Credit Decision"

    approval_ids = fields.Many2many("o2c.credit.approval", string="Requests", required=True)
    decision = fields.Selection([("approve", "Approve"), ("reject", "Reject")], required=True, default="approve")
    comment = fields.Text()

    def action_confirm(self):
        """Apply the decision to the requests."""
        self.ensure_one()
        if self.decision == "approve":
            self.approval_ids._o2c_approve(self.comment)
        else:
            self.approval_ids._o2c_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
