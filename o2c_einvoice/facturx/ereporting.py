"""E-reporting (flow 10 of the French reform) as plain data: which invoices are reported, the declaration
periods pyfrctc computes for the company's VAT regime, the transactions (10.1 individual international B2B,
10.3 aggregated B2C) and payments (10.2, 10.4) of a period, written by pyfrctc's generator and checked
against the XSD and the Flux 10 schematron that pyfrctc ships."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pyfrctc
from dateutil.relativedelta import relativedelta

from odoo.addons.o2c_base.tools.errors import CoreError

from .cii import business_process
from .document import Invoice
from .validation import _PYFRCTC_DIR, check_schematron, check_xsd

FRR_XSD_FILE = _PYFRCTC_DIR / "frr-xsd/ereporting.xsd"
FRR_SCHEMATRON_FILE = _PYFRCTC_DIR / "frr-schematron/Flux10.xslt"
# Report kind -> pyfrctc's declaration type.
PYFRCTC_TYPES = {"transactions": "out_transaction", "payments": "payment"}
# VAT regimes as pyfrctc names them: monthly and quarterly normal regime, simplified regime, VAT-free threshold.
PERIODICITIES = ("1", "3", "12", "franchise")
EU_COUNTRIES = frozenset(
    ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
     "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
)  # fmt: skip
BUYER_SCHEME_EU, BUYER_SCHEME_NON_EU = "0223", "0227"
CENT = Decimal("0.01")
_REPORT_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


class ReportInvalid(CoreError):
    """The report does not pass its checks; `errors` lists the violations, each as the official rules word it
    (the Flux 10 schematron speaks French) or as the XSD reports it."""

    def __init__(self, errors):
        super().__init__("invalid_report", "%(errors)s", errors="\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Declarant:
    """The company that reports (Issuer, scheme 0002) and its platform (Sender, scheme 0238)."""

    siren: str
    name: str
    platform_number: str  # the platform's 4-character registration number
    platform_name: str


@dataclass(frozen=True)
class ReportedInvoice:
    """An invoice of the ledger with what e-reporting needs beside its Factur-X data."""

    invoice: Invoice
    eur_ratio: Decimal = Decimal(1)  # company-currency (EUR) amount per unit of the invoice's currency


@dataclass(frozen=True)
class Payment:
    """An amount received on a reported invoice whose VAT is due on payment."""

    reported: ReportedInvoice
    date: date
    amount_eur: Decimal  # what the payment settled of the invoice, in EUR


def _money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def reporting_scope(invoice: Invoice):
    """Where `invoice` goes: 'b2b' (a domestic B2B e-invoice, not e-reported), 'international' (a business
    buyer abroad, reported one by one) or 'consumer' (reported in daily totals)."""
    if invoice.b2b_domestic:
        return "b2b"
    if invoice.buyer.is_company and invoice.buyer.address.country_code not in ("", "FR"):
        return "international"
    return "consumer"


def _pyfrctc_periodicity(periodicity):
    return None if periodicity == "franchise" else periodicity


def period_start(day, kind, periodicity):
    """First day of the declaration period of `kind` that holds `day` for the VAT regime `periodicity`."""
    if periodicity == "1" and kind == "transactions":
        return day.replace(day=1 if day.day <= 10 else 11 if day.day <= 20 else 21)
    if periodicity == "franchise":
        return day.replace(day=1) - relativedelta(months=(day.month - 1) % 2)
    return day.replace(day=1)


def period_end_and_deadline(start, kind, periodicity):
    """(last day, filing deadline) of the period of `kind` starting on `start`, as pyfrctc computes them."""
    return pyfrctc.get_ereporting_end_date_and_deadline_from_start_date(
        start, PYFRCTC_TYPES[kind], _pyfrctc_periodicity(periodicity)
    )


def closed_periods(first_day, kind, periodicity, today):
    """The periods (start, end, deadline) of `kind` from the one holding `first_day` that ended before
    `today`, oldest first."""
    periods, start = [], period_start(first_day, kind, periodicity)
    while True:
        end, deadline = period_end_and_deadline(start, kind, periodicity)
        if end >= today:
            return periods
        periods.append((start, end, deadline))
        start = end + relativedelta(days=1)


def report_id(prefix, kind, start):
    """TT-1, the id of the transmission: unique per database, report kind and period (G1.104: 50 characters
    at most, letters, digits, - and _)."""
    return _REPORT_ID_CHARS.sub("-", f"{prefix}-{kind[:3].upper()}-{start:%Y%m%d}")[:50]


def _document(declarant: Declarant, identifier, issued_at):
    return {
        "TT-1": identifier,
        "TT-3": issued_at,
        "TT-4": "IN",
        "TT-7": "0238",
        "TT-8": declarant.platform_number,
        "TT-9": declarant.platform_name,
        "TT-10": "WK",
        "TT-12": "0002",
        "TT-13": declarant.siren,
        "TT-14": declarant.name,
        "TT-15": "SE",
    }


def _sign(invoice):
    return Decimal(-1) if invoice.is_credit_note else Decimal(1)


def _category(line):
    if line.tax.category not in ("S", "Z") and not line.tax.rate:
        return "TNT1"
    return "TPS1" if line.is_service else "TLB1"


def _due_code(line):
    """TT-80 of a line: 72 when its VAT is due on payment, 5 for services taxed on invoice (debits), none for
    goods (due on delivery, the default)."""
    if line.tax.due_on_payment:
        return "72"
    return "5" if line.is_service else ""


def _aggregated_transactions(consumer_invoices):
    """TG-31: per day, category and VAT exigibility, the totals and the VAT per rate of consumer sales."""
    groups = {}
    for reported in consumer_invoices:
        invoice, ratio = reported.invoice, reported.eur_ratio
        blocks = {(block.tax.category, block.tax.rate): block for block in invoice.tax_blocks}
        for line in invoice.supplied_lines or invoice.lines:
            block = blocks.get((line.tax.category, line.tax.rate))
            share = line.total / block.basis if block and block.basis else Decimal(0)
            key = (invoice.issue_date, _category(line), _due_code(line))
            group = groups.setdefault(key, {"invoices": set(), "rates": {}})
            group["invoices"].add(invoice.number)
            base, tax = group["rates"].get(line.tax.rate, (Decimal(0), Decimal(0)))
            amount = _sign(invoice) * ratio
            group["rates"][line.tax.rate] = (
                base + line.total * amount,
                tax + (block.amount * share if block else 0) * amount,
            )
    transactions = []
    for (day, category, due_code), group in sorted(groups.items()):
        rates = {rate: (_money(base), _money(tax)) for rate, (base, tax) in sorted(group["rates"].items())}
        transactions.append(
            {
                "TT-77": day,
                "TT-78": "EUR",
                "TT-80": due_code or False,
                "TT-81": category,
                "TT-82": f"{sum(base for base, _tax in rates.values()):.2f}",
                "TT-83": f"{sum(tax for _base, tax in rates.values()):.2f}",
                "TT-85": str(len(group["invoices"])),
                "TG-32": [
                    {"TT-86": f"{rate:.2f}", "TT-87": f"{base:.2f}", "TT-88": f"{tax:.2f}"}
                    for rate, (base, tax) in rates.items()
                ],
            }
        )
    return transactions


def buyer_identifier(invoice: Invoice):
    """(identifier, scheme) of a buyer abroad: its VAT number (0223 in the EU, 0227 elsewhere), else ()."""
    buyer = invoice.buyer
    if not buyer.vat:
        return ()
    scheme = BUYER_SCHEME_EU if buyer.address.country_code in EU_COUNTRIES else BUYER_SCHEME_NON_EU
    return (buyer.vat[:18], scheme)


def _individual_invoice(reported: ReportedInvoice):
    """TG-8: one international B2B invoice with its totals and VAT breakdown."""
    invoice = reported.invoice
    identifier = buyer_identifier(invoice)
    buyer = {"country_code": invoice.buyer.address.country_code, "vat_identifier": invoice.buyer.vat or False}
    if identifier:
        buyer |= {"legal_identifier": identifier[0], "legal_identifier_schemeid": identifier[1]}
    tax_total = invoice.tax_total_accounting if invoice.tax_total_accounting is not None else invoice.tax_total
    data = {
        "BT-1": invoice.number,
        "BT-2": invoice.issue_date,
        "BT-3": invoice.type_code,
        "BT-5": invoice.currency,
        "BT-8": invoice.vat_due_date_code or False,
        "BT-9": invoice.due_date,
        "BT-23": business_process(invoice),
        "BG-4": {
            "legal_identifier": invoice.seller.siren,
            "legal_identifier_schemeid": "0002",
            "vat_identifier": invoice.seller.vat,
            "country_code": invoice.seller.address.country_code or "FR",
        },
        "BG-7": buyer,
        "BT-109": f"{invoice.tax_basis_total:.2f}",
        "BT-110": f"{tax_total:.2f}",
        "BG-23": [
            {
                "BT-116": f"{block.basis:.2f}",
                "BT-117": f"{block.amount:.2f}",
                "BT-118": block.tax.category,
                "BT-119": f"{block.tax.rate:.2f}",
                "BT-120": block.tax.exemption_reason or False,
                "BT-121": block.tax.exemption_code or False,
            }
            for block in invoice.tax_blocks
        ],
    }
    if invoice.preceding_invoice_number:
        data["BG-3"] = [{"BT-25": invoice.preceding_invoice_number, "BT-26": invoice.preceding_invoice_date}]
    return data


def invoice_errors(reported: ReportedInvoice):
    """What keeps an invoice out of a valid report, checked before the file is written: codes among
    'buyer_identifier' (G6.28) and 'preceding_invoice' (G1.32)."""
    invoice, errors = reported.invoice, []
    if reporting_scope(invoice) == "international" and not buyer_identifier(invoice):
        errors.append("buyer_identifier")
    if (
        invoice.is_credit_note
        and reporting_scope(invoice) == "international"
        and not (invoice.preceding_invoice_number and invoice.preceding_invoice_date)
    ):
        errors.append("preceding_invoice")
    return errors


def transactions_data(declarant, identifier, issued_at, start, end, invoices):
    """pyfrctc's data of the transactions report of [start, end] for the `invoices` (ReportedInvoice)."""
    international = [item for item in invoices if reporting_scope(item.invoice) == "international"]
    consumer = [item for item in invoices if reporting_scope(item.invoice) == "consumer"]
    return _document(declarant, identifier, issued_at) | {
        "TT-17": start,
        "TT-18": end,
        "TG-8": [_individual_invoice(item) for item in international],
        "TG-31": _aggregated_transactions(consumer),
    }


