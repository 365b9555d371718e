"""The plain arithmetic of disputes, without a database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.o2c_disputes.core import service_level


def test_deadline_adds_the_service_level_in_calendar_days():
    assert service_level.deadline(date(2025, 12, 29), 5) == date(2026, 1, 3)
    assert service_level.deadline(None, 5) is None


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(min_value=-5, max_value=365))
def test_deadline_is_never_before_the_opening(opened, days):
    due = service_level.deadline(opened, days)
    assert due >= opened
    assert due - opened == timedelta(days=max(days, 0))

