from odoo import fields, models


class O2cCashmatchAllocation(models.Model):
    _name = "o2c.cashmatch.allocation"
    _description = "Cash matching allocation to one invoice"

    proposal_id = fields.Many2one("o2c.cashmatch.proposal", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="proposal_id.company_id", store=True)
    move_line_id = fields.Many2one("account.move.line", string="Receivable item", required=True, ondelete="cascade")
    move_id = fields.Many2one(related="move_line_id.move_id", string="Invoice")
    partner_id = fields.Many2one(related="move_line_id.partner_id", string="Customer")
    currency_id = fields.Many2one(related="proposal_id.currency_id")
    amount = fields.Monetary(string="Amount applied")
    amount_residual = fields.Monetary(
        related="move_line_id.amount_residual_currency", string="Open amount", currency_field="currency_id"
    )
