"""Seeded generator of a labelled cash-matching set (pure Python, no Odoo import).

Customers and open invoices, then bank lines paying them with the noise real payments carry
(exact references, RF references, several invoices, partial payments, bank fees, early-payment
discounts, credit notes, typos, another payer, amount only, duplicate amounts, unmatchable lines,
returns) in realistic shares, each with its ground truth. Used by the addon's tests on a small
set and by `tests/bench/bench_cashmatch.py` on 2,000 lines; `camt_writer.camt053()` writes the lines as a
camt.053.001.02 file.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from stdnum import iso11649

FIRST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Lefevre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clement",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
]
TRADES = [
    "Boulangerie",
    "Transports",
    "Menuiserie",
    "Garage",
    "Imprimerie",
    "Pharmacie",
    "Plomberie",
    "Electricite",
    "Boucherie",
    "Fromagerie",
    "Librairie",
    "Informatique",
    "Conseil",
    "Batiment",
    "Paysages",
    "Optique",
    "Textiles",
    "Emballages",
    "Logistique",
    "Ateliers",
    "Distribution",
    "Hotellerie",
    "Vins",
    "Metallerie",
]
PLACES = [
    "de Lyon",
    "du Nord",
    "Atlantique",
    "de Provence",
    "Alpes",
    "de Bretagne",
    "Occitanie",
    "Normandie",
    "du Centre",
    "de l'Est",
    "Parisienne",
    "Aquitaine",
    "",
    "",
    "",
    "",
]
FORMS = ["SARL", "SAS", "SA", "EURL", "SASU", "SNC"]
FACTORS = ["BNP PARIBAS FACTOR", "EUROFACTOR", "CA LEASING FACTORING", "NATIXIS FACTOR", "GE FACTOFRANCE"]
NOISE_WORDS = ["VIREMENT SEPA", "VIR SEPA RECU", "PAIEMENT", "REGLEMENT", "Virement de", "VIR INST"]

# class: share of lines (sums to 1). `auto` says whether a correct engine should reconcile it alone.
CLASSES = {
    "exact": (0.46, True),
    "rf": (0.08, True),
    "multi": (0.07, True),
    "partial": (0.04, True),
    "fees": (0.04, True),
    "discount": (0.02, True),
    "credit_note": (0.02, True),
    "typo": (0.08, True),
    "other_payer": (0.05, True),
    "amount_name": (0.04, True),
    "combination": (0.02, True),
    "duplicate_amount": (0.02, False),
    "unmatchable": (0.03, False),
    "return": (0.03, False),
}


@dataclass
class GenCustomer:
    index: int
    name: str
    iban: str


@dataclass
class GenInvoice:
    index: int
    customer: int
    number: str
    amount: Decimal
    invoice_date: date
    due_date: date
    rf: str = ""
    discount_residual: Decimal | None = None
    discount_date: date | None = None
    is_credit_note: bool = False


@dataclass
class GenLine:
    index: int
    label: str
    amount: Decimal
    booking_date: date
    remittance: str = ""
    structured_reference: str = ""
    end_to_end_id: str = ""
    payer_name: str = ""
    payer_iban: str = ""
    charges: Decimal = Decimal(0)
    return_reason: str = ""
    entry_info: str = ""
    truth: tuple = ()
    expect_auto: bool = True
    writeoff: Decimal = Decimal(0)


@dataclass
class LabelledSet:
    customers: list
    invoices: list
    lines: list = field(default_factory=list)


def _iban(rng):
    body = "".join(str(rng.randint(0, 9)) for _ in range(23))
    bban = f"{body}FR00"
    digits = "".join(str(int(c, 36)) for c in bban)
    check = 98 - int(digits) % 97
    return f"FR{check:02d}{body}"


def make_customers(rng, count):
    """`count` French-looking companies with distinct names and one IBAN each."""
    names, customers = set(), []
    while len(customers) < count:
        name = f"{rng.choice(TRADES)} {rng.choice(FIRST)} {rng.choice(PLACES)}".replace("  ", " ").strip()
        name = f"{name} {rng.choice(FORMS)}"
        if name in names:
            name = f"{name} {len(customers)}"
        names.add(name)
        customers.append(GenCustomer(len(customers), name, _iban(rng)))
    return customers


def default_number(index, year=2025):
    """Odoo's default customer invoice number for sequence `index`."""
    return f"INV/{year}/{index + 1:05d}"


