from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_dispute_portal_enabled = fields.Boolean(
        string="Customers contest invoices from the portal",
        default=True,
        help='Shows a "Contest this invoice" form on the invoice page of the customer portal.',
    )
    o2c_dispute_user_id = fields.Many2one(
        "res.users",
        string="Default dispute owner",
        domain=[("share", "=", False)],
        help="Owner of new disputes when neither the reason nor the invoice names one.",
    )
    o2c_dispute_attachment_max_mb = fields.Integer(
        string="Largest portal attachment (MB)",
        default=10,
        help="Files customers attach to a dispute on the portal may not exceed this size.",
    )
    o2c_dispute_attachment_types = fields.Char(
        string="Accepted attachment types",
        default="pdf,png,jpg,jpeg,txt,csv,xlsx,xls,docx,doc,odt,ods",
        help="File extensions customers may attach to a dispute on the portal, separated by commas.",
    )
