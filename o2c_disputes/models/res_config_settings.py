from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_dispute_portal_enabled = fields.Boolean(related="company_id.o2c_dispute_portal_enabled", readonly=False)
    o2c_dispute_user_id = fields.Many2one(related="company_id.o2c_dispute_user_id", readonly=False)
    o2c_dispute_attachment_max_mb = fields.Integer(related="company_id.o2c_dispute_attachment_max_mb", readonly=False)
    o2c_dispute_attachment_types = fields.Char(related="company_id.o2c_dispute_attachment_types", readonly=False)