def make_invoices(rng, customers, count, today, number=default_number):
    """`count` open invoices spread over the customers (a few credit notes among them)."""
    invoices = []
    for index in range(count):
        customer = rng.randrange(len(customers))
        amount = Decimal(rng.choice([rng.randint(50, 900), rng.randint(900, 9000), rng.randint(20, 200)]))
        amount += Decimal(rng.randint(0, 99)) / 100
        invoice_date = today - timedelta(days=rng.randint(5, 120))
        invoice = GenInvoice(index, customer, number(index), amount, invoice_date, invoice_date + timedelta(days=30))
        if rng.random() < 0.15:
            invoice.rf = iso11649.format(iso11649_from(invoice.number)).replace(" ", "")
        invoices.append(invoice)
    return invoices


def iso11649_from(number):
    """RF creditor reference built on the digits/letters of an invoice number (as Odoo's tool does)."""
    body = "".join(c for c in number.upper() if c.isalnum())[-21:]
    check = 98 - int("".join(str(int(c, 36)) for c in body + "RF00")) % 97
    return f"RF{check:02d}{body}"


def _payer_variant(rng, name):
    """How a bank shows a customer's name: upper case, legal form moved or dropped, cut at 35."""
    words = name.split()
    choice = rng.random()
    if choice < 0.35:
        shown = name.upper()
    elif choice < 0.55:
        shown = " ".join(words[:-1]).upper()
    elif choice < 0.7:
        shown = f"{words[-1]} {' '.join(words[:-1])}"
    elif choice < 0.85:
        shown = name
    else:
        shown = name.replace("Transports", "TRANSP.").replace("Boulangerie", "BOUL.").upper()
    return shown[:35]


def _typo(rng, number):
    """One of the reference accidents a person makes typing an invoice number."""
    kind = rng.choice(["substitute", "transpose", "delete", "insert", "separators", "confusion", "prefix", "truncate"])
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    if kind == "substitute":
        i = rng.choice(digits[-4:])
        return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]
    if kind == "transpose":
        i = rng.choice(digits[-4:-1])
        if number[i] == number[i + 1]:
            return number[:i] + number[i + 1 :]
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    if kind == "delete":
        i = rng.choice(digits[-5:])
        return number[:i] + number[i + 1 :]
    if kind == "insert":
        i = rng.choice(digits[-4:])
        return number[:i] + str(rng.randint(0, 9)) + number[i:]
    if kind == "separators":
        return number.replace("/", rng.choice(["", " ", "-", "."]))
    if kind == "confusion":
        return number.replace("0", "O", rng.randint(1, 3)).replace("I", "1", 1)
    if kind == "prefix":
        core = number.split("/", 1)[-1]
        return f"{rng.choice(['FACT', 'Rg.', 'INV', 'FACTURE N', 'FA'])} {core}"
    return number[: len(number) - rng.randint(1, 3)]


