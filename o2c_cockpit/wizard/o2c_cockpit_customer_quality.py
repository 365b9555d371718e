from odoo import _, api, fields, models

from ..core.master_data import Customer, duplicates, judge, normalise_iban

ISSUE_FIELDS = (
    "siren_missing",
    "siren_invalid",
    "vat_missing",
    "vat_invalid",
    "vat_siren_mismatch",
    "email_missing",
    "address_incomplete",
    "payment_term_missing",
)


class O2cCockpitCustomerQuality(models.TransientModel):
    """The master-data worklist: one row per customer (commercial entity) with its completeness score,
    what to fix and its likely duplicates. Built for the user who opens it
    (``action_open_worklist``) from the checks of ``o2c_cockpit.core.master_data``."""

    _name = "o2c.cockpit.customer.quality"
    _description = "Customer master data"
    _order = "score, partner_name, id"
    _transient_max_hours = 4.0

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    partner_name = fields.Char(readonly=True)
    score = fields.Integer(
        string="Completeness (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the checks the customer passes: SIREN (French companies), VAT number (companies), "
        "accounting e-mail, postal address, payment terms.",
    )
    siren = fields.Char(string="SIREN", readonly=True)
    vat = fields.Char(string="VAT", readonly=True)
    to_fix = fields.Text(string="What to fix", readonly=True)
    siren_missing = fields.Boolean(string="SIREN missing", readonly=True)
    siren_invalid = fields.Boolean(string="SIREN invalid", readonly=True)
    vat_missing = fields.Boolean(string="VAT missing", readonly=True)
    vat_invalid = fields.Boolean(string="VAT invalid", readonly=True)
    vat_siren_mismatch = fields.Boolean(string="VAT not matching the SIREN", readonly=True)
    email_missing = fields.Boolean(string="No accounting e-mail", readonly=True)
    address_incomplete = fields.Boolean(string="Postal address incomplete", readonly=True)
    payment_term_missing = fields.Boolean(string="No payment terms", readonly=True)
    has_duplicates = fields.Boolean(string="Likely duplicate", readonly=True)
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        "o2c_cockpit_customer_quality_duplicate_rel",
        "quality_id",
        "partner_id",
        string="Likely duplicates",
        readonly=True,
    )
    duplicate_reason = fields.Char(string="Shared identifiers", readonly=True)

    @api.model
    def _o2c_issue_labels(self):
        """The worklist text of each issue code, in the user's language."""
        return {
            "siren_missing": _("Enter the SIREN (or SIRET) in the Company ID."),
            "siren_invalid": _("The SIREN or SIRET in the Company ID is not valid (check key): correct it."),
            "vat_missing": _("Enter the VAT number."),
            "vat_invalid": _("The VAT number is not valid (check digits): correct it."),
            "vat_siren_mismatch": _("The French VAT number does not contain the customer's SIREN."),
            "email_missing": _("Enter an e-mail address for invoices and reminders (an invoice address)."),
            "address_incomplete": _("Complete the postal address (street, ZIP code, city, country)."),
            "payment_term_missing": _("Set the customer's payment terms."),
        }

    @api.model
    def _o2c_customers(self, company):
        """Return the customers of ``company``: the commercial entities of the partners it invoiced or
        sold to (customer rank), active, shared or of that company."""
        partners = (
            self.env["res.partner"]
            .with_context(active_test=True)
            .search_fetch(
                [("customer_rank", ">", 0), ("company_id", "in", (False, company.id))], ["commercial_partner_id"]
            )
        )
        return partners.commercial_partner_id.filtered("active")

    @api.model
    def _o2c_verdicts(self, company, customers=None):
        """Return ``(verdicts, doubles)`` for ``customers`` (default: all of ``company``'s): ``{partner id:
        Verdict}`` and ``{partner id: {other partner id: {kinds of identifier shared}}}``. A handful of
        queries whatever the number of customers."""
        customers = self._o2c_customers(company) if customers is None else customers
        company_env = customers.with_company(company)
        company_env.fetch(
            ["name", "is_company", "country_id", "company_registry", "vat", "email", "street", "zip", "city"]
            + ["property_payment_term_id", "o2c_dunning_contact_id"]
        )
        codes = {country.id: country.code for country in customers.country_id}
        contacts = self.env["res.partner"].search_fetch(
            [("commercial_partner_id", "in", customers.ids), ("type", "=", "invoice"), ("email", "!=", False)],
            ["commercial_partner_id", "email"],
        )
        invoice_emails = {}
        for contact in contacts:
            invoice_emails.setdefault(contact.commercial_partner_id.id, contact.email)
        dunning_contacts = company_env.o2c_dunning_contact_id
        dunning_contacts.fetch(["email"])
        banks = self.env["res.partner.bank"].search_fetch(
            [("partner_id.commercial_partner_id", "in", customers.ids)], ["partner_id", "acc_number"]
        )
        ibans = {}
        for bank in banks:
            iban = normalise_iban(bank.acc_number)
            if iban:
                ibans.setdefault(bank.partner_id.commercial_partner_id.id, set()).add(iban)
        home = company.country_id.code or "FR"
        verdicts = {}
        keys = []
        for partner in company_env:
            email = invoice_emails.get(partner.id) or partner.o2c_dunning_contact_id.email or partner.email
            verdict = judge(
                Customer(
                    id=partner.id,
                    is_company=partner.is_company,
                    country_code=codes.get(partner.country_id.id, ""),
                    company_registry=partner.company_registry or "",
                    vat=partner.vat or "",
                    accounting_email=email or "",
                    street=partner.street or "",
                    zip=partner.zip or "",
                    city=partner.city or "",
                    has_payment_term=bool(partner.property_payment_term_id),
                    ibans=tuple(sorted(ibans.get(partner.id, ()))),
                ),
                home_country=home,
            )
            verdicts[partner.id] = verdict
            keys += [(partner.id, "siren", verdict.siren), (partner.id, "vat", verdict.vat)]
            keys += [(partner.id, "iban", iban) for iban in ibans.get(partner.id, ())]
        return verdicts, duplicates(keys)

    @api.model
    def _o2c_build(self, company):
        """Replace the current user's worklist of ``company`` with a fresh one; return its rows."""
        self.search([("create_uid", "=", self.env.uid), ("company_id", "=", company.id)]).unlink()
        customers = self._o2c_customers(company)
        verdicts, doubles = self._o2c_verdicts(company, customers)
        labels = self._o2c_issue_labels()
        kind_labels = {"siren": _("SIREN"), "vat": _("VAT"), "iban": _("IBAN")}
        twins = self.env["res.partner"].browse({other for found in doubles.values() for other in found})
        names = {twin.id: twin.display_name for twin in twins}
        values = []
        for partner in customers:
            verdict = verdicts[partner.id]
            others = doubles.get(partner.id, {})
            lines = [labels[code] for code in verdict.issues]
            kinds = sorted({kind for shared in others.values() for kind in shared})
            if others:
                lines.append(
                    _(
                        "Check whether it duplicates %(customers)s (same %(identifiers)s).",
                        customers=", ".join(names[other] for other in sorted(others)),
                        identifiers=", ".join(kind_labels[kind] for kind in kinds),
                    )
                )
            values.append(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "partner_name": partner.name,
                    "score": verdict.score,
                    "siren": verdict.siren,
                    "vat": verdict.vat,
                    "to_fix": "\n".join(lines),
                    **{name: name in verdict.issues for name in ISSUE_FIELDS},
                    "has_duplicates": bool(others),
                    "duplicate_partner_ids": [fields.Command.set(sorted(others))],
                    "duplicate_reason": ", ".join(kind_labels[kind] for kind in kinds),
                }
            )
        return self.create(values)

    @api.model
    def action_open_worklist(self):
        """Check the master data of the current company's customers and open the worklist, worst first."""
        self._o2c_build(self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_cockpit.o2c_cockpit_customer_quality_action")
        action["domain"] = [("create_uid", "=", self.env.uid), ("company_id", "=", self.env.company.id)]
        return action

    def action_open_partner(self):
        """Open the customer to fix it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
