"""Checks before issue ("contrôles avant émission") over plain invoice data.

Each failed check is a `Finding`: a stable `code` (the Odoo layer turns it into a translated sentence and an
action), the record kind to fix (`target`) and parameters for the message.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from .cii import format_decimal
from .document import ALLOWED_TYPE_CODES, FRENCH_VAT_RATES, Invoice

ID_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/")


@dataclass(frozen=True)
class Finding:
    """A failed check: `target` is customer, company, invoice or tax."""

    code: str
    target: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CheckInputs:
    """Facts about the invoice that are not part of the CII document itself."""

    po_required: bool = False
    has_payment_term: bool = True
    has_bank_account: bool = True
    unknown_taxes: tuple[str, ...] = ()
    lines_without_tax: tuple[str, ...] = ()
    is_inbound_payment: bool = True
    taxes_without_reason: tuple[str, ...] = ()  # exempt, zero-rated or reverse-charge taxes without BT-120/121
    vat_on_debits_option: bool | None = None  # the company's declared option (None: not declared, not checked)


def valid_siren(value):
    """True when `value` is a 9-digit SIREN with a valid Luhn key."""
    return bool(value) and len(value) == 9 and fr_siren.is_valid(value)


def valid_siret(value, siren=""):
    """True when `value` is a 14-digit SIRET with a valid key that starts with `siren` (when given): the SIRET
    (BT-29/BT-46, scheme 0009) must belong to the SIREN of the same party (BR-FR-09)."""
    return bool(value) and len(value) == 14 and fr_siret.is_valid(value) and value.startswith(siren or "")


def valid_vat(value):
    """True when `value` is a syntactically valid EU VAT number (check digits included)."""
    return bool(value) and eu_vat.is_valid(value)


def _decimals(value):
    text = format_decimal(value)
    return len(text.partition(".")[2])


def run_checks(invoice: Invoice, inputs: CheckInputs = CheckInputs()):
    """Return the list of `Finding` for `invoice`; an empty list means it may be issued."""
    findings = []
    seller, buyer = invoice.seller, invoice.buyer
    # Company legal data and mentions.
    if not valid_siren(seller.siren):
        findings.append(Finding("company_siren", "company", {"value": seller.siren}))
    if not valid_vat(seller.vat):
        findings.append(Finding("company_vat", "company", {"value": seller.vat}))
    if seller.siret and not valid_siret(seller.siret, seller.siren):
        findings.append(Finding("company_siret", "company", {"value": seller.siret}))
    if not seller.electronic_address:
        findings.append(Finding("company_address_e", "company"))
    for note, code in (
        (invoice.penalty_note, "mention_penalty"),
        (invoice.recovery_fee_note, "mention_recovery_fee"),
        (invoice.discount_note, "mention_discount"),
    ):
        if not note.strip():
            findings.append(Finding(code, "company"))
    if inputs.is_inbound_payment and not inputs.has_bank_account:
        findings.append(Finding("company_bank", "invoice"))
    # Customer legal data.
    address = buyer.address
    if not (address.line1 and address.zip and address.city and address.country_code):
        findings.append(Finding("customer_address", "customer"))
    if buyer.is_company:
        if invoice.b2b_domestic and not buyer.siren:
            findings.append(Finding("customer_siren_missing", "customer"))
        elif invoice.b2b_domestic and not valid_siren(buyer.siren):
            findings.append(Finding("customer_siren_invalid", "customer", {"value": buyer.siren}))
        if not buyer.vat:
            findings.append(Finding("customer_vat_missing", "customer"))
        elif not valid_vat(buyer.vat):
            findings.append(Finding("customer_vat_invalid", "customer", {"value": buyer.vat}))
        elif invoice.b2b_domestic and buyer.vat.upper().startswith("FR") and buyer.vat[4:] != buyer.siren:
            findings.append(Finding("customer_vat_siren", "customer", {"value": buyer.vat}))
        if invoice.b2b_domestic and buyer.siren and not buyer.electronic_address.startswith(buyer.siren):
            findings.append(Finding("customer_address_e", "customer", {"value": buyer.electronic_address}))
    if buyer.siret and not valid_siret(buyer.siret, buyer.siren):
        findings.append(Finding("customer_siret", "customer", {"value": buyer.siret}))
    if inputs.po_required and not invoice.order_reference:
        findings.append(Finding("po_missing", "invoice"))
    # Invoice data.
    if len(invoice.number) > 35 or not set(invoice.number) <= ID_CHARS:
        findings.append(Finding("number_format", "invoice", {"value": invoice.number}))
    if invoice.type_code not in ALLOWED_TYPE_CODES:
        findings.append(Finding("type_code", "invoice", {"value": invoice.type_code}))
    if invoice.is_credit_note and not (invoice.preceding_invoice_number and invoice.preceding_invoice_date):
        findings.append(Finding("credit_note_origin", "invoice"))
    if not invoice.is_credit_note:
        if not (inputs.has_payment_term or invoice.payment_terms) or not invoice.due_date:
            findings.append(Finding("payment_terms", "invoice"))
        elif invoice.due_date < invoice.issue_date:
            findings.append(Finding("due_date_before_issue", "invoice"))
    for name in inputs.unknown_taxes:
        findings.append(Finding("tax_unknown", "tax", {"value": name}))
    for name in inputs.taxes_without_reason:
        findings.append(Finding("tax_exemption_reason", "tax", {"value": name}))
    if inputs.vat_on_debits_option is not None:
        lines = invoice.supplied_lines
        if inputs.vat_on_debits_option and any(line.is_service and line.tax.due_on_payment for line in lines):
            findings.append(Finding("vat_on_debits_due_on_payment", "tax"))
        elif not inputs.vat_on_debits_option and invoice.vat_on_debits:
            findings.append(Finding("vat_on_debits_not_opted", "tax"))
    for name in inputs.lines_without_tax:
        findings.append(Finding("line_without_tax", "invoice", {"value": name}))
    for block in invoice.tax_blocks:
        if block.tax.category in ("S", "Z") and block.tax.rate not in FRENCH_VAT_RATES:
            findings.append(Finding("tax_rate", "tax", {"value": format_decimal(block.tax.rate)}))
    if invoice.currency != invoice.accounting_currency and invoice.tax_total_accounting is None:
        findings.append(Finding("currency_vat_eur", "invoice", {"value": invoice.currency}))
    # Totals.
    amounts = [invoice.line_total, invoice.tax_total, invoice.grand_total, invoice.due_amount]
    amounts += [line.total for line in invoice.lines] + [block.amount for block in invoice.tax_blocks]
    if any(_decimals(amount) > 2 for amount in amounts):
        findings.append(Finding("amount_decimals", "invoice"))
    totals_ok = (
        sum((line.total for line in invoice.lines), Decimal(0)) == invoice.line_total
        and sum((block.basis for block in invoice.tax_blocks), Decimal(0)) == invoice.tax_basis_total
        and sum((block.amount for block in invoice.tax_blocks), Decimal(0)) == invoice.tax_total
        and invoice.tax_basis_total + invoice.tax_total == invoice.grand_total
        and invoice.grand_total - invoice.prepaid_amount + invoice.rounding_amount == invoice.due_amount
    )
    if not totals_ok:
        findings.append(Finding("totals", "invoice"))
    return findings
