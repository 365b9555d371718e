"""The settlement arithmetic of a bank line (what its invoices and write-off leave on suspense), without a database."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_cashmatch.matching import settlement_rest
from odoo.tests import BaseCase

D = Decimal


class TestSettlementRest(BaseCase):
    """What a bank line brings beyond what it settles."""

    def test_a_payment_of_the_invoice_leaves_nothing(self):
        assert settlement_rest(480.0, [480.0]) == 0

    def test_bank_fees_written_off_leave_nothing(self):
        assert settlement_rest(722.5, [730.0], writeoff=7.5) == 0

    def test_a_partial_payment_settles_what_it_brings(self):
        assert settlement_rest(400.0, [400.0]) == 0

    def test_an_overpayment_leaves_the_extra_on_suspense(self):
        assert settlement_rest(500.0, [480.0]) == D("20.00")

    def test_invoices_net_of_a_credit_note(self):
        assert settlement_rest(480.0, [500.0, -20.0]) == 0

    def test_settling_more_than_the_line_brings_is_refused(self):
        assert settlement_rest(400.0, [480.0]) is None
        assert settlement_rest(722.5, [730.0], writeoff=7.0) is None

    def test_settling_nothing_is_refused(self):
        assert settlement_rest(100.0, []) is None
        assert settlement_rest(100.0, [50.0, -50.0]) is None
        assert settlement_rest(100.0, [7.5], writeoff=7.5) is None

    def test_float_amounts_add_up_to_the_cent(self):
        # 0.1 + 0.2 is 0.30000000000000004 in floats: the rest is exactly zero, not a dust on suspense.
        assert settlement_rest(0.3, [0.1, 0.2]) == 0
        assert settlement_rest(100.0, [33.33, 33.33, 33.33]) == D("0.01")

    def test_amounts_are_rounded_to_the_currency(self):
        assert settlement_rest(10.02, [5.0], rounding=0.05) == D("5.00")
        assert settlement_rest(1234.4, [1000], rounding=1.0) == 234

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.integers(min_value=1, max_value=10**9),
        st.lists(st.integers(min_value=-(10**8), max_value=10**8), max_size=8),
        st.integers(min_value=0, max_value=1500),
    )
    def test_property_the_rest_is_what_the_line_brings_beyond_what_it_settles(self, amount, allocated, writeoff):
        cent = D("0.01")
        rest = settlement_rest(float(amount * cent), [float(a * cent) for a in allocated], float(writeoff * cent))
        settled = sum(allocated) - writeoff
        if settled <= 0 or settled > amount:
            assert rest is None
        else:
            assert rest == (amount - settled) * cent
