from odoo import api, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
CHARGES_TAX_NAME = _lt("0% outside the scope of VAT (late-payment charges)")
CHARGES_EXEMPTION_REASON = _lt(
    "Outside the scope of VAT: recovery indemnity and late-payment interest (articles L441-10 and D441-5 of the "
    "French Commercial Code)"
)
# Settings of o2c_dunning that the invoices' late-payment mention states.
MENTION_FIELDS = {"o2c_dunning_interest_margin"}


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        """A new company's invoices state the late-payment rate of its dunning settings."""
        companies = super().create(vals_list)
        companies._o2c_dunning_einvoice_sync_penalty_note()
        return companies

    def write(self, vals):
        """A change of the points over the ECB rate is stated on the invoices too."""
        result = super().write(vals)
        if MENTION_FIELDS & set(vals):
            self._o2c_dunning_einvoice_sync_penalty_note()
        return result

    def _o2c_dunning_einvoice_sync_penalty_note(self):
        """Write the dunning's late-payment mention as the e-invoices' penalty note (PMD, printed on the
        invoices) in every installed language, so that the invoice, the formal notice and the charges invoice
        state the same rate."""
        for lang, _name in self.env["res.lang"].get_installed():
            for company in self.with_context(lang=lang):
                # sudo: whoever changes the dunning settings may not be allowed to edit the company itself.
                company.sudo().o2c_einvoice_penalty_note = company._o2c_dunning_invoice_mention()

    def _o2c_dunning_charges_taxes(self):
        """Companies that issue Factur-X put on the charges a 0 % tax of category E with its exemption reason:
        the e-invoicing checks refuse a line without VAT, and category O (outside the scope) may not appear on
        an invoice that carries the seller's VAT number (EN 16931 rule BR-O-02)."""
        taxes = super()._o2c_dunning_charges_taxes()
        if taxes or not self.o2c_einvoice_enabled:
            return taxes
        return self._o2c_dunning_einvoice_charges_tax()

    def _o2c_dunning_einvoice_charges_tax(self):
        """The company's tax of the late-payment charges for Factur-X, created the first time."""
        self.ensure_one()
        # sudo: a collector sending a formal notice may not manage taxes; this one is fixed by the law.
        Tax = self.env["account.tax"].sudo().with_context(active_test=False)
        xmlid = f"o2c_dunning_einvoice.charges_tax_company_{self.id}"
        tax = self.env.ref(xmlid, raise_if_not_found=False)
        if tax:
            return tax
        country = self.account_fiscal_country_id
        Group = self.env["account.tax.group"].sudo()
        group = Group.search([*Group._check_company_domain(self), ("country_id", "in", (country.id, False))], limit=1)
        if not group:
            group = Group.create(
                {"name": self.env._("Outside the scope of VAT"), "company_id": self.id, "country_id": country.id}
            )
        english = self.env(context={"lang": "en_US"})
        tax = Tax.with_context(lang="en_US").create(
            {
                "name": english._(CHARGES_TAX_NAME),
                "company_id": self.id,
                "country_id": country.id,
                "type_tax_use": "sale",
                "amount_type": "percent",
                "amount": 0.0,
                "tax_group_id": group.id,
                "o2c_einvoice_vat_category": "E",
                "o2c_einvoice_exemption_reason": english._(CHARGES_EXEMPTION_REASON),
            }
        )
        # sudo: the tax's external id, so that the next charges find this tax and no other 0 % exempt tax.
        self.env["ir.model.data"].sudo()._update_xmlids([{"xml_id": xmlid, "record": tax, "noupdate": True}])
        for lang, _name in self.env["res.lang"].get_installed():
            if lang != "en_US":
                env_lang = self.env(context={"lang": lang})
                tax.with_context(lang=lang).write(
                    {
                        "name": env_lang._(CHARGES_TAX_NAME),
                        "o2c_einvoice_exemption_reason": env_lang._(CHARGES_EXEMPTION_REASON),
                    }
                )
        return tax
