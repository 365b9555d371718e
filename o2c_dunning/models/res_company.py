from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_dunning_auto_send = fields.Boolean(
        string="Send automatic reminders daily",
        default=True,
        help="The daily dunning run sends the levels marked automatic; manual levels wait in the collector's worklist.",
    )
