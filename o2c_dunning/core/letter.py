"""One letter per customer and run: which invoices it reminds, at which level, and what it claims once the
customer's unapplied credits are counted.

Plain data in, plain data out (no Odoo model); the level due for each invoice is ``ladder.due_level``.
Amounts are Decimal (o2c_base/tools/money.py): the invoices' and credits' amounts are read with ``to_money``
whatever number type the caller hands, so that a cent of float noise never decides whether a customer's
credits cover what is due.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.o2c_base.tools.money import ZERO, to_money

from .ladder import due_level


@dataclass
class Letter:
    """The one communication of a customer in a run.

    `level_id` is the most advanced level due among its invoices; `invoice_levels` maps each reminded
    invoice to its own level; `amount_due` is what they leave open, `credit` the part of it that the
    customer's unapplied credit notes and payments cover, and `amount` what the letter claims."""

    partner_id: int
    level_id: int
    invoice_levels: dict = field(default_factory=dict)
    amount_due: Decimal = ZERO
    credit: Decimal = ZERO
    amount: Decimal = ZERO

    @property
    def invoice_ids(self):
        """The reminded invoices, in the order they were planned."""
        return list(self.invoice_levels)


def plan_letters(ladders, invoices, run_date, already_planned=frozenset(), credits=None, reminded_today=frozenset()):
    """Plan one letter per customer whose invoices are due for a level on `run_date`.

    `ladders` maps partner id -> Ladder; `already_planned` holds the (invoice id, level id) pairs already
    reminded; `credits` maps partner id -> its unapplied credit notes and payments (a positive amount, any
    number type);
    a customer in `reminded_today` already got its reminder of the day and gets no other.
    Returns (letters sorted by partner, ids of the customers whose credits cover all that is due: they
    get no letter, their credits are to be reconciled instead).
    """
    credits = credits or {}
    letters, positions = {}, {}
    for invoice in invoices:
        ladder = ladders.get(invoice.partner_id)
        if ladder is None or invoice.partner_id in reminded_today:
            continue
        level = due_level(ladder, invoice, run_date)
        if level is None or (invoice.id, level.id) in already_planned:
            continue
        letter = letters.get(invoice.partner_id)
        position = ladder.position(level.id)
        if letter is None:
            letter = letters[invoice.partner_id] = Letter(invoice.partner_id, level.id)
            positions[invoice.partner_id] = position
        elif position > positions[invoice.partner_id]:
            letter.level_id, positions[invoice.partner_id] = level.id, position
        letter.invoice_levels[invoice.id] = level.id
        letter.amount_due += invoice.dunnable_amount  # money already (ladder.OpenInvoice)
    planned, covered = [], []
    for partner_id in sorted(letters):
        letter = letters[partner_id]
        letter.credit = min(max(to_money(credits.get(partner_id, ZERO)), ZERO), letter.amount_due)
        letter.amount = letter.amount_due - letter.credit
        if letter.amount <= 0:
            covered.append(partner_id)
        else:
            planned.append(letter)
    return planned, covered
