"""The plain arithmetic of disputes, without a database."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_disputes.core import credit_note, service_level
from odoo.tests import BaseCase

# The machine running the suite is shared: a slow draw is not a fault of the rule.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ credit note scaled to the credited amount


CENT = Decimal("0.01")


def _round_cent(value):
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _is_zero_cent(value):
    return _round_cent(value) == 0


def _with_vat(rate):
    """Total with taxes of a line at quantity 1, VAT rounded per line."""
    return lambda _line, price: _round_cent(price * (1 + Decimal(rate) / 100))


def D(text):
    return Decimal(text)


class TestDisputeCore(BaseCase):
    """Dispute deadlines and scaled credit notes, without a database."""

    def test_deadline_adds_the_service_level_in_calendar_days(self):
        assert service_level.deadline(date(2025, 12, 29), 5) == date(2026, 1, 3)
        assert service_level.deadline(None, 5) is None

    @relaxed
    @given(st.dates(max_value=date(9000, 1, 1)), st.integers(min_value=-5, max_value=365))
    def test_deadline_is_never_before_the_opening(self, opened, days):
        due = service_level.deadline(opened, days)
        assert due >= opened
        assert due - opened == timedelta(days=max(days, 0))

    def test_a_partial_credit_note_scales_every_line_and_reaches_the_cent(self):
        line_total = _with_vat(20)
        prices, largest, extra = credit_note.scale_lines(
            {"a": D("300.00"), "b": D("700.00")},
            D("333.33"),
            D("1200.00"),
            line_total,
            _round_cent,
            _is_zero_cent,
            CENT,
        )
        assert largest == "b"
        assert prices["a"] == D("83.33")  # 300 x 333.33 / 1200
        assert extra == 0 and isinstance(extra, Decimal)
        assert line_total("a", prices["a"]) + line_total("b", prices["b"]) == D("333.33")

    def test_a_cent_no_single_price_reaches_is_carried_by_a_second_line(self):
        line_total = _with_vat(20)
        # At 20 % VAT a unit price of 8.37 totals 10.04 and 8.38 totals 10.06: 10.05 needs two lines.
        price, extra = credit_note.settle_cent(
            lambda p: line_total("a", p), D("8.37"), D("10.05"), _round_cent, _is_zero_cent, CENT
        )
        assert extra > 0
        assert line_total("a", price) + line_total("a", extra) == D("10.05")

    def test_an_unreachable_total_gives_the_nearest_price_and_no_second_line(self):
        price, extra = credit_note.settle_cent(
            lambda p: p * 3, D("10.00"), D("30.05"), _round_cent, _is_zero_cent, CENT, spread=2
        )
        assert (price, extra) == (D("10.02"), 0)

    @relaxed
    @given(
        st.lists(st.integers(min_value=1, max_value=500_000), min_size=1, max_size=6),
        st.sampled_from(["0", "2.1", "5.5", "10", "20"]),
        st.decimals(min_value="0.01", max_value="0.99", places=2),
    )
    def test_a_scaled_credit_note_totals_the_credited_amount_to_the_cent(self, cents, rate, share):
        amounts = {index: Decimal(value) / 100 for index, value in enumerate(cents)}
        line_total = _with_vat(rate)
        total = sum(line_total(line, amount) for line, amount in amounts.items())
        target = _round_cent(total * share)
        prices, largest, extra = credit_note.scale_lines(
            amounts, target, total, line_total, _round_cent, _is_zero_cent, CENT
        )
        credited = sum(line_total(line, price) for line, price in prices.items())
        credited += line_total(largest, extra) if extra else 0
        assert credited == target
