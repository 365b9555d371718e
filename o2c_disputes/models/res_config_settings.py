from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_dispute_portal_enabled = fields.Boolean(related="company_id.o2c_dispute_portal_enabled", readonly=False)
