"""Spreading an amount over invoices oldest due first, without a database."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first
from odoo.tests import BaseCase

# The machine running the suite is shared: slow draws are not a fault of the rule.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
invoice_lists = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=10_000),
        st.one_of(st.none(), st.just(False), st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))),
        st.integers(min_value=-50_000, max_value=10_000_000),
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda inv: inv[0],
)


def _age(invoice):
    """Sort key of the rule: oldest due first, no due date last, then the lowest id."""
    invoice_id, due, _residual = invoice
    return (not due, due or date.min, invoice_id)


class TestAllocateOldestFirst(BaseCase):
    """The oldest-first spread of a payment over open invoices, without a database."""

    def test_the_oldest_due_invoice_is_served_first(self):
        invoices = [(1, date(2025, 3, 1), 500.0), (2, date(2025, 1, 1), 300.0), (3, date(2025, 2, 1), 400.0)]
        assert allocate_oldest_first(600.0, invoices) == {2: 300.0, 3: 300.0, 1: 0.0}

    def test_priority_invoices_are_served_before_older_ones(self):
        invoices = [(1, date(2025, 1, 1), 500.0), (2, date(2025, 2, 1), 500.0)]
        assert allocate_oldest_first(200.0, invoices, priority=[2]) == {2: 200.0, 1: 0.0}

    def test_an_invoice_without_due_date_comes_last_and_ties_go_to_the_lowest_id(self):
        invoices = [(5, None, 100.0), (4, date(2025, 1, 1), 100.0), (3, date(2025, 1, 1), 100.0)]
        assert allocate_oldest_first(250.0, invoices) == {3: 100.0, 4: 100.0, 5: 50.0}
        # Odoo reads an empty date as False.
        invoices = [(6, False, 100.0), (5, None, 100.0), (4, date(2025, 1, 1), 100.0)]
        assert allocate_oldest_first(150.0, invoices) == {4: 100.0, 5: 50.0, 6: 0.0}

    def test_an_amount_above_the_residuals_leaves_the_rest_unplaced(self):
        invoices = [(1, date(2025, 1, 1), 100.0), (2, date(2025, 2, 1), 50.0)]
        assert allocate_oldest_first(1000.0, invoices) == {1: 100.0, 2: 50.0}

    def test_a_negative_amount_or_residual_places_nothing(self):
        invoices = [(1, date(2025, 1, 1), -80.0), (2, date(2025, 2, 1), 50.0)]
        assert allocate_oldest_first(-10.0, invoices) == {1: 0.0, 2: 0.0}
        assert allocate_oldest_first(30.0, invoices) == {1: 0.0, 2: 30.0}

    def test_cents_and_decimals_keep_their_type(self):
        invoices = [(1, date(2025, 1, 1), 1999), (2, date(2025, 2, 1), 500)]
        parts = allocate_oldest_first(2100, invoices)
        assert parts == {1: 1999, 2: 101}
        assert all(type(part) is int for part in parts.values())
        decimal_parts = allocate_oldest_first(Decimal("20.10"), [(1, date(2025, 1, 1), Decimal("19.99"))])
        assert decimal_parts == {1: Decimal("19.99")}
        assert type(decimal_parts[1]) is Decimal

    @relaxed
    @given(invoice_lists, st.integers(min_value=-1000, max_value=20_000_000))
    def test_parts_sum_to_the_amount_oldest_first_never_above_a_residual(self, invoices, amount):
        parts = allocate_oldest_first(amount, invoices)
        assert set(parts) == {invoice_id for invoice_id, _due, _residual in invoices}
        for invoice_id, _due, residual in invoices:
            assert 0 <= parts[invoice_id] <= max(residual, 0)
        room = sum(max(residual, 0) for _id, _due, residual in invoices)
        # In cents the sum is exact: the whole amount, unless the residuals cannot take it all.
        assert sum(parts.values()) == min(max(amount, 0), room)
        # Oldest first: an invoice gets something only once every older one is full.
        ordered = sorted(invoices, key=_age)
        for index, (invoice_id, _due, _residual) in enumerate(ordered):
            if parts[invoice_id] > 0:
                assert all(
                    parts[older_id] == max(older_residual, 0) for older_id, _d, older_residual in ordered[:index]
                )

    @relaxed
    @given(invoice_lists, st.lists(st.integers(min_value=1, max_value=10_000), max_size=3), st.integers(0, 10_000_000))
    def test_priority_invoices_are_full_before_any_other_gets_a_part(self, invoices, priority, amount):
        parts = allocate_oldest_first(amount, invoices, priority=priority)
        first = [inv for inv in invoices if inv[0] in priority]
        others = [inv for inv in invoices if inv[0] not in priority]
        if any(parts[invoice_id] > 0 for invoice_id, _due, _residual in others):
            assert all(parts[invoice_id] == max(residual, 0) for invoice_id, _due, residual in first)
        assert sum(parts.values()) == min(amount, sum(max(residual, 0) for _id, _due, residual in invoices))
