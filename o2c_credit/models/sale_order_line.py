from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._o2c_credit_recheck_grown()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_uom_qty", "price_unit", "discount", "tax_id"}.intersection(vals):
            self.order_id._o2c_credit_recheck_grown()
        return res
