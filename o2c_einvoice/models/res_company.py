from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_einvoice_profile = fields.Selection(
        selection=[("basic", "BASIC"), ("en16931", "EN 16931 (Comfort)"), ("extended", "EXTENDED")],
        string="Factur-X profile",
        default="en16931",
        required=True,
        help="Profile of the Factur-X XML embedded in customer invoices (customers may override it).",
    )
