from odoo import api, fields, models

from ..models.o2c_einvoice_status import REASON_SELECTION, STATUS_SELECTION


class O2cEinvoiceStatusWizard(models.TransientModel):
    _name = "o2c.einvoice.status.wizard"
    _description = "Set an e-invoice lifecycle status"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    code = fields.Selection(STATUS_SELECTION, string="Status", required=True)
    reason_code = fields.Selection(REASON_SELECTION, string="Reason")
    note = fields.Text()
    amount = fields.Float(string="Amount received")
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.move" and "move_ids" in fields_list:
            values["move_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_apply(self):
        """Write the status on the invoices through `account.move._o2c_einvoice_add_status`."""
        self.ensure_one()
        self.move_ids._o2c_einvoice_add_status(
            self.code,
            reason_code=self.reason_code or None,
            note=self.note or None,
            amount=self.amount or None,
            date=self.date,
            source="manual",
        )
        return {"type": "ir.actions.act_window_close"}
