"""Deterministic plan of the demo company: plain data, no Odoo import.

The same seed gives the same customers, products, orders and payments; `size` scales the
number of customers and invoices, from the ~50-customer demo of
`./setup/run.sh` to the 2,000-customer / 20,000-invoice data set of the benchmarks.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

SIZES = {"demo": (50, 300), "bench": (2000, 20000)}  # customers, invoices

CITIES = [
    ("75002", "Paris"),
    ("69003", "Lyon"),
    ("13001", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("59000", "Lille"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("35000", "Rennes"),
    ("34000", "Montpellier"),
    ("06000", "Nice"),
    ("38000", "Grenoble"),
    ("21000", "Dijon"),
    ("37000", "Tours"),
    ("49000", "Angers"),
    ("63000", "Clermont-Ferrand"),
    ("76000", "Rouen"),
    ("51100", "Reims"),
    ("29200", "Brest"),
    ("87000", "Limoges"),
    ("80000", "Amiens"),
    ("64000", "Pau"),
    ("25000", "Besançon"),
    ("57000", "Metz"),
]
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "boulevard Gambetta",
    "rue Victor Hugo",
    "rue Pasteur",
    "place du Marché",
    "rue des Tanneurs",
    "avenue de la Gare",
    "rue Nationale",
    "quai des Chartrons",
    "rue du Faubourg Saint-Antoine",
    "chemin des Vignes",
    "rue Lafayette",
]
ACTIVITIES = [
    "Boulangerie",
    "Transports",
    "Garage",
    "Imprimerie",
    "Menuiserie",
    "Pharmacie",
    "Cabinet",
    "Hôtel",
    "Restaurant",
    "Librairie",
    "Électricité",
    "Plomberie",
    "Agence",
    "Clinique",
    "Laboratoire",
    "Atelier",
    "Fromagerie",
    "Brasserie",
    "Optique",
    "Studio",
]
FAMILY_NAMES = [
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
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
]
FIRST_NAMES = [
    "Camille",
    "Julie",
    "Nicolas",
    "Sophie",
    "Thomas",
    "Claire",
    "Antoine",
    "Isabelle",
    "Pierre",
    "Nathalie",
    "Julien",
    "Sandrine",
    "Mathieu",
    "Céline",
    "Laurent",
    "Émilie",
    "Olivier",
    "Marion",
]
LEGAL_FORMS = ["SARL", "SAS", "SA", "EURL", "SASU"]

GOODS = [
    ("Bureau assis-debout 160 cm", 689.0),
    ("Fauteuil ergonomique", 412.0),
    ("Caisson mobile 3 tiroirs", 159.0),
    ("Armoire haute à rideaux", 548.0),
    ("Table de réunion 8 places", 1290.0),
    ("Écran 27 pouces", 289.0),
    ("Lampe de bureau LED", 64.5),
    ("Cloison acoustique", 375.0),
    ("Vestiaire métallique", 233.0),
    ("Rayonnage d'archives", 198.0),
]
SERVICES = [
    ("Installation et montage (heure)", 65.0),
    ("Étude d'aménagement", 850.0),
    ("Contrat de maintenance annuel", 1200.0),
    ("Livraison et mise en place", 120.0),
    ("Formation ergonomie (demi-journée)", 480.0),
    ("Déménagement de bureaux (jour)", 1450.0),
]

# Share of orders per payment behaviour, and what each means for the payment.
BEHAVIOURS = [("on_time", 0.45), ("late", 0.20), ("very_late", 0.10), ("partial", 0.10), ("unpaid", 0.15)]
PAYMENT_TERMS = [
    "account.account_payment_term_30days",
    "account.account_payment_term_45days",
    "account.account_payment_term_end_following_month",
    "account.account_payment_term_immediate",
]
OLD_DEBT_DAYS, OLD_DEBT_KEPT = 25, 12
TERM_DAYS = {PAYMENT_TERMS[0]: 30, PAYMENT_TERMS[1]: 45, PAYMENT_TERMS[2]: 45, PAYMENT_TERMS[3]: 0}


def siren_with_key(body8):
    """Return the 9-digit SIREN made of `body8` and its Luhn check digit."""
    digits = [int(c) for c in body8]
    for key in range(10):
        total = 0
        for i, d in enumerate(reversed([*digits, key])):
            d = d * 2 if i % 2 else d
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return body8 + str(key)
    raise AssertionError("unreachable: one Luhn key always exists")


def vat_from_siren(siren):
    """Return the French intra-community VAT number of a SIREN."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def head_office_siret(siren):
    """Return a valid SIRET of the SIREN's first establishment: the SIREN and the first establishment number
    (NIC, from 00010) whose 14 digits pass the Luhn key, as INSEE numbers them."""
    for nic in range(10, 100000):
        siret = f"{siren}{nic:05d}"
        digits = [int(d) for d in reversed(siret)]
        if (sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])) % 10 == 0:
            return siret
    raise ValueError(f"no valid SIRET for SIREN {siren}")