def make_lines(rng, customers, invoices, count, today):
    """`count` labelled bank lines paying the open invoices with realistic noise."""
    by_customer = {}
    for invoice in invoices:
        by_customer.setdefault(invoice.customer, []).append(invoice)
    used = set()

    def take(predicate=lambda inv: True, tries=400):
        for _ in range(tries):
            invoice = invoices[rng.randrange(len(invoices))]
            if invoice.index not in used and not invoice.is_credit_note and predicate(invoice):
                used.add(invoice.index)
                return invoice
        return None

    def free(customer):
        return [i for i in by_customer.get(customer, []) if i.index not in used and not i.is_credit_note]

    def unique_amount(invoice):
        same = [i for i in by_customer[invoice.customer] if i.amount == invoice.amount and not i.is_credit_note]
        return len(same) == 1

    lines = []
    labels = list(CLASSES)
    weights = [CLASSES[k][0] for k in labels]
    booking = today
    while len(lines) < count:
        label = rng.choices(labels, weights)[0]
        index = len(lines)
        line = None
        if label in ("exact", "other_payer", "fees", "partial"):
            invoice = take()
            customer = customers[invoice.customer]
            ref = invoice.number
            where = rng.random()
            remittance, structured, e2e = "", "", ""
            if where < 0.7:
                remittance = rng.choice([ref, f"Facture {ref}", f"{ref} merci", f"REGLEMENT {ref}", f"Paiement {ref}"])
            elif where < 0.85:
                structured = ref
            else:
                e2e = ref.replace("/", "")
                remittance = rng.choice(NOISE_WORDS)
            payer = _payer_variant(rng, customer.name)
            amount = invoice.amount
            truth, writeoff, charges = (invoice.index,), Decimal(0), Decimal(0)
            if label == "other_payer":
                payer = rng.choice(FACTORS + [f"HOLDING {customer.name.split()[1].upper()}"])
            elif label == "fees":
                writeoff = Decimal(rng.randint(100, 1200)) / 100
                amount -= writeoff
                charges = writeoff if rng.random() < 0.5 else Decimal(0)
            elif label == "partial":
                amount = (invoice.amount * Decimal(rng.randint(20, 70)) / 100).quantize(Decimal("0.01"))
                if invoice.amount - amount <= 15:
                    # A partial payment leaves a real balance; on a small invoice, half of it (never money out).
                    amount = amount - 20 if amount > 40 else (invoice.amount / 2).quantize(Decimal("0.01"))
            line = GenLine(
                index,
                label,
                amount,
                booking,
                remittance,
                structured,
                e2e,
                payer,
                customer.iban,
                charges,
                truth=truth,
                writeoff=writeoff,
            )
        elif label == "rf":
            invoice = take(lambda inv: bool(inv.rf))
            if invoice is None:
                continue
            customer = customers[invoice.customer]
            line = GenLine(
                index,
                label,
                invoice.amount,
                booking,
                rng.choice(["", "VIR SEPA"]),
                invoice.rf,
                "",
                _payer_variant(rng, customer.name),
                customer.iban,
                truth=(invoice.index,),
            )
        elif label == "multi":
            first = take()
            others = free(first.customer)[: rng.randint(1, 3)]
            if not others:
                used.discard(first.index)
                continue
            group = [first] + others
            used.update(i.index for i in group)
            customer = customers[first.customer]
            refs = rng.choice([" ", ", ", " + ", " / "]).join(i.number for i in group)
            line = GenLine(
                index,
                label,
                sum(i.amount for i in group),
                booking,
                f"Factures {refs}"[:140],
                "",
                "",
                _payer_variant(rng, customer.name),
                customer.iban,
                truth=tuple(i.index for i in group),
            )
        elif label == "discount":
            invoice = take(lambda inv: inv.discount_residual is not None)
            if invoice is None:
                continue
            customer = customers[invoice.customer]
            line = GenLine(
                index,
                label,
                invoice.discount_residual,
                booking,
                f"Facture {invoice.number} escompte 2%",
                "",
                "",
                _payer_variant(rng, customer.name),
                customer.iban,
                truth=(invoice.index,),
                writeoff=invoice.amount - invoice.discount_residual,
            )
        elif label == "credit_note":
            invoice = take(lambda inv: any(n.is_credit_note and n.index not in used for n in by_customer[inv.customer]))
            if invoice is None:
                continue
            note = next(n for n in by_customer[invoice.customer] if n.is_credit_note and n.index not in used)
            used.add(note.index)
            customer = customers[invoice.customer]
            line = GenLine(
                index,
                label,
                invoice.amount - note.amount,
                booking,
                f"Facture {invoice.number} moins avoir",
                "",
                "",
                _payer_variant(rng, customer.name),
                customer.iban,
                truth=(invoice.index, note.index),
            )
            if line.amount <= 0:
                continue
        elif label == "typo":
            invoice = take()
            customer = customers[invoice.customer]
            line = GenLine(
                index,
                label,
                invoice.amount,
                booking,
                f"{rng.choice(['', 'Facture ', 'REF '])}{_typo(rng, invoice.number)}",
                "",
                "",
                _payer_variant(rng, customer.name),
                "",
                truth=(invoice.index,),
            )
        elif label == "amount_name":
            invoice = take(unique_amount)
            if invoice is None:
                continue
            customer = customers[invoice.customer]
            line = GenLine(
                index,
                label,
                invoice.amount,
                booking,
                rng.choice(NOISE_WORDS),
                "",
                "",
                _payer_variant(rng, customer.name),
                "",
                truth=(invoice.index,),
            )
        elif label == "combination":
            first = take()
            others = free(first.customer)[:1]
            if not others:
                used.discard(first.index)
                continue
            group = [first] + others
            used.update(i.index for i in group)
            customer = customers[first.customer]
            line = GenLine(
                index,
                label,
                sum(i.amount for i in group),
                booking,
                rng.choice(NOISE_WORDS),
                "",
                "",
                _payer_variant(rng, customer.name),
                "",
                truth=tuple(i.index for i in group),
            )
        elif label == "duplicate_amount":
            invoice = take()
            twin = take(lambda inv, c=invoice.customer: inv.customer == c)
            if twin is None:
                used.discard(invoice.index)
                continue
            twin.amount = invoice.amount
            customer = customers[invoice.customer]
            line = GenLine(
                index,
                label,
                invoice.amount,
                booking,
                rng.choice(NOISE_WORDS),
                "",
                "",
                _payer_variant(rng, customer.name),
                "",
                truth=(invoice.index, twin.index),
                expect_auto=False,
            )
        elif label == "unmatchable":
            amount = Decimal(rng.randint(1000, 500000)) / 100
            line = GenLine(
                index,
                label,
                amount,
                booking,
                rng.choice(["REMBOURSEMENT", "VIR DIVERS", "DEPOT"]),
                "",
                "",
                f"{rng.choice(FIRST).upper()} {rng.choice(FIRST).upper()}",
                "",
                expect_auto=False,
            )
        elif label == "return":
            invoice = invoices[rng.randrange(len(invoices))]
            line = GenLine(
                index,
                label,
                -invoice.amount,
                booking,
                f"RETOUR PRLV {invoice.number}",
                "",
                "",
                customers[invoice.customer].name.upper(),
                customers[invoice.customer].iban,
                return_reason=rng.choice(["AC04", "AM04", "MD06", "MS02"]),
                expect_auto=False,
            )
        if line is not None:
            lines.append(line)
    return lines


def generate(seed=4, customers=60, invoices=600, lines=300, today=date(2025, 6, 30), number=default_number):
    """A whole labelled set: customers, open invoices (some discounted, some credit notes) and lines."""
    rng = random.Random(seed)
    people = make_customers(rng, customers)
    open_items = make_invoices(rng, people, invoices, today, number=number)
    for invoice in open_items:
        roll = rng.random()
        if roll < 0.04:
            invoice.is_credit_note = True
            invoice.amount = (invoice.amount / 5).quantize(Decimal("0.01"))
        elif roll < 0.1:
            invoice.discount_residual = (invoice.amount * Decimal("0.98")).quantize(Decimal("0.01"))
            invoice.discount_date = today + timedelta(days=5)
    return LabelledSet(people, open_items, make_lines(rng, people, open_items, lines, today))
