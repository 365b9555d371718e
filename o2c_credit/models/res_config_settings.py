from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_credit_hold_orders = fields.Boolean(related="company_id.o2c_credit_hold_orders", readonly=False)
