from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_credit_hold_orders = fields.Boolean(related="company_id.o2c_credit_hold_orders", readonly=False)
    o2c_credit_manager_id = fields.Many2one(related="company_id.o2c_credit_manager_id", readonly=False)
    o2c_credit_overdue_alert_amount = fields.Float(related="company_id.o2c_credit_overdue_alert_amount", readonly=False)
