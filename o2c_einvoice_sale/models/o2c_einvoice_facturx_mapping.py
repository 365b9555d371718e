from odoo import api, models


class O2cEinvoiceFacturxMapping(models.AbstractModel):
    _inherit = "o2c.einvoice.facturx.mapping"

    @api.model
    def _o2c_is_down_payment_line(self, line, deposit_product_id, account_code):
        # A line of Odoo's down-payment wizard is one whatever its account (a chart without 4191).
        return line.is_downpayment or super()._o2c_is_down_payment_line(line, deposit_product_id, account_code)
