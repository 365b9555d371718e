from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        # The customer's own order number becomes BT-13 of the Factur-X (Odoo copies it into `ref` only).
        values["o2c_einvoice_order_ref"] = self.client_order_ref or False
        return values
