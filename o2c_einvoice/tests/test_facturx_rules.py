"""The rules that decide what kind of Factur-X an invoice is, without a database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.o2c_einvoice.facturx import rules
from odoo.addons.o2c_einvoice.facturx.document import ALLOWED_TYPE_CODES, CREDIT_NOTE_TYPE_CODES, Line, Tax
from odoo.tests import BaseCase

DEPOSIT = 42


def _line(is_deduction):
    return Line("1", "Acompte", Decimal(1), Decimal(100), Decimal(-100), Tax("S", Decimal(20)), True,
                is_down_payment_deduction=is_deduction)  # fmt: skip


class TestFacturxRules(BaseCase):
    """The French type-code and deduction rules of Factur-X."""

    def test_an_invoice_of_down_payment_lines_only_is_a_deposit_invoice_386(self):
        assert rules.is_deposit_invoice([DEPOSIT, DEPOSIT], DEPOSIT)
        assert rules.type_code(is_credit_note=False, is_deposit=True) == "386"

    def test_an_invoice_with_other_lines_or_no_down_payment_product_is_a_plain_invoice_380(self):
        assert not rules.is_deposit_invoice([DEPOSIT, 7], DEPOSIT)
        assert not rules.is_deposit_invoice([], DEPOSIT)
        # No down payment product configured: a line without product is not a down payment.
        assert not rules.is_deposit_invoice([False], 0)
        assert rules.type_code(is_credit_note=False, is_deposit=False) == "380"

    def test_a_credit_note_is_381_even_for_a_down_payment(self):
        assert rules.type_code(is_credit_note=True, is_deposit=True) == "381"
        assert rules.type_code(is_credit_note=True, is_deposit=True) in CREDIT_NOTE_TYPE_CODES

    def test_only_a_negative_down_payment_line_deducts_a_down_payment(self):
        assert rules.is_down_payment_deduction(DEPOSIT, DEPOSIT, Decimal("-500.00"))
        assert not rules.is_down_payment_deduction(DEPOSIT, DEPOSIT, Decimal("500.00"))
        assert not rules.is_down_payment_deduction(7, DEPOSIT, Decimal("-500.00"))
        assert not rules.is_down_payment_deduction(False, 0, Decimal("-500.00"))

    def test_the_final_invoice_is_the_one_that_deducts_a_down_payment(self):
        assert rules.is_final_after_down_payment([_line(False), _line(True)])
        assert not rules.is_final_after_down_payment([_line(False)])
        assert not rules.is_final_after_down_payment([])

    def test_b2b_domestic_is_a_french_seller_invoicing_a_french_company(self):
        assert rules.is_b2b_domestic("FR", True, "FR")
        assert not rules.is_b2b_domestic("FR", False, "FR")  # a consumer
        assert not rules.is_b2b_domestic("FR", True, "BE")  # an export
        assert not rules.is_b2b_domestic("BE", True, "FR")
        assert not rules.is_b2b_domestic("", True, "")

    @given(st.booleans(), st.booleans())
    def test_every_type_code_the_rules_give_is_allowed_in_france(self, is_credit_note, is_deposit):
        assert rules.type_code(is_credit_note, is_deposit) in ALLOWED_TYPE_CODES
