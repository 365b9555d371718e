"""The plain arithmetic of disputes, without a database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.o2c_disputes.core import allocation


def test_allocate_fills_the_oldest_due_invoice_first():
    invoices = [(1, date(2025, 3, 1), 500.0), (2, date(2025, 1, 1), 300.0), (3, date(2025, 2, 1), 400.0)]
    assert allocation.allocate(600.0, invoices) == {2: 300.0, 3: 300.0, 1: 0.0}


def test_allocate_serves_invoices_with_disputed_lines_first():
    invoices = [(1, date(2025, 1, 1), 500.0), (2, date(2025, 2, 1), 500.0)]
    assert allocation.allocate(200.0, invoices, priority=[2]) == {2: 200.0, 1: 0.0}


def test_deadline_adds_the_service_level_in_calendar_days():
    assert allocation.deadline(date(2025, 12, 29), 5) == date(2026, 1, 3)
    assert allocation.deadline(None, 5) is None


invoice_lists = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=10_000),
        st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda inv: inv[0],
)


@given(invoice_lists, st.floats(min_value=0, max_value=2e6, allow_nan=False))
def test_allocate_never_exceeds_a_residual_nor_the_amount(invoices, amount):
    shares = allocation.allocate(amount, invoices)
    residuals = {inv_id: residual for inv_id, _due, residual in invoices}
    assert set(shares) == set(residuals)
    assert all(0 <= shares[i] <= residuals[i] + 1e-6 for i in shares)
    total = sum(shares.values())
    assert total <= amount + 1e-6
    # Everything is placed unless the residuals are exhausted.
    assert abs(total - min(amount, sum(residuals.values()))) <= 1e-6 * max(1.0, amount)


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(min_value=-5, max_value=365))
def test_deadline_is_never_before_the_opening(opened, days):
    due = allocation.deadline(opened, days)
    assert due >= opened
    assert due - opened == timedelta(days=max(days, 0))
