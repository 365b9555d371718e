from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_cashmatch_auto_threshold = fields.Float(
        string="Auto-reconciliation threshold",
        default=0.9,
        help="Proposals scoring at or above this threshold are reconciled automatically after an import.",
    )
    o2c_cashmatch_fee_limit = fields.Monetary(
        string="Bank fees tolerance",
        currency_field="currency_id",
        default=15.0,
        help="A payment short of the invoice by at most this amount settles it in full, "
        "the difference being written off as bank fees.",
    )
    o2c_cashmatch_fee_account_id = fields.Many2one(
        "account.account",
        string="Bank fees account",
        check_company=True,
        help="Expense account receiving the bank fees written off when a payment is short by a few euros.",
    )
    o2c_cashmatch_rf_reference = fields.Boolean(
        string="RF creditor references on invoices",
        help="Give customer invoices an ISO 11649 structured creditor reference (RF...) built on their number "
        "as payment reference, so that payments come back with a reference the bank checks.",
    )
    o2c_cashmatch_xsd_strict = fields.Boolean(
        string="Refuse files failing their XSD",
        help="A bank file that breaks the structure of its ISO 20022 schema is always refused. The deviations real "
        "banks are known to send (a BIC where the schema wants BICFI, a country code off its pattern) are imported "
        "with a warning; tick to refuse them too.",
    )

    def _o2c_fee_account(self):
        """The account bank fees are written off to: the configured one, else the 627 bank services account."""
        self.ensure_one()
        if self.o2c_cashmatch_fee_account_id:
            return self.o2c_cashmatch_fee_account_id
        return self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(self), ("code", "=like", "627%")], limit=1
        )
