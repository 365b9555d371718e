from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    o2c_dunning_level_id = fields.Many2one(
        "o2c.dunning.level",
        string="Instalment dunning level",
        copy=False,
        index="btree_not_null",
        help="Last dunning level reached by this instalment of an invoice payable in several instalments (each "
        "receivable line is reminded on its own due date); the invoice's level is its most advanced instalment's.",
    )
