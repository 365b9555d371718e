from odoo import fields, models


class O2cEinvoiceBatchLine(models.Model):
    _name = "o2c.einvoice.batch.line"
    _description = "Factur-X batch result"
    _order = "state, id"

    batch_id = fields.Many2one("o2c.einvoice.batch", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    state = fields.Selection([("done", "Issued"), ("failed", "Failed"), ("skipped", "Skipped")], required=True)
    message = fields.Text(string="What to fix")
