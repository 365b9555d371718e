"""Ladder arithmetic of the dunning: which level is due for an invoice, when the next one falls due,
how invoices group into communications (the statutory late-payment charges are ``core/interest.py``).

Plain data in, plain data out: the Odoo models read records in bulk, call these functions and
write the results back in bulk. Amounts are Decimal (o2c_base/tools/money.py): the dataclasses read the
amounts they are given with ``to_money`` whatever their number type, so a level's minimum is compared with an
invoice's open amount to the cent, never through a float's noise.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from odoo.addons.o2c_base.tools.money import ZERO, to_money

#: Excluded amount meaning "the whole invoice is kept out" (``account.move._o2c_dunning_excluded``).
WHOLE = float("inf")
#: Nothing kept out, as ``to_money`` writes it: most invoices of a run, read without converting a float each time.
NOTHING = to_money(0)


def _money(value):
    """`value` (any number type) as a Decimal amount; None reads as zero."""
    return to_money(value if value is not None else 0)


@dataclass(frozen=True)
class Level:
    """One level of a ladder, as the arithmetic needs it."""

    id: int
    day_offset: int
    min_amount: Decimal = ZERO
    skip_when_late: bool = False

    def __post_init__(self):
        object.__setattr__(self, "min_amount", _money(self.min_amount))


@dataclass(frozen=True)
class Ladder:
    """Levels in ladder order (offsets strictly increasing)."""

    id: int
    levels: tuple[Level, ...]

    def position(self, level_id):
        """Index of `level_id` in the ladder, -1 for "no level reached yet" (None or unknown level)."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        return -1


@dataclass(frozen=True)
class OpenInvoice:
    """An open customer invoice (or one instalment of it) as the run sees it. `excluded` is the part kept out
    of dunning, at most the residual: an amount above it, or WHOLE, keeps it all out."""

    id: int
    partner_id: int
    due_date: date
    residual: Decimal
    excluded: Decimal = ZERO
    reached_level_id: int | None = None
    escalate: bool = False  # a promise to pay was broken: the next level is due at once

    def __post_init__(self):
        residual = _money(self.residual)
        object.__setattr__(self, "residual", residual)
        # A run builds one per open instalment: each amount is converted once, and "nothing excluded" not at all.
        excluded = self.excluded
        if not excluded:
            excluded = NOTHING
        elif excluded == WHOLE or (excluded := _money(excluded)) > residual:
            excluded = _money(max(residual, ZERO))
        object.__setattr__(self, "excluded", excluded)

    @cached_property
    def dunnable_amount(self):
        """Open amount left once the excluded part (disputes, promises...) is kept out."""
        return max(self.residual - self.excluded, ZERO)


@dataclass
class PlannedCommunication:
    """One communication to create: a customer, a level, and the invoices reminded at that level."""

    partner_id: int
    level_id: int
    invoice_ids: list[int] = field(default_factory=list)
    amount: Decimal = ZERO


def check_offsets(levels):
    """Check `levels`, a list of (name, day_offset) in ladder order.

    Returns None when valid, else ("same_offset" | "unordered", first_name, second_name) for the first fault.
    """
    seen = {}
    for name, offset in levels:
        if offset in seen:
            return ("same_offset", seen[offset], name)
        seen[offset] = name
    for (first_name, first_offset), (second_name, second_offset) in zip(levels, levels[1:], strict=False):
        if second_offset < first_offset:
            return ("unordered", first_name, second_name)
    return None


def level_date(due_date, level):
    """Date on which `level` falls due for an invoice due on `due_date`."""
    return due_date + timedelta(days=level.day_offset)


def next_level(ladder, reached_level_id):
    """The level after `reached_level_id` in `ladder` (the first level when none reached), or None at the end."""
    position = ladder.position(reached_level_id) + 1
    return ladder.levels[position] if position < len(ladder.levels) else None


def due_level(ladder, invoice, run_date):
    """The level to send for `invoice` on `run_date`, or None when nothing is due.

    Always the level after the reached one; a level flagged `skip_when_late` is passed over when the
    level after it is already due too. A broken promise (`escalate`) makes the next level due at once.
    Invoices whose dunnable amount is below the level's minimum are not reminded.
    """
    position = ladder.position(invoice.reached_level_id) + 1
    levels = ladder.levels
    while position < len(levels):
        level = levels[position]
        following = levels[position + 1] if position + 1 < len(levels) else None
        if level.skip_when_late and following and level_date(invoice.due_date, following) <= run_date:
            position += 1
            continue
        break
    else:
        return None
    level = levels[position]
    if not invoice.escalate and level_date(invoice.due_date, level) > run_date:
        return None
    if invoice.dunnable_amount <= 0 or invoice.dunnable_amount < level.min_amount:
        return None
    return level


def next_action_date(ladder, reached_level_id, due_date):
    """Date the next level of an invoice falls due (None at the end of the ladder)."""
    level = next_level(ladder, reached_level_id)
    return level_date(due_date, level) if level else None


def plan_run(ladders, invoices, run_date, already_planned=frozenset()):
    """Group the invoices due for a level into communications, one per customer and level.

    `ladders` maps partner id -> Ladder; `already_planned` holds the (invoice id, level id) pairs that
    already have a communication and must not get another. Returns PlannedCommunication objects
    sorted by partner then level order.
    """
    grouped = defaultdict(lambda: None)
    order = {}
    for invoice in invoices:
        ladder = ladders.get(invoice.partner_id)
        if ladder is None:
            continue
        level = due_level(ladder, invoice, run_date)
        if level is None or (invoice.id, level.id) in already_planned:
            continue
        key = (invoice.partner_id, level.id)
        planned = grouped[key]
        if planned is None:
            planned = grouped[key] = PlannedCommunication(invoice.partner_id, level.id)
            order[key] = (invoice.partner_id, ladder.position(level.id))
        planned.invoice_ids.append(invoice.id)
        planned.amount += invoice.dunnable_amount
    return [grouped[key] for key in sorted(grouped, key=order.__getitem__)]
