"""Plain data of an invoice as the CII builder needs it (EN 16931 business terms in comments)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

PROFILES = ("basic", "en16931", "extended")
PROFILE_RANK = {"basic": 1, "en16931": 2, "extended": 3}
# BT-24 per profile, as read back by `facturx.get_level()`.
GUIDELINE_IDS = {
    "basic": "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "en16931": "urn:cen.eu:en16931:2017",
    "extended": "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}
# BT-3 codes a French invoice may carry (BR-FR-04).
ALLOWED_TYPE_CODES = (
    "380", "389", "393", "501", "386", "500", "384", "471", "472", "473", "261", "262", "381", "396", "502", "503",
)  # fmt: skip
CREDIT_NOTE_TYPE_CODES = ("261", "381", "396", "502", "503")
# VAT rates in force in France and its overseas departments (BR-FR-16).
FRENCH_VAT_RATES = tuple(
    Decimal(rate)
    for rate in ("0", "20", "10", "5.5", "2.1", "8.5", "13", "7", "19.6", "20.6", "1.05", "0.9", "1.75", "9.2", "9.6")
)
VAT_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O")
# Categories whose VAT breakdown must state why no VAT is charged (BT-120 or BT-121: BR-E/AE/IC/G/O-10).
EXEMPTION_CATEGORIES = ("E", "AE", "K", "G", "O")
ELECTRONIC_ADDRESS_SCHEME = "0225"  # French electronic invoicing address (annuaire)
SIREN_SCHEME = "0002"


@dataclass(frozen=True)
class Address:
    """BG-5 / BG-8 / BG-15 postal address."""

    line1: str = ""
    line2: str = ""
    city: str = ""
    zip: str = ""
    country_code: str = ""


@dataclass(frozen=True)
class Party:
    """Seller (BG-4), buyer (BG-7) or deliver-to party (BG-13)."""

    name: str
    address: Address = field(default_factory=Address)
    siren: str = ""  # BT-30 / BT-47, 9 digits, scheme 0002
    siret: str = ""  # BT-29 / BT-46, 14 digits, scheme 0009
    vat: str = ""  # BT-31 / BT-48
    electronic_address: str = ""  # BT-34 / BT-49, scheme 0225
    email: str = ""
    is_company: bool = True
    trading_name: str = ""


@dataclass(frozen=True)
class Tax:
    """VAT category and rate of a line or a breakdown block (BT-151/152, BT-118/119)."""

    category: str
    rate: Decimal
    exemption_reason: str = ""  # BT-120
    exemption_code: str = ""  # BT-121 (VATEX)
    # The tax is due on payment (Odoo's exigibility on payment): not part of the category and rate block key.
    due_on_payment: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Line:
    """BG-25 invoice line; `is_service` drives BT-23 and BT-8."""

    line_id: str
    name: str
    quantity: Decimal
    net_price: Decimal  # BT-146, always positive (the sign goes on the quantity)
    total: Decimal  # BT-131
    tax: Tax
    is_service: bool = False
    gross_price: Decimal | None = None  # BT-148, when a discount applies
    unit_code: str = "C62"
    seller_reference: str = ""  # BT-155
    description: str = ""  # BT-154
    is_down_payment_deduction: bool = False


@dataclass(frozen=True)
class TaxBlock:
    """BG-23 VAT breakdown: one per category and rate."""

    tax: Tax
    basis: Decimal  # BT-116
    amount: Decimal  # BT-117


@dataclass(frozen=True)
class Invoice:
    """An invoice or credit note ready to be written as CII; amounts already rounded by the caller."""

    number: str  # BT-1
    type_code: str  # BT-3
    issue_date: date  # BT-2
    currency: str  # BT-5
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    tax_blocks: tuple[TaxBlock, ...]
    line_total: Decimal  # BT-106
    tax_basis_total: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    grand_total: Decimal  # BT-112
    due_amount: Decimal  # BT-115
    prepaid_amount: Decimal = Decimal("0")  # BT-113
    tax_total_accounting: Decimal | None = None  # BT-111, VAT total in EUR when BT-5 is not EUR
    accounting_currency: str = "EUR"  # BT-6
    due_date: date | None = None  # BT-9
    payment_terms: str = ""  # BT-20
    buyer_reference: str = ""  # BT-10
    order_reference: str = ""  # BT-13, purchase order of the buyer (a public buyer's commitment number)
    contract_reference: str = ""  # BT-12
    payment_reference: str = ""  # BT-83
    iban: str = ""  # BT-84
    bic: str = ""  # BT-86
    payment_means_code: str = "30"  # BT-81: 30 credit transfer
    delivery: Party | None = None  # BG-15, only when it differs from the buyer
    payee: Party | None = None  # BG-10, only when someone else than the seller is paid (a factor)
    delivery_date: date | None = None  # BT-72
    preceding_invoice_number: str = ""  # BT-25
    preceding_invoice_date: date | None = None  # BT-26
    # BG-3 of a final invoice: the down payment invoices (number, date) whose deduction lines it carries.
    down_payment_invoices: tuple[tuple[str, date | None], ...] = ()
    b2b_domestic: bool = True  # BAR note B2B
    penalty_note: str = ""  # PMD
    recovery_fee_note: str = ""  # PMT
    discount_note: str = ""  # AAB
    notes: tuple[str, ...] = ()  # free BT-22 notes
    is_final_after_down_payment: bool = False  # BT-23 B4/S4/M4
    rounding_amount: Decimal = Decimal("0")  # BT-114, cash rounding
    instalments: tuple[tuple[date, Decimal], ...] = ()  # (due date, amount) of each instalment, when several

    @property
    def is_credit_note(self):
        """True for the credit note type codes."""
        return self.type_code in CREDIT_NOTE_TYPE_CODES

    @property
    def supplied_lines(self):
        """The lines that supply something (not the deduction of an earlier down payment)."""
        return tuple(line for line in self.lines if not line.is_down_payment_deduction)

    @property
    def vat_due_date_code(self):
        """BT-8 from the taxes' exigibility: 72 (payment date) when a tax is due on payment (services on
        receipts), 5 (invoice date) when services are taxed on invoice (the seller opted for VAT on debits),
        None for goods only (VAT due on delivery, the default)."""
        lines = self.supplied_lines or self.lines
        if any(line.tax.due_on_payment for line in lines):
            return "72"
        if any(line.is_service for line in lines):
            return "5"
        return None

    @property
    def vat_on_debits(self):
        """True when the invoice states the option for VAT on debits (BT-8 = 5, printed mention)."""
        return self.vat_due_date_code == "5"
