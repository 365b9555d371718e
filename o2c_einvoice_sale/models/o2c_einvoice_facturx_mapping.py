from odoo import api, models


class O2cEinvoiceFacturxMapping(models.AbstractModel):
    _inherit = "o2c.einvoice.facturx.mapping"

    @api.model
    def _o2c_is_down_payment_line(self, line, deposit_product_id, account_code):
        # A line of Odoo's down-payment wizard is one whatever its account (a chart without 4191).
        return line.is_downpayment or super()._o2c_is_down_payment_line(line, deposit_product_id, account_code)

    @api.model
    def _o2c_down_payment_invoices(self, move):
        # The wizard's deduction line invoices the order's down payment line, like the down payment invoice did.
        deductions = move.invoice_line_ids.filtered(lambda line: line.is_downpayment and line.price_subtotal < 0)
        deposits = deductions.sale_line_ids.invoice_lines.move_id.filtered(
            lambda deposit: deposit != move and deposit.state == "posted" and deposit.move_type == "out_invoice"
        )
        deposits = deposits.sorted(lambda deposit: (deposit.invoice_date, deposit.id))
        return super()._o2c_down_payment_invoices(move) | deposits
