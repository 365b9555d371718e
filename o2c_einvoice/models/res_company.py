from odoo import api, fields, models

from ..facturx.checks import valid_siren


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_einvoice_profile = fields.Selection(
        selection=[("basic", "BASIC"), ("en16931", "EN 16931 (Comfort)"), ("extended", "EXTENDED")],
        string="Factur-X profile",
        default="en16931",
        required=True,
        help="Profile of the Factur-X XML embedded in customer invoices (customers may override it).",
    )
    o2c_einvoice_enabled = fields.Boolean(
        string="Issue Factur-X e-invoices",
        compute="_compute_o2c_einvoice_enabled",
        store=True,
        readonly=False,
        help="Customer invoices and credit notes are issued as validated Factur-X PDF/A-3 documents. On by "
        "default for the companies whose fiscal country is France, where the e-invoicing reform applies.",
    )
    o2c_einvoice_check_mode = fields.Selection(
        selection=[("blocking", "Blocking"), ("warning", "Warning only")],
        string="Checks before issue",
        default="warning",
        required=True,
        help="Blocking: an invoice whose checks fail cannot be posted. Warning: it can, and the failed checks "
        "stay listed on the invoice.",
    )
    o2c_einvoice_vat_on_debits = fields.Boolean(
        string="VAT on debits",
        help="The company opted for paying VAT on debits (option pour les débits). What an invoice states (BT-8 "
        "and the printed mention) follows the exigibility of its taxes: due on payment gives BT-8 = 72, services "
        "taxed on invoice give BT-8 = 5 and the mention. A check before issue warns when the taxes contradict "
        "this option.",
    )
    o2c_einvoice_default_supply = fields.Selection(
        selection=[("goods", "Goods"), ("services", "Services")],
        string="Lines without product supply",
        default="goods",
        required=True,
        help="Goods or services, for an invoice line without product when neither its tax (due on payment: "
        "services) nor its income account (PCG 701-703, 707 goods; 704-706 services) nor the tax's scope tells.",
    )
    o2c_einvoice_address = fields.Char(
        string="Electronic invoicing address",
        compute="_compute_o2c_einvoice_address",
        store=True,
        readonly=False,
        help="Address of the company in the French e-invoicing directory (BT-34, scheme 0225). Defaults to the SIREN.",
    )
    o2c_einvoice_penalty_note = fields.Text(
        string="Late payment penalties (PMD)",
        translate=True,
        default="En cas de retard de paiement, une pénalité égale à trois fois le taux d'intérêt légal est "
        "exigible (article L441-10 du Code de commerce).",
    )
    o2c_einvoice_recovery_fee_note = fields.Text(
        string="Recovery fee (PMT)",
        translate=True,
        default="Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €.",
    )
    o2c_einvoice_discount_note = fields.Text(
        string="Early payment discount (AAB)",
        translate=True,
        default="Pas d'escompte pour paiement anticipé.",
    )

    @api.depends("account_fiscal_country_id")
    def _compute_o2c_einvoice_enabled(self):
        # A company abroad (or an accounting test company) is not subject to the French reform: its
        # invoices keep Odoo's own PDF until someone switches Factur-X on.
        for company in self:
            company.o2c_einvoice_enabled = company.account_fiscal_country_id.code == "FR"

    @api.depends("company_registry")
    def _compute_o2c_einvoice_address(self):
        for company in self:
            siren = company.partner_id._o2c_einvoice_siren()
            if not company.o2c_einvoice_address and valid_siren(siren):
                company.o2c_einvoice_address = siren
