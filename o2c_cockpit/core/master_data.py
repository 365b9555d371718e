"""Quality of the customers' master data: plain Python over plain data, no ORM.

A customer is judged on what the order-to-cash cycle needs: its SIREN (French companies), its VAT
number (companies), an accounting e-mail address for invoices and reminders, a complete postal
address and payment terms. Identifiers are checked with python-stdnum (Luhn key of the SIREN and
SIRET, check digits of the VAT number, the French VAT key matching the SIREN). Customers sharing a
SIREN, a VAT number or an IBAN are likely duplicates.
"""

import re
from dataclasses import dataclass, field

from stdnum import iban as std_iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

# The checks, in the order of the worklist; each one a criterion of the score.
CRITERIA = ("siren", "vat", "email", "address", "payment_term")

# Issue codes: (criterion, code). A criterion is met when none of its issues is raised.
ISSUES = (
    ("siren", "siren_missing"),
    ("siren", "siren_invalid"),
    ("vat", "vat_missing"),
    ("vat", "vat_invalid"),
    ("vat", "vat_siren_mismatch"),
    ("email", "email_missing"),
    ("address", "address_incomplete"),
    ("payment_term", "payment_term_missing"),
)


@dataclass
class Customer:
    """What the checks read of one customer (a commercial entity)."""

    id: int
    is_company: bool = True
    country_code: str = ""
    company_registry: str = ""
    vat: str = ""
    accounting_email: str = ""
    street: str = ""
    zip: str = ""
    city: str = ""
    has_payment_term: bool = False
    ibans: tuple = ()


@dataclass
class Verdict:
    """The result for one customer: the issues found, the criteria that apply, the score in percent,
    and the normalised identifiers (for the duplicate search)."""

    issues: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    score: int = 100
    siren: str = ""
    vat: str = ""


def digits_of(value):
    """Return the digits of ``value`` (a SIREN or SIRET typed with spaces or dots)."""
    return re.sub(r"\D", "", value or "")


def check_siren(company_registry):
    """Return ``(siren, issue)`` for a Company ID holding a SIREN or a SIRET: the 9-digit SIREN when it
    is valid, and the issue code (``siren_missing``, ``siren_invalid``) or None."""
    digits = digits_of(company_registry)
    if not digits:
        return "", "siren_missing"
    if len(digits) == 9 and fr_siren.is_valid(digits):
        return digits, None
    if len(digits) == 14 and fr_siret.is_valid(digits):
        return digits[:9], None
    return "", "siren_invalid"


def check_vat(vat, siren=""):
    """Return ``(vat, issue)``: the compact VAT number when its check digits are valid, and the issue
    code (``vat_missing``, ``vat_invalid``, ``vat_siren_mismatch`` for a French number whose SIREN is
    not the customer's) or None."""
    if not (vat or "").strip():
        return "", "vat_missing"
    try:
        compact = eu_vat.validate(vat)
    except Exception:
        return "", "vat_invalid"
    if compact.startswith("FR"):
        number = compact[2:]
        if not fr_tva.is_valid(number):
            return "", "vat_invalid"
        if siren and number[2:].isdigit() and number[2:] != siren:
            return compact, "vat_siren_mismatch"
    return compact, None


def judge(customer, home_country="FR"):
    """Return the ``Verdict`` of one ``Customer``; one without country is taken to be in ``home_country``
    (the company's) for the SIREN, which only French companies have."""
    verdict = Verdict()
    french_company = customer.is_company and (customer.country_code or home_country or "").upper() == "FR"
    if french_company:
        verdict.criteria.append("siren")
        verdict.siren, issue = check_siren(customer.company_registry)
        if issue:
            verdict.issues.append(issue)
    if customer.is_company:
        verdict.criteria.append("vat")
        verdict.vat, issue = check_vat(customer.vat, verdict.siren)
        if issue:
            verdict.issues.append(issue)
    verdict.criteria += ["email", "address", "payment_term"]
    if not (customer.accounting_email or "").strip():
        verdict.issues.append("email_missing")
    if not all(
        (value or "").strip() for value in (customer.street, customer.zip, customer.city, customer.country_code)
    ):
        verdict.issues.append("address_incomplete")
    if not customer.has_payment_term:
        verdict.issues.append("payment_term_missing")
    failed = {criterion for criterion, code in ISSUES if code in verdict.issues}
    verdict.score = round(100 * (len(verdict.criteria) - len(failed)) / len(verdict.criteria))
    return verdict


def normalise_iban(value):
    """Return the compact IBAN of ``value`` when it is a valid IBAN, else an empty string."""
    try:
        return std_iban.validate(value or "")
    except Exception:
        return ""


def duplicates(keys):
    """Group customers sharing an identifier. ``keys`` is ``[(customer_id, kind, value), ...]`` with
    kind ``siren``, ``vat`` or ``iban``; return ``{customer_id: {other_id: {kinds}}}`` for every
    customer that shares at least one value with another."""
    holders = {}
    for customer_id, kind, value in keys:
        if value:
            holders.setdefault((kind, value), set()).add(customer_id)
    result = {}
    for (kind, _value), ids in holders.items():
        if len(ids) < 2:
            continue
        for customer_id in ids:
            for other in ids - {customer_id}:
                result.setdefault(customer_id, {}).setdefault(other, set()).add(kind)
    return result
