"""Hand-built plain invoices for the pure-core tests (no database)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from odoo.addons.o2c_einvoice.facturx.document import Address, Invoice, Line, Party, Tax, TaxBlock

AKRETION_DIR = Path(__file__).resolve().parent / "data" / "facturx" / "akretion"

VAT20 = Tax("S", D("20"))
VAT10 = Tax("S", D("10"))
SELLER = Party(
    "Atelier Durand SAS",
    Address("12 rue de la République", "", "Lyon", "69002", "FR"),
    siren="732829320",
    vat="FR44732829320",
    electronic_address="732829320",
    email="compta@atelier-durand.fr",
)
BUYER = Party(
    "Boulangerie Martin SARL",
    Address("5 avenue Foch", "", "Paris", "75016", "FR"),
    siren="552100554",
    vat="FR96552100554",
    electronic_address="552100554",
)
# Services on receipts: VAT due on payment (French default for services).
VAT20_ON_PAYMENT = Tax("S", D("20"), due_on_payment=True)
CONSULTING = Line("1", "Conseil", D("2"), D("500.00"), D("1000.00"), VAT20_ON_PAYMENT, is_service=True)
KEYBOARD = Line("2", "Clavier", D("3"), D("50.00"), D("150.00"), VAT20)


def make_invoice(lines=(CONSULTING, KEYBOARD), **changes):
    """A valid French B2B invoice over `lines` (VAT breakdown and totals computed), with `changes` applied."""
    blocks = {}
    for line in lines:
        basis, _amount = blocks.get(line.tax, (D(0), D(0)))
        blocks[line.tax] = (basis + line.total, D(0))
    blocks = {tax: (basis, (basis * tax.rate / 100).quantize(D("0.01"))) for tax, (basis, _a) in blocks.items()}
    line_total = sum((line.total for line in lines), D(0))
    tax_total = sum((amount for _b, amount in blocks.values()), D(0))
    invoice = Invoice(
        number="F2026-0042",
        type_code="380",
        issue_date=date(2026, 9, 15),
        currency="EUR",
        seller=SELLER,
        buyer=BUYER,
        lines=tuple(lines),
        tax_blocks=tuple(TaxBlock(tax, basis, amount) for tax, (basis, amount) in blocks.items()),
        line_total=line_total,
        tax_basis_total=line_total,
        tax_total=tax_total,
        grand_total=line_total + tax_total,
        due_amount=line_total + tax_total,
        due_date=date(2026, 10, 15),
        payment_terms="30 jours",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        penalty_note="Pénalités de retard : trois fois le taux d'intérêt légal.",
        recovery_fee_note="Indemnité forfaitaire pour frais de recouvrement : 40 €.",
        discount_note="Pas d'escompte pour paiement anticipé.",
    )
    return replace(invoice, **changes)
