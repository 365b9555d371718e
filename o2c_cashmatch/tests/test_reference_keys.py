"""Reference keys cannot collide: an RF creditor reference, an invoice number and a payment reference are keyed so
that one is never taken for another (no database)."""

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_97_10

from odoo.addons.o2c_cashmatch.matching import item_keys, text_windows
from odoo.addons.o2c_cashmatch.matching.references import TOKEN, canonical
from odoo.tests import BaseCase

PREFIXES = ["INV", "FAC", "FACT", "F", "RG", ""]
SEPARATORS = ["/", "-", " ", ""]


def rf(payload):
    """The ISO 11649 creditor reference of `payload` (its check digits computed)."""
    return f"RF{mod_97_10.calc_check_digits(payload + 'RF')}{payload}"


schemes = st.tuples(st.sampled_from(PREFIXES), st.sampled_from(SEPARATORS), st.sampled_from([2024, 2025]))
numbers = st.integers(min_value=1, max_value=99999)
payloads = st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTUVWXYZ", min_size=1, max_size=12)


def invoice_number(scheme, number, width=5):
    prefix, separator, year = scheme
    return separator.join(part for part in (prefix, str(year), f"{number:0{width}d}") if part)


def digits_core(text):
    return "".join(TOKEN.findall(text.upper())).lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class TestReferenceKeys(BaseCase):
    """Keys of open items and of the texts of bank lines."""

    def test_an_rf_reference_and_the_invoice_number_of_its_digits_do_not_share_a_key(self):
        # "RF04 291" is a valid creditor reference whose digits spell invoice number 04291.
        self.assertEqual(rf("291"), "RF04291")
        self.assertFalse(item_keys("04291") & item_keys("INV/2025/00001", "RF04 291"))
        windows, _tails = text_windows("Paiement RF04 291")
        self.assertNotIn("04291", windows)
        self.assertIn("RF04291", windows)
        self.assertIn("04291", text_windows("Paiement facture 04291")[0])

    @settings(max_examples=80, deadline=None)
    @given(schemes, numbers, payloads)
    def test_property_no_rf_reference_shares_a_key_with_an_invoice_number(self, scheme, number, payload):
        reference = rf(payload)
        number_keys = item_keys(invoice_number(scheme, number))
        self.assertFalse(number_keys & item_keys("", reference), (reference, invoice_number(scheme, number)))
        windows, _tails = text_windows(f"VIR {reference[:4]} {reference[4:]}")
        if canonical(reference) != canonical(invoice_number(scheme, number)):
            self.assertFalse(number_keys & windows, (reference, invoice_number(scheme, number)))

    @settings(max_examples=80, deadline=None)
    @given(st.lists(st.tuples(schemes, numbers), min_size=2, max_size=8), st.lists(payloads, max_size=4))
    def test_property_two_items_share_a_key_only_when_their_text_is_the_same(self, invoices, rf_payloads):
        texts = [invoice_number(scheme, number) for scheme, number in invoices] + [rf(p) for p in rf_payloads]
        keys = [item_keys(text) if not text.startswith("RF") else item_keys("", text) for text in texts]
        for i, first in enumerate(texts):
            for j in range(i + 1, len(texts)):
                second = texts[j]
                shared = keys[i] & keys[j]
                if not shared:
                    continue
                if first.startswith("RF") or second.startswith("RF"):
                    # A creditor reference is keyed whole: only the same reference shares its key.
                    self.assertEqual(canonical(first), canonical(second))
                else:
                    # Invoice numbers share a key only when they are the same number once the letters before it
                    # and the separators are left out (the prefixes payers change: FACT, Rg., INV).
                    self.assertEqual(digits_core(first), digits_core(second), (first, second, shared))