def paid_by_rate(payment: Payment):
    """{VAT rate: amount received} of a payment, for the lines whose VAT is due on payment: the share the
    payment settles of each rate's total, tax included."""
    invoice = payment.reported.invoice
    grand_total_eur = invoice.grand_total * payment.reported.eur_ratio
    fraction = payment.amount_eur / grand_total_eur if grand_total_eur else Decimal(0)
    due = {}
    blocks = {(block.tax.category, block.tax.rate): block for block in invoice.tax_blocks}
    for line in invoice.supplied_lines or invoice.lines:
        block = blocks.get((line.tax.category, line.tax.rate))
        if not line.tax.due_on_payment or not block or not block.basis:
            continue
        with_tax = line.total * (block.basis + block.amount) / block.basis
        due[line.tax.rate] = due.get(line.tax.rate, Decimal(0)) + with_tax * payment.reported.eur_ratio
    return {rate: _money(amount * fraction) for rate, amount in sorted(due.items())}


def payments_data(declarant, identifier, issued_at, start, end, payments):
    """pyfrctc's data of the payments report of [start, end]: per invoice for buyers abroad (TG-34), per day
    and rate for consumers (TG-37)."""
    per_invoice, per_day = [], {}
    for payment in sorted(payments, key=lambda item: (item.date, item.reported.invoice.number)):
        amounts = paid_by_rate(payment)
        if not amounts:
            continue
        invoice = payment.reported.invoice
        if reporting_scope(invoice) == "international":
            per_invoice.append(
                {
                    "TT-91": invoice.number,
                    "TT-102": invoice.issue_date,
                    "TT-92": payment.date,
                    "TG-36": [
                        {"TT-93": f"{rate:.2f}", "TT-94": "EUR", "TT-95": f"{amount:.2f}"}
                        for rate, amount in amounts.items()
                    ],
                }
            )
        else:
            day = per_day.setdefault(payment.date, {})
            for rate, amount in amounts.items():
                day[rate] = day.get(rate, Decimal(0)) + amount
    return _document(declarant, identifier, issued_at) | {
        "TT-89": start,
        "TT-90": end,
        "TG-34": per_invoice,
        "TG-37": [
            {
                "TT-96": day,
                "TG-39": [
                    {"TT-97": f"{rate:.2f}", "TT-98": "EUR", "TT-99": f"{amount:.2f}"}
                    for rate, amount in sorted(rates.items())
                ],
            }
            for day, rates in sorted(per_day.items())
        ],
    }


def declarant_errors(declarant: Declarant):
    """What is missing for any report: codes among 'siren' (G6.26) and 'platform_number' (G6.22)."""
    errors = []
    if not re.fullmatch(r"\d{9}", declarant.siren or ""):
        errors.append("siren")
    if len(declarant.platform_number or "") != 4:
        errors.append("platform_number")
    return errors


def build_report(kind, data):
    """The e-reporting XML (bytes) of `data`, written by pyfrctc and checked against the XSD and the Flux 10
    schematron; raises ReportInvalid with every violation."""
    generate = pyfrctc.generate_ereporting_payments if kind == "payments" else pyfrctc.generate_ereporting_transactions
    try:
        xml = generate(data, check_xsd=False)
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise ReportInvalid([f"pyfrctc: {error!r}"]) from error
    violations = check_xsd(xml, FRR_XSD_FILE, "ereporting-xsd")
    if not violations:
        violations = [item for item in check_schematron(xml, FRR_SCHEMATRON_FILE, "ereporting") if item.blocking]
    if violations:
        raise ReportInvalid([f"[{item.rule_id}] {item.message}" for item in violations])
    return xml


def issued_now():
    """TT-3: the transmission time, to the second."""
    return datetime.now().replace(microsecond=0)
