from odoo import api, models
from odoo.addons.account.models.chart_template import template

# Factur-X VAT category, exemption reason (BT-120) and VATEX code (BT-121) of the zero-rate sale taxes of the
# French chart (l10n_fr_account, data/template/account.tax-fr.csv). Services exported outside the EU are G,
# not O: "not subject to VAT" forbids the seller's VAT number in the invoice (BR-O-02).
FR_SALE_TAX_CATEGORIES = {
    "tva_sale_good_0": ("E", "Exonération de TVA, article 261 du CGI", "VATEX-EU-132"),
    "tva_sale_service_0": ("E", "Exonération de TVA, article 261 du CGI", "VATEX-EU-132"),
    "tva_sale_good_export_0": ("G", "Exonération de TVA, article 262 I du CGI (exportation)", "VATEX-EU-G"),
    "tva_sale_service_export_0": ("G", "TVA non applicable, article 259-1 du CGI (prestation hors UE)", "VATEX-EU-G"),
    "tva_sale_good_intra_0": (
        "K",
        "Exonération de TVA, article 262 ter I du CGI (livraison intracommunautaire)",
        "VATEX-EU-IC",
    ),
    "tva_sale_service_intra_0": ("AE", "Autoliquidation, article 283-2 du CGI", "VATEX-EU-AE"),
}


def _tax_values(category, reason, code):
    return {
        "o2c_einvoice_vat_category": category,
        "o2c_einvoice_exemption_reason": reason,
        "o2c_einvoice_exemption_code": code,
    }


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("fr", "account.tax")
    def _get_fr_o2c_einvoice_account_tax(self):
        # Merged into the French chart's taxes whenever a company loads it.
        return {xmlid: _tax_values(*values) for xmlid, values in FR_SALE_TAX_CATEGORIES.items()}

    @api.model
    def _o2c_einvoice_map_french_taxes(self, companies=None):
        """Give the zero-rate sale taxes of the French chart their Factur-X category, exemption reason and
        VATEX code in ``companies`` (default: every company on the French chart), leaving the ones a user
        already set alone. Returns the taxes written."""
        companies = companies or self.env["res.company"].search([("chart_template", "=", "fr")])
        written = self.env["account.tax"]
        for company in companies:
            for xmlid, values in FR_SALE_TAX_CATEGORIES.items():
                tax = self.env.ref(f"account.{company.id}_{xmlid}", raise_if_not_found=False)
                if tax and not (tax.o2c_einvoice_exemption_reason or tax.o2c_einvoice_exemption_code):
                    tax.write(_tax_values(*values))
                    written |= tax
        return written
