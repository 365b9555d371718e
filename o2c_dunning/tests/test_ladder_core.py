"""Plain unit tests of the ladder arithmetic (no database)."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_dunning.core import ladder as core
from odoo.tests import BaseCase

LADDER = core.Ladder(
    id=1,
    levels=(
        core.Level(id=10, day_offset=-5, skip_when_late=True),
        core.Level(id=11, day_offset=1),
        core.Level(id=12, day_offset=10),
        core.Level(id=13, day_offset=20),
        core.Level(id=14, day_offset=30, min_amount=D("100.00")),
        core.Level(id=15, day_offset=45),
    ),
)
DUE = date(2025, 3, 31)


def invoice(reached=None, residual=D("1000.00"), excluded=D(0), escalate=False, partner=7, id=1, due=DUE):
    return core.OpenInvoice(
        id=id,
        partner_id=partner,
        due_date=due,
        residual=residual,
        excluded=excluded,
        reached_level_id=reached,
        escalate=escalate,
    )


offsets = st.lists(st.integers(min_value=-30, max_value=120), min_size=1, max_size=8, unique=True).map(sorted)


class TestLadderCore(BaseCase):
    """The ladder arithmetic: which level is due, fees and interest, without a database."""

    def test_each_level_falls_due_on_its_offset_and_not_the_day_before(self):
        reached = None
        for level in LADDER.levels:
            if level.id == 10:
                continue  # the courtesy level has its own test: it is skipped once the first reminder is due
            day = DUE + timedelta(days=level.day_offset)
            if reached is None:
                # before its day, nothing; the courteous reminder of -5 days is the first level otherwise
                assert core.due_level(LADDER, invoice(reached=10), day - timedelta(days=1)) is None
            else:
                assert core.due_level(LADDER, invoice(reached=reached), day - timedelta(days=1)) is None
            assert core.due_level(LADDER, invoice(reached=reached or 10), day) == level
            reached = level.id

    def test_courteous_reminder_due_five_days_before_due_date(self):
        assert core.due_level(LADDER, invoice(), DUE - timedelta(days=6)) is None
        assert core.due_level(LADDER, invoice(), DUE - timedelta(days=5)).id == 10
        assert core.due_level(LADDER, invoice(), DUE).id == 10

    def test_courteous_reminder_is_skipped_when_the_invoice_is_already_late(self):
        assert core.due_level(LADDER, invoice(), DUE + timedelta(days=1)).id == 11

    def test_levels_are_never_skipped_without_the_ladder_saying_so(self):
        # 60 days late and only the first reminder sent: the next one is the second reminder, not the formal notice
        assert core.due_level(LADDER, invoice(reached=11), DUE + timedelta(days=60)).id == 12
        assert core.due_level(LADDER, invoice(reached=15), DUE + timedelta(days=600)) is None

    def test_broken_promise_makes_the_next_level_due_at_once(self):
        day = DUE + timedelta(days=12)
        assert core.due_level(LADDER, invoice(reached=12), day) is None
        assert core.due_level(LADDER, invoice(reached=12, escalate=True), day).id == 13

    def test_amount_under_level_minimum_or_fully_excluded_is_not_reminded(self):
        day = DUE + timedelta(days=30)
        assert core.due_level(LADDER, invoice(reached=13, residual=D("99.99")), day) is None
        assert core.due_level(LADDER, invoice(reached=13, residual=D("150.00"), excluded=D("50.01")), day) is None
        assert core.due_level(LADDER, invoice(reached=13, residual=D("150.00"), excluded=D("50.00")), day).id == 14
        assert core.due_level(LADDER, invoice(reached=11, residual=D("150.00"), excluded=core.WHOLE), day) is None

    def test_amounts_are_decimal_to_the_cent_whatever_the_caller_hands(self):
        # Odoo's floats: 0.30 - 0.10 is 0.19999999999999998 in floats, under a minimum of 0.20; not in Decimal.
        ladder = core.Ladder(id=2, levels=(core.Level(id=21, day_offset=1, min_amount=0.2),))
        late = invoice(reached=None, residual=0.3, excluded=0.1)
        assert (late.residual, late.excluded, late.dunnable_amount) == (D("0.30"), D("0.10"), D("0.20"))
        assert isinstance(ladder.levels[0].min_amount, D)
        assert core.due_level(ladder, late, DUE + timedelta(days=1)).id == 21
        # what is kept out is at most the open amount: more, or the whole invoice, leaves nothing to remind
        assert invoice(residual=D("80.00"), excluded=D("95.50")).excluded == D("80.00")
        whole = invoice(residual=D("80.00"), excluded=core.WHOLE)
        assert (whole.excluded, whole.dunnable_amount) == (D("80.00"), D(0))
        no_minimum = core.Ladder(id=3, levels=(core.Level(id=31, day_offset=1),))
        planned = core.plan_run(
            {7: no_minimum}, [invoice(id=1, residual=0.1), invoice(id=2, residual=0.2)], DUE + timedelta(days=1)
        )
        assert [(p.invoice_ids, p.amount) for p in planned] == [([1, 2], D("0.30"))]
        assert str(planned[0].amount) == "0.30"

    def test_next_action_date_is_due_date_plus_next_offset(self):
        assert core.next_action_date(LADDER, None, DUE) == DUE - timedelta(days=5)
        assert core.next_action_date(LADDER, 13, DUE) == DUE + timedelta(days=30)
        assert core.next_action_date(LADDER, 15, DUE) is None

    def test_plan_groups_invoices_per_customer_and_level(self):
        day = DUE + timedelta(days=11)
        planned = core.plan_run(
            {7: LADDER, 8: LADDER},
            [
                invoice(id=1, reached=11),  # second reminder due
                invoice(id=2, reached=11, residual=D("500.00")),  # second reminder due, same customer
                invoice(id=3, reached=None),  # first reminder due
                invoice(id=4, partner=8, reached=11),
                invoice(id=5, partner=8, reached=12),  # nothing due yet
            ],
            day,
            already_planned={(4, 12)},
        )
        assert [(p.partner_id, p.level_id, p.invoice_ids, p.amount) for p in planned] == [
            (7, 11, [3], D("1000.00")),
            (7, 12, [1, 2], D("1500.00")),
        ]

    def test_offset_check_reports_same_offset_and_disorder(self):
        assert core.check_offsets([("a", -5), ("b", 1), ("c", 10)]) is None
        assert core.check_offsets([("a", 1), ("b", 1)]) == ("same_offset", "a", "b")
        assert core.check_offsets([("a", 10), ("b", 1)]) == ("unordered", "a", "b")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(offsets, st.integers(min_value=-40, max_value=200), st.integers(min_value=-1, max_value=7))
    def test_due_level_is_always_the_next_level_or_nothing(self, day_offsets, days, reached_index):
        ladder = core.Ladder(1, tuple(core.Level(id=100 + i, day_offset=o) for i, o in enumerate(day_offsets)))
        reached = ladder.levels[reached_index].id if 0 <= reached_index < len(ladder.levels) else None
        level = core.due_level(ladder, invoice(reached=reached), DUE + timedelta(days=days))
        expected = core.next_level(ladder, reached)
        if level is not None:
            assert level == expected
            assert DUE + timedelta(days=level.day_offset) <= DUE + timedelta(days=days)
        else:
            assert expected is None or DUE + timedelta(days=expected.day_offset) > DUE + timedelta(days=days)
