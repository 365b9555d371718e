from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import file_path

from ..facturx import checks as core_checks
from ..facturx.cii import build_cii, business_process, vat_due_date_code
from ..facturx.lifecycle import reason_error
from ..facturx.pdf import make_facturx_pdf
from ..facturx.validation import blocking, validate_facturx
from .o2c_einvoice_status import REASON_SELECTION, STATUS_SELECTION

PROFILE_SELECTION = [("basic", "BASIC"), ("en16931", "EN 16931 (Comfort)"), ("extended", "EXTENDED")]
# Failed checks that make the Factur-X itself wrong: they block issuing whatever the posting mode.
ISSUE_BLOCKING_CHECKS = {
    "company_siren", "company_address_e", "mention_penalty", "mention_recovery_fee", "mention_discount",
    "customer_siren_missing", "customer_siren_invalid", "customer_address_e", "number_format", "type_code",
    "credit_note_origin", "due_date_before_issue", "tax_unknown", "line_without_tax", "tax_rate",
    "currency_vat_eur", "amount_decimals", "totals", "customer_vat_invalid", "customer_vat_siren",
    "tax_exemption_reason", "company_siret", "customer_siret",
}  # fmt: skip
OPERATION_TYPES = [("goods", "Supply of goods"), ("services", "Supply of services"), ("mixed", "Goods and services")]
OPERATION_OF_PROCESS = {"B": "goods", "S": "services", "M": "mixed"}


