"""Amounts handed to a core are Decimals holding what Odoo shows, to the currency's places."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.o2c_base.tools.money import ZERO, to_money
from odoo.tests import BaseCase
from odoo.tools import float_repr, float_round


class TestMoney(BaseCase):
    """`to_money` turns Odoo's float amounts into exact Decimals."""

    def test_a_float_amount_becomes_the_decimal_odoo_prints(self):
        self.assertEqual(to_money(0.1 + 0.2), Decimal("0.30"))
        self.assertEqual(to_money(1234.5), Decimal("1234.50"))
        self.assertEqual(
            to_money(2.675), Decimal("2.68"), "half away from zero, as Odoo rounds (2.675 is 2.67499... as a float)"
        )
        self.assertEqual(to_money(-2.5, digits=0), Decimal("-3"))
        self.assertEqual(to_money(1.0005, digits=3), Decimal("1.001"))

    def test_ints_strings_decimals_and_none(self):
        self.assertEqual(to_money(7), Decimal("7.00"))
        self.assertEqual(to_money("12.345"), Decimal("12.35"))
        self.assertEqual(to_money(Decimal("1.005")), Decimal("1.01"))
        self.assertIsNone(to_money(None))
        self.assertEqual(ZERO + to_money(0.0), Decimal("0.00"))

    def test_a_float_odoo_reads_as_a_half_cent_rounds_up_as_odoo_shows_it(self):
        self.assertEqual(to_money(773094113.3249992), Decimal("773094113.33"))  # found by the property test below

    @given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
    def test_the_decimal_reads_as_odoo_rounds_the_float(self, amount):
        money = to_money(amount)
        self.assertEqual(money, Decimal(float_repr(float_round(amount, precision_digits=2), 2)))
        self.assertEqual(money.as_tuple().exponent, -2, "two places, as the currency has")
        self.assertLessEqual(abs(money - Decimal(amount)), Decimal("0.005") + Decimal(abs(amount)) * Decimal("1e-15"))
