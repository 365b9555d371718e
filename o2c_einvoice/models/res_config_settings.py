from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_einvoice_profile = fields.Selection(related="company_id.o2c_einvoice_profile", readonly=False)
