from odoo import api, fields, models

VAT_CATEGORIES = [
    ("S", "Standard rate (S)"),
    ("Z", "Zero rated goods (Z)"),
    ("E", "Exempt from VAT (E)"),
    ("AE", "Reverse charge (AE)"),
    ("K", "Intra-community supply (K)"),
    ("G", "Export outside the EU (G)"),
    ("O", "Outside the scope of VAT (O)"),
]


class AccountTax(models.Model):
    _inherit = "account.tax"

    o2c_einvoice_vat_category = fields.Selection(
        selection=VAT_CATEGORIES,
        string="Factur-X VAT category",
        compute="_compute_o2c_einvoice_vat_category",
        store=True,
        readonly=False,
        help="VAT category code (UNTDID 5305) written in Factur-X. Set automatically to Standard for positive "
        "percentage taxes; zero-rate, exempt and reverse-charge taxes must be set by hand.",
    )
    o2c_einvoice_exemption_reason = fields.Char(
        string="VAT exemption reason",
        translate=True,
        help="Legal text of the exemption (BT-120), e.g. 'Autoliquidation' or 'Exonération de TVA, article 262 ter "
        "I du CGI'.",
    )
    o2c_einvoice_exemption_code = fields.Char(
        string="VAT exemption code (VATEX)",
        help="VATEX code of the exemption (BT-121), e.g. VATEX-EU-IC for an intra-community supply.",
    )

    @api.depends("amount", "amount_type")
    def _compute_o2c_einvoice_vat_category(self):
        for tax in self:
            if not tax.o2c_einvoice_vat_category and tax.amount_type == "percent" and tax.amount > 0:
                tax.o2c_einvoice_vat_category = "S"
