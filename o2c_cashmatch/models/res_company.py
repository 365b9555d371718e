from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_cashmatch_auto_threshold = fields.Float(
        string="Auto-reconciliation threshold",
        default=0.9,
        help="Proposals scoring at or above this threshold are reconciled automatically after an import.",
    )
