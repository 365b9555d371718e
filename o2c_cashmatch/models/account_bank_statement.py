from odoo import fields, models


class AccountBankStatement(models.Model):
    _inherit = "account.bank.statement"

    o2c_file_name = fields.Char(string="Imported file", readonly=True, copy=False)
    o2c_balance_mismatch = fields.Boolean(
        string="Balances do not add up",
        readonly=True,
        copy=False,
        help="Opening balance plus the imported lines does not give the closing balance the bank reported.",
    )
    o2c_import_warnings = fields.Text(string="Import warnings", readonly=True, copy=False)