class AccountMove(models.Model):
    _inherit = "account.move"

    o2c_einvoice_state = fields.Selection(
        selection=[("none", "Not issued"), ("error", "Failed validation"), ("done", "Factur-X issued")],
        string="Factur-X",
        default="none",
        copy=False,
        readonly=True,
        tracking=True,
    )
    o2c_einvoice_profile_used = fields.Selection(
        selection=PROFILE_SELECTION, string="Factur-X profile issued", copy=False, readonly=True
    )
    o2c_einvoice_errors = fields.Text(string="Factur-X errors", copy=False, readonly=True)
    o2c_einvoice_check_html = fields.Html(
        string="Checks before issue", compute="_compute_o2c_einvoice_checks", sanitize=False
    )
    o2c_einvoice_check_count = fields.Integer(string="Failed checks", compute="_compute_o2c_einvoice_checks")
    o2c_einvoice_order_ref = fields.Char(
        string="Customer order reference",
        copy=False,
        help="Purchase order number of the customer (Factur-X BT-13). Filled from the sale order's customer "
        "reference when the invoice comes from one; Odoo's Reference (which holds 'Reversal of ...' on credit "
        "notes) is never used.",
    )
    o2c_einvoice_operation_type = fields.Selection(
        selection=OPERATION_TYPES,
        string="Operation type",
        compute="_compute_o2c_einvoice_facts",
        help="Goods, services or both, as the Factur-X states it (BT-23) and the invoice prints it.",
    )
    o2c_einvoice_vat_on_debits = fields.Boolean(
        string="VAT on debits stated",
        compute="_compute_o2c_einvoice_facts",
        help="The invoice states the option for VAT on debits (BT-8 = 5): services whose taxes are due on invoice.",
    )
    o2c_einvoice_discount_mention = fields.Char(
        string="Early payment discount mention", compute="_compute_o2c_einvoice_facts"
    )
    o2c_einvoice_status_ids = fields.One2many("o2c.einvoice.status", "move_id", string="Lifecycle statuses")
    o2c_einvoice_status_code = fields.Selection(
        selection=STATUS_SELECTION,
        string="E-invoice status",
        compute="_compute_o2c_einvoice_status_code",
        store=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("o2c_einvoice_status_ids.code", "o2c_einvoice_status_ids.date")
    def _compute_o2c_einvoice_status_code(self):
        for move in self:
            last = move.o2c_einvoice_status_ids.sorted(lambda status: (status.date, status.id))[-1:]
            move.o2c_einvoice_status_code = last.code

    @api.depends(
        "partner_id", "invoice_line_ids", "o2c_einvoice_order_ref", "invoice_payment_term_id", "invoice_date_due",
        "partner_bank_id", "currency_id", "state", "name",
    )  # fmt: skip
    def _compute_o2c_einvoice_checks(self):
        applicable = self._o2c_einvoice_applicable()
        findings = applicable._o2c_einvoice_findings() if applicable else {}
        for move in self:
            move_findings = findings.get(move, [])
            move.o2c_einvoice_check_count = len(move_findings)
            move.o2c_einvoice_check_html = move._o2c_einvoice_findings_html(move_findings) if move_findings else False

    @api.depends("invoice_line_ids", "invoice_payment_term_id", "company_id")
    def _compute_o2c_einvoice_facts(self):
        # The printed facts come from the same document as the XML, so the PDF and the Factur-X agree.
        documents = self._o2c_einvoice_documents() if self._o2c_einvoice_applicable() else {}
        for move in self:
            invoice = documents.get(move, (None,))[0]
            move.o2c_einvoice_operation_type = OPERATION_OF_PROCESS[business_process(invoice)[0]] if invoice else False
            move.o2c_einvoice_vat_on_debits = bool(invoice and invoice.vat_on_debits)
            move.o2c_einvoice_discount_mention = invoice.discount_note if invoice else False

    # ------------------------------------------------------------------
    # Plain data for the core
    # ------------------------------------------------------------------

    def _o2c_einvoice_applicable(self):
        """The customer invoices and credit notes of companies that issue Factur-X."""
        return self.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund") and move.company_id.o2c_einvoice_enabled
        )

    def _o2c_einvoice_profile(self):
        """Factur-X profile of the invoice: the customer's choice, else the company's."""
        self.ensure_one()
        return self.commercial_partner_id.o2c_einvoice_profile or self.company_id.o2c_einvoice_profile

    def _o2c_einvoice_documents(self):
        """Return {move: (Invoice, CheckInputs)} for the applicable moves of self, read in bulk by the
        Factur-X mapping (``o2c.einvoice.facturx.mapping``)."""
        return self.env["o2c.einvoice.facturx.mapping"]._o2c_documents(self._o2c_einvoice_applicable())

    # ------------------------------------------------------------------
    # Checks before issue
    # ------------------------------------------------------------------

    def _o2c_einvoice_findings(self):
        """Return {move: [Finding]} of the failed checks before issue of the applicable moves of self."""
        return {move: core_checks.run_checks(*data) for move, data in self._o2c_einvoice_documents().items()}

    def _o2c_einvoice_finding_message(self, finding):
        """The failed check `finding` as a sentence for the user, in their language."""
        value = finding.params.get("value", "")
        messages = {
            "company_siren": _("Company SIREN missing or invalid (Company ID of the company: 9 digits)."),
            "company_vat": _("Company VAT number missing or invalid."),
            "company_siret": _(
                "Company SIRET %(value)s is invalid or does not start with its SIREN (14 digits with a valid key).",
                value=value,
            ),
            "company_address_e": _("Company electronic invoicing address missing (E-invoicing settings)."),
            "mention_penalty": _("Legal mention on late payment penalties missing (E-invoicing settings)."),
            "mention_recovery_fee": _("Legal mention on the 40 € recovery fee missing (E-invoicing settings)."),
            "mention_discount": _("Legal mention on early payment discount missing (E-invoicing settings)."),
            "company_bank": _("No company bank account (Recipient Bank) on the invoice."),
            "customer_address": _("Customer address incomplete (street, ZIP, city and country are required)."),
            "customer_siren_missing": _("Customer SIREN missing (Company ID of the customer)."),
            "customer_siren_invalid": _(
                "Customer SIREN %(value)s is invalid (9 digits with a valid key).", value=value
            ),
            "customer_siret": _(
                "Customer SIRET %(value)s is invalid or does not start with its SIREN (14 digits with a valid key).",
                value=value,
            ),
            "customer_vat_missing": _("Customer VAT number missing."),
            "customer_vat_invalid": _("Customer VAT number %(value)s is invalid.", value=value),
            "customer_vat_siren": _("Customer VAT number %(value)s does not match its SIREN.", value=value),
            "customer_address_e": _(
                "Customer electronic invoicing address %(value)s must start with its SIREN.", value=value
            ),
            "po_missing": _(
                "This customer requires its purchase order number (Customer order reference, E-invoicing tab)."
            ),
            "number_format": _(
                "Invoice number %(value)s: at most 35 letters, digits and + - _ / characters.", value=value
            ),
            "type_code": _("Document type %(value)s is not allowed in France.", value=value),
            "credit_note_origin": _("The credit note does not reference the invoice it cancels."),
            "payment_terms": _("Payment terms or due date missing."),
            "due_date_before_issue": _("The due date is before the invoice date."),
            "tax_unknown": _("Tax %(value)s has no Factur-X VAT category (set it on the tax).", value=value),
            "tax_exemption_reason": _(
                "Tax %(value)s charges no VAT but states no exemption reason (set it on the tax).", value=value
            ),
            "vat_on_debits_due_on_payment": _(
                "The company opted for VAT on debits, yet a service line has a tax due on payment."
            ),
            "vat_on_debits_not_opted": _(
                "Services are taxed on invoice (VAT on debits) but the company has not opted for VAT on debits."
            ),
            "line_without_tax": _("Line %(value)s has no VAT tax.", value=value),
            "tax_rate": _("VAT rate %(value)s %% is not a French VAT rate.", value=value),
            "currency_vat_eur": _("Invoice in %(value)s without the VAT total in euros.", value=value),
            "amount_decimals": _("Amounts must have at most 2 decimals."),
            "totals": _("Invoice totals are inconsistent (lines, VAT breakdown and total do not add up)."),
        }
        return messages.get(finding.code, finding.code)

    def _o2c_einvoice_finding_link(self, finding):
        """URL of the record the user opens to fix `finding`, and its label."""
        if finding.target == "customer":
            return f"/odoo/res.partner/{self.commercial_partner_id.id}", _("Open customer")
        if finding.target == "company":
            return f"/odoo/res.company/{self.company_id.id}", _("Open company")
        if finding.target == "tax":
            return "/odoo/action-account.action_tax_form", _("Open taxes")
        return "", ""

    def _o2c_einvoice_findings_html(self, findings):
        items = Markup()
        for finding in findings:
            url, label = self._o2c_einvoice_finding_link(finding)
            link = Markup(' <a href="%s" class="o2c_einvoice_fix">%s</a>') % (url, label) if url else Markup()
            items += Markup("<li>%s%s</li>") % (self._o2c_einvoice_finding_message(finding), link)
        return Markup('<ul class="mb-0 o2c_einvoice_checks">%s</ul>') % items

    def _post(self, soft=True):
        blocking_moves = self._o2c_einvoice_applicable().filtered(
            lambda move: move.company_id.o2c_einvoice_check_mode == "blocking"
        )
        if blocking_moves:
            # Checked once Odoo has given the final number (a manual number can make the next ones longer
            # than 35 characters); a refusal rolls the posting back.
            with self.env.cr.savepoint():
                posted = super()._post(soft=soft)
                errors = [
                    _("%(invoice)s: %(checks)s", invoice=move.name,
                      checks="; ".join(move._o2c_einvoice_finding_message(finding) for finding in move_findings))
                    for move, move_findings in (blocking_moves & posted)._o2c_einvoice_findings().items()
                    if move_findings
                ]  # fmt: skip
                if errors:
                    raise UserError(_("The checks before issue failed:\n%(errors)s", errors="\n".join(errors)))
        else:
            posted = super()._post(soft=soft)
        warned = posted._o2c_einvoice_applicable().filtered(
            lambda move: move.company_id.o2c_einvoice_check_mode == "warning"
        )
        for move, move_findings in warned._o2c_einvoice_findings().items():
            if move_findings:
                move.message_post(
                    body=Markup("%s%s")
                    % (_("Posted with failed checks before issue:"), move._o2c_einvoice_findings_html(move_findings))
                )
        return posted

    # ------------------------------------------------------------------
    # Factur-X XML and PDF
    # ------------------------------------------------------------------

    def _o2c_einvoice_violation_message(self, violation):
        """A validator's failed rule in plain words, prefixed with its rule id."""
        plain = [
            ("BR-FR-10", _("Company SIREN missing or invalid")),
            ("BR-FR-11", _("Customer SIREN missing")),
            ("BR-FR-12", _("Customer electronic invoicing address missing")),
            ("BR-FR-21", _("Customer electronic invoicing address must start with its SIREN")),
            ("BR-FR-13", _("Company electronic invoicing address missing")),
            ("BR-FR-DEC", _("Amount with more than 2 decimals")),
            ("BR-FR-CO-12", _("Invoice in foreign currency without the VAT total in euros")),
            ("BR-FR-16", _("VAT rate not allowed in France")),
            ("BR-FR-15", _("VAT category not allowed in France")),
            ("BR-FR-01", _("Number longer than 35 characters")),
            ("BR-FR-02", _("Number with characters not allowed")),
            ("BR-FR-04", _("Document type not allowed")),
            ("BR-FR-05", _("Legal mention missing (penalties, recovery fee or discount)")),
            ("BR-FR-CO-05", _("Credit note without reference to the invoice")),
            ("BR-FR-CO-07", _("Due date before the invoice date")),
            ("BR-CO-14", _("VAT total does not match the VAT breakdown")),
            ("BR-CO-10", _("Sum of lines does not match the invoice total")),
            ("BR-S-08", _("VAT breakdown does not match the lines")),
            ("XSD", _("The XML does not match the Factur-X schema")),
        ]
        label = next((text for prefix, text in plain if violation.rule_id.startswith(prefix)), "")
        return f"[{violation.rule_id}] {label or violation.message}" + (f" — {violation.message}" if label else "")

    def _o2c_einvoice_prepare(self):
        """Build and validate the Factur-X XML of the applicable moves of self. Returns {move: {'xml',
        'profile', 'errors'}}; `errors` lists what blocks issuing (failed checks and failed rules)."""
        prepared = {}
        for move, (invoice, inputs) in self._o2c_einvoice_documents().items():
            findings = [f for f in core_checks.run_checks(invoice, inputs) if f.code in ISSUE_BLOCKING_CHECKS]
            errors = [move._o2c_einvoice_finding_message(finding) for finding in findings]
            profile = move._o2c_einvoice_profile()
            xml = build_cii(invoice, profile)
            violations = blocking(validate_facturx(xml, profile, french_b2b=invoice.b2b_domestic))
            errors += [move._o2c_einvoice_violation_message(violation) for violation in violations]
            prepared[move] = {"xml": xml, "profile": profile, "errors": errors}
        return prepared

    def _o2c_einvoice_make_pdf(self, pdf_bytes, xml, profile, already_pdfa=False):
        """Return the Factur-X PDF/A-3 of this invoice made from its rendered PDF (`already_pdfa`: converted to
        PDF/A-3 with the other invoices of its print); raises FacturxPdfError."""
        self.ensure_one()
        return make_facturx_pdf(
            pdf_bytes,
            xml,
            profile,
            file_path("tools/data/files/sRGB2014.icc"),
            already_pdfa=already_pdfa,
            title=self.name,
            author=self.company_id.name,
            subject=_("Invoice %(name)s", name=self.name),
            lang=(self.partner_id.lang or "fr_FR").replace("_", "-"),
        )

    def _o2c_einvoice_generate(self, raise_errors=True):
        """Issue the legal Factur-X PDF of the posted applicable moves of self that have none yet, through
        Odoo's own document generation (the same path as Print & Send, without sending). Returns
        {move: [errors]} for the moves that failed."""
        moves = self._o2c_einvoice_applicable().filtered(
            lambda move: move.state == "posted" and not move.invoice_pdf_report_id
        )
        if not moves:
            return {}
        # Issuing writes only the invoices' document fields (attachment, sent flag, Factur-X state): the
        # synchronisation of their journal items, the heavy part of an account.move write, has nothing to do.
        moves = moves.with_context(skip_invoice_sync=True)
        sender = self.env["account.move.send"]
        moves_data = {move: sender._get_default_sending_settings(move, sending_methods=["manual"]) for move in moves}
        not_sent = moves.filtered(lambda move: not move.is_move_sent)
        sender._generate_invoice_documents(moves_data)
        # Issued, not sent: the flag Odoo set goes back as it was, in one write.
        not_sent.filtered("is_move_sent").is_move_sent = False
        failed = {}
        for move, move_data in moves_data.items():
            if move_data.get("error"):
                error = move_data["error"]
                failed[move] = error["errors"] if isinstance(error, dict) else [str(error)]
        if failed and raise_errors:
            raise UserError(
                "\n".join(
                    _("%(invoice)s: %(errors)s", invoice=move.name, errors="; ".join(errors))
                    for move, errors in failed.items()
                )
            )
        for move, errors in failed.items():
            move.write({"o2c_einvoice_state": "error", "o2c_einvoice_errors": "\n".join(errors)})
        return failed

    def _get_invoice_legal_documents(self, filetype, allow_fallback=False):
        # The Factur-X replaces the standard PDF wherever the invoice is printed or downloaded.
        if filetype == "pdf" and self.state == "posted" and not self.invoice_pdf_report_id:
            self._o2c_einvoice_generate(raise_errors=False)
        return super()._get_invoice_legal_documents(filetype, allow_fallback=allow_fallback)

    def _get_invoice_legal_documents_all(self, allow_fallback=False):
        if self.state == "posted" and not self.invoice_pdf_report_id:
            self._o2c_einvoice_generate(raise_errors=False)
        return super()._get_invoice_legal_documents_all(allow_fallback=allow_fallback)

    def action_o2c_einvoice_generate(self):
        """Button: issue the Factur-X of this invoice now (errors are shown)."""
        self._o2c_einvoice_generate(raise_errors=True)
        return True

    def action_o2c_einvoice_batch(self):
        """List action: generate and validate the Factur-X of the selected invoices in the background."""
        return self.env["o2c.einvoice.batch"]._o2c_create_for(self)

    # ------------------------------------------------------------------
    # Lifecycle statuses (contract 4)
    # ------------------------------------------------------------------

    def _o2c_einvoice_add_status(
        self, code, reason_code=None, note=None, amount=None, date=None, source="manual", **values
    ):
        """The one way to write a lifecycle status on the invoices of self; returns the new statuses.
        `values` may carry `vat_rate`, `paid_by_rate` ({rate: amount}) and `message_ref` (CDAR id)."""
        code = str(code)
        error = reason_error(code, reason_code)
        if error:
            label = dict(STATUS_SELECTION).get(code, code)
            raise UserError(
                _(
                    "Status %(status)s cannot be set with reason %(reason)s: %(error)s.",
                    status=label,
                    reason=dict(REASON_SELECTION).get(reason_code, reason_code or _("none")),
                    error=error,
                )
            )
        not_invoices = self.filtered(lambda move: move.move_type not in ("out_invoice", "out_refund"))
        if not_invoices:
            raise UserError(
                _("Lifecycle statuses apply to customer invoices only: %(moves)s.",
                  moves=", ".join(not_invoices.mapped("display_name")))
            )  # fmt: skip
        statuses = self.env["o2c.einvoice.status"].create(
            [
                {
                    "move_id": move.id,
                    "code": code,
                    "reason_code": reason_code or False,
                    "note": note or False,
                    "amount": amount,
                    "date": date or fields.Datetime.now(),
                    "source": source,
                    **values,
                }
                for move in self
            ]
        )
        if not self.env.context.get("o2c_einvoice_status_quiet"):
            # Quiet: the caller (the platform's fetch) says it in one chatter line per invoice.
            for status in statuses:
                status.move_id.message_post(body=_("E-invoice status: %(status)s", status=status.display_name))
        return statuses

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self._o2c_einvoice_add_paid_status()
        return res

    def _o2c_einvoice_add_paid_status(self):
        """212 Encaissée, with the amount received per VAT rate, for the paid invoices whose VAT is due on
        receipt (services without the VAT-on-debits option), once per invoice."""
        documents = self.filtered(
            lambda move: move.move_type == "out_invoice" and "212" not in move.o2c_einvoice_status_ids.mapped("code")
        )._o2c_einvoice_documents()
        for move, (invoice, _inputs) in documents.items():
            if vat_due_date_code(invoice) != "72":
                continue
            ratio = abs(move.amount_total_signed) / move.amount_total if move.amount_total else 1.0
            paid_by_rate = {}
            for block in invoice.tax_blocks:
                rate = str(block.tax.rate)
                paid_by_rate[rate] = paid_by_rate.get(rate, 0.0) + float(block.basis + block.amount) * ratio
            paid_by_rate = {rate: move.company_currency_id.round(value) for rate, value in paid_by_rate.items()}
            rates = list(paid_by_rate)
            move._o2c_einvoice_add_status(
                "212",
                amount=abs(move.amount_total_signed),
                source="auto",
                vat_rate=float(rates[0]) if len(rates) == 1 else 0.0,
                paid_by_rate=paid_by_rate,
                note=_("Payment received; VAT on services is due on receipt."),
            )
