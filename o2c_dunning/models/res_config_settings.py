from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_dunning_auto_send = fields.Boolean(related="company_id.o2c_dunning_auto_send", readonly=False)
