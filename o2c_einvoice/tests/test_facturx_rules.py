"""The rules that decide what kind of Factur-X an invoice is, without a database."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.o2c_einvoice.facturx import rules
from odoo.addons.o2c_einvoice.facturx.document import ALLOWED_TYPE_CODES, CREDIT_NOTE_TYPE_CODES, Line, Tax
from odoo.tests import BaseCase

DEPOSIT = 42  # id of the down payment product


def _line(is_deduction):
    return Line("1", "Acompte", Decimal(1), Decimal(100), Decimal(-100), Tax("S", Decimal(20)), True,
                is_down_payment_deduction=is_deduction)  # fmt: skip


class TestFacturxRules(BaseCase):
    """The French type-code and deduction rules of Factur-X."""

    def test_an_invoice_of_down_payment_lines_only_is_a_deposit_invoice_386(self):
        assert rules.is_deposit_invoice([True, True])
        assert rules.type_code(is_credit_note=False, is_deposit=True) == "386"

    def test_an_invoice_with_other_lines_or_no_lines_is_a_plain_invoice_380(self):
        assert not rules.is_deposit_invoice([True, False])
        assert not rules.is_deposit_invoice([])
        assert rules.type_code(is_credit_note=False, is_deposit=False) == "380"

    def test_a_down_payment_line_is_flagged_by_sale_on_the_deposit_product_or_on_account_4191(self):
        assert rules.is_down_payment_line(False, 0, "706000", is_downpayment=True)
        assert rules.is_down_payment_line(DEPOSIT, DEPOSIT, "706000")
        assert rules.is_down_payment_line(False, 0, "419100")
        assert not rules.is_down_payment_line(7, DEPOSIT, "707000")
        assert not rules.is_down_payment_line(False, 0, "")

    def test_a_credit_note_is_381_even_for_a_down_payment(self):
        assert rules.type_code(is_credit_note=True, is_deposit=True) == "381"
        assert rules.type_code(is_credit_note=True, is_deposit=True) in CREDIT_NOTE_TYPE_CODES

    def test_only_a_negative_down_payment_line_deducts_a_down_payment(self):
        assert rules.is_down_payment_deduction(True, Decimal("-500.00"))
        assert not rules.is_down_payment_deduction(True, Decimal("500.00"))
        assert not rules.is_down_payment_deduction(False, Decimal("-500.00"))

    def test_goods_or_services_from_product_then_tax_then_account_then_tax_scope_then_company(self):
        cases = [
            (("service", False, "707000", "consu", "goods"), True),
            (("consu", True, "706000", "service", "services"), False),
            (("", True, "707000", "consu", "goods"), True),
            (("", False, "707000", "service", "services"), False),
            (("", False, "706100", "consu", "goods"), True),
            (("", False, "708000", "consu", "services"), False),
            (("", False, "708000", "service", "goods"), True),
            (("", False, "", "", "services"), True),
            (("", False, "", "", "goods"), False),
        ]
        for arguments, is_service in cases:
            with self.subTest(arguments=arguments):
                assert rules.line_is_service(*arguments) is is_service

    def test_early_discount_note_states_the_rate_the_days_and_the_last_date(self):
        assert rules.early_discount_note(Decimal("2.50"), 10, date(2026, 9, 15)) == (
            "Escompte de 2,5 % pour paiement sous 10 jours (avant le 25/09/2026)."
        )
        assert rules.early_discount_note(Decimal("2"), 8) == "Escompte de 2 % pour paiement sous 8 jours."

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
