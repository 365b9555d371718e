from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_dispute_portal_enabled = fields.Boolean(
        string="Customers contest invoices from the portal",
        default=True,
        help='Shows a "Contest this invoice" form on the invoice page of the customer portal.',
    )