def french_iban(bank, branch, account):
    """Return a valid French IBAN (RIB key and IBAN check digits computed) from its RIB parts."""
    rib_key = 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)
    bban = f"{bank}{branch}{account}{rib_key:02d}"
    check = 98 - int(bban + "152700") % 97  # "FR00" with letters as numbers: F=15, R=27
    return f"FR{check:02d}{bban}"


@dataclass
class CustomerPlan:
    name: str
    siren: str
    vat: str
    street: str
    zip: str
    city: str
    email: str
    phone: str
    contact_name: str
    contact_email: str
    payment_term: str
    lang: str


@dataclass
class OrderPlan:
    customer: int
    order_date: date
    lines: list  # (is_service, product index, quantity, unit price)
    behaviour: str
    payment_delay: int  # days after the due date (negative: early), unused when unpaid
    paid_share: float  # 1.0 full, 0 < x < 1 partial, 0 unpaid

    @property
    def untaxed(self):
        return round(sum(qty * price for _s, _p, qty, price in self.lines), 2)


@dataclass
class DemoPlan:
    seed: int
    today: date
    company_siren: str
    company_iban: str
    customers: list = field(default_factory=list)
    orders: list = field(default_factory=list)

    @property
    def total_untaxed(self):
        return round(sum(o.untaxed for o in self.orders), 2)


def _settle_old_debt(order, plan):
    """A company that chases its customers has few old debts: of the invoices due more than OLD_DEBT_DAYS
    ago and still (partly) unpaid, one in OLD_DEBT_KEPT stays so (formal notices, litigation); the others
    were paid 5 to 25 days late. The first dunning run then reminds most customers at an early level (no draw
    from the seed's stream here: every other order of the plan stays as it was)."""
    due = order.order_date + timedelta(days=TERM_DAYS[plan.customers[order.customer].payment_term])
    still_open = order.paid_share < 1 or due + timedelta(days=order.payment_delay) > plan.today
    if still_open and (plan.today - due).days > OLD_DEBT_DAYS and len(plan.orders) % OLD_DEBT_KEPT:
        order.behaviour, order.payment_delay, order.paid_share = "late", 5 + len(plan.orders) % 21, 1.0


def make_plan(size="demo", seed=2026, today=None):
    """Return the `DemoPlan` of `size` ("demo", "bench" or a number of customers) for `seed`."""
    n_customers, n_orders = SIZES[size] if isinstance(size, str) else (int(size), int(size) * 6)
    today = today or date.today()
    rng = random.Random(seed)
    plan = DemoPlan(
        seed=seed,
        today=today,
        company_siren=siren_with_key("83214507"),
        company_iban=french_iban("30004", "00823", "00012345678"),
    )
    used_names = set()
    for index in range(n_customers):
        while True:
            activity, family = rng.choice(ACTIVITIES), rng.choice(FAMILY_NAMES)
            base_name = f"{activity} {family}"
            name = base_name if base_name not in used_names else f"{base_name} {index}"
            if name not in used_names:
                used_names.add(name)
                break
        siren = siren_with_key(f"{rng.randrange(10**7, 10**8)}")
        zip_code, city = rng.choice(CITIES)
        slug = name.lower().translate(str.maketrans("éèêàçôîû' ", "eeeacoiu--"))
        first, last = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
        plan.customers.append(
            CustomerPlan(
                name=f"{name} {rng.choice(LEGAL_FORMS)}",
                siren=siren,
                vat=vat_from_siren(siren),
                street=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
                zip=zip_code,
                city=city,
                email=f"contact@{slug}.example.fr",
                phone=f"+33 {rng.randint(1, 5)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                contact_name=f"{first} {last}",
                contact_email=f"compta@{slug}.example.fr",
                payment_term=rng.choices(PAYMENT_TERMS, weights=[5, 3, 2, 1])[0],
                lang="en_US" if rng.random() < 0.1 else "fr_FR",
            )
        )
    names, weights = zip(*BEHAVIOURS, strict=True)
    for _ in range(n_orders):
        lines = []
        for _line in range(rng.randint(1, 4)):
            is_service = rng.random() < 0.4
            catalogue = SERVICES if is_service else GOODS
            product = rng.randrange(len(catalogue))
            lines.append((is_service, product, rng.randint(1, 8), catalogue[product][1]))
        behaviour = rng.choices(names, weights=weights)[0]
        delay = {
            "on_time": rng.randint(-10, 0),
            "late": rng.randint(5, 25),
            "very_late": rng.randint(40, 90),
            "partial": rng.randint(0, 30),
            "unpaid": 0,
        }[behaviour]
        paid_share = {"partial": rng.choice([0.3, 0.5, 0.7]), "unpaid": 0.0}.get(behaviour, 1.0)
        order = OrderPlan(
            customer=rng.randrange(n_customers),
            order_date=today - timedelta(days=rng.randint(1, 182)),
            lines=lines,
            behaviour=behaviour,
            payment_delay=delay,
            paid_share=paid_share,
        )
        _settle_old_debt(order, plan)
        plan.orders.append(order)
    plan.orders.sort(key=lambda o: o.order_date)
    return plan
