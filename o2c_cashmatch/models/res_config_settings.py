from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_cashmatch_auto_threshold = fields.Float(related="company_id.o2c_cashmatch_auto_threshold", readonly=False)
