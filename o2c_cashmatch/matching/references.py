"""Reference keys: normalisation that forgives lost separators, case and O/0, I/1 confusions."""

import re

from stdnum import iso11649

TOKEN = re.compile(r"[A-Z0-9]+")
ABBREVIATION = re.compile(r"\b([A-Z]{3,})\.")
RF_PATTERN = re.compile(r"RF\s?\d{2}(?:\s?[A-Z0-9]){1,21}")
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
LEGAL_FORMS = {
    "SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SCI", "SCOP", "SELARL", "GIE", "ETS", "STE", "SOCIETE",
    "GMBH", "AG", "BV", "NV", "LTD", "LIMITED", "INC", "LLC", "PLC", "SPA", "SRL", "CIE", "ET", "DE", "LA", "LE", "LES",
}  # fmt: skip
MIN_KEY = 5
MAX_WINDOW = 4


def canonical(text):
    """Upper-case alphanumerics only, O->0 and I/L->1, so 'inv/2O25-0OI2' equals 'INV202500012'."""
    return "".join(TOKEN.findall((text or "").upper())).translate(CONFUSABLE)


def is_rf(alnum):
    """Whether an upper-case alphanumeric string is an ISO 11649 creditor reference ('RF' and check digits)."""
    return alnum.startswith("RF") and len(alnum) >= 5 and alnum[2:4].isdigit() and iso11649.is_valid(alnum)


def _variants(alnum):
    """The canonical key of an upper-case alphanumeric string, and of its numeric core.

    An RF creditor reference is a key of its own, whole: its check digits are no part of an invoice number, so
    'RF04 291' never gives the key of invoice 04291."""
    for candidate in (alnum, alnum.translate(CONFUSABLE)):
        if is_rf(candidate):
            yield candidate
            return
    yield alnum.translate(CONFUSABLE)
    core = strip_alpha_prefix(alnum)
    if not (alnum[: len(alnum) - len(core)].endswith("RF") and is_rf("RF" + core)):
        # ("PAIEMENTRF04291" is a word and a creditor reference, not a prefix and invoice 04291.)
        yield core.translate(CONFUSABLE)


def strip_alpha_prefix(key):
    """The key without its leading letters ('FACT202500012' -> '202500012')."""
    return key.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def item_keys(number, payment_reference=""):
    """Keys under which an open item can be found: its number, payment reference and their numeric cores."""
    keys = set()
    # An invoice's payment reference is most often its number: its keys are the same.
    for raw in dict.fromkeys((number, payment_reference)):
        alnum = "".join(TOKEN.findall((raw or "").upper()))
        for key in _variants(alnum):
            if len(key) >= MIN_KEY and any(c.isdigit() for c in key):
                keys.add(key)
    return keys


def text_windows(text):
    """Candidate keys in free text: joins of up to four consecutive tokens, with and without letter prefixes.

    Returns (windows, tail_windows): all windows, and those ending at the end of the text (where a
    bank's 140-character cut truncates a reference).
    """
    tokens = TOKEN.findall((text or "").upper())
    windows, tails = set(), set()
    for start in range(len(tokens)):
        for width in range(1, MAX_WINDOW + 1):
            if start + width > len(tokens):
                break
            key = "".join(tokens[start : start + width])
            if len(key) > 40:
                break
            for candidate in _variants(key):
                if len(candidate) >= MIN_KEY:
                    windows.add(candidate)
                    if start + width == len(tokens):
                        tails.add(candidate)
    return windows, tails


def rf_references(text):
    """Valid ISO 11649 creditor references (compact form 'RF18...') found in `text`."""
    found = []
    for match in RF_PATTERN.finditer((text or "").upper()):
        candidate = match.group(0).replace(" ", "")
        # The greedy pattern may swallow the next word; try shorter cuts down to the shortest RF.
        for end in range(len(candidate), 4, -1):
            if iso11649.is_valid(candidate[:end]):
                found.append(candidate[:end])
                break
    return found


def normalized_name(name):
    """A company name without legal forms, punctuation or case, for fuzzy comparison."""
    words = TOKEN.findall((name or "").upper())
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


def abbreviations(name):
    """Words a bank shortened with a full stop ('BOUL' in 'BOUL. SIMON SA'), upper case."""
    return set(ABBREVIATION.findall((name or "").upper()))
