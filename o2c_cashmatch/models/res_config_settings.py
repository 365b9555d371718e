from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_cashmatch_auto_threshold = fields.Float(related="company_id.o2c_cashmatch_auto_threshold", readonly=False)
    o2c_cashmatch_fee_limit = fields.Monetary(related="company_id.o2c_cashmatch_fee_limit", readonly=False)
    o2c_cashmatch_fee_account_id = fields.Many2one(related="company_id.o2c_cashmatch_fee_account_id", readonly=False)
    o2c_cashmatch_rf_reference = fields.Boolean(related="company_id.o2c_cashmatch_rf_reference", readonly=False)
    o2c_cashmatch_xsd_strict = fields.Boolean(related="company_id.o2c_cashmatch_xsd_strict", readonly=False)
