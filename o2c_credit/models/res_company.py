from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_credit_hold_orders = fields.Boolean(
        string="Hold orders breaking a credit rule",
        default=True,
        help="Confirming a sale order evaluates the credit rules; an order that breaks one waits in credit hold.",
    )
