"""Exposure and payment-behaviour figures of one commercial entity, and its risk grade."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from odoo.addons.o2c_base.tools.money import ZERO

GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Reason:
    """Why something fired or why a grade was lowered: a code and the figures behind it.

    The Odoo shell turns the code into a translated sentence; the core never formats text.
    """

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Exposure:
    """What a customer owes or will owe, in company currency (Decimal amounts, see o2c_base.tools.money).

    ``credits`` holds unapplied credit notes and payments (zero or negative).
    ``current_order`` is the order being checked, zero when showing the customer alone.
    """

    not_due: Decimal = ZERO
    overdue: Decimal = ZERO
    credits: Decimal = ZERO
    days_past_due: int = 0
    uninvoiced_orders: Decimal = ZERO
    draft_invoices: Decimal = ZERO
    current_order: Decimal = ZERO

    @property
    def receivable(self):
        """Return the posted balance still owed (open invoices minus unapplied credits)."""
        return self.not_due + self.overdue + self.credits

    @property
    def total(self):
        """Return the whole exposure: receivable, uninvoiced orders, draft invoices and the current order."""
        return self.receivable + self.uninvoiced_orders + self.draft_invoices + self.current_order

    def with_order(self, amount):
        """Return a copy of this exposure with ``amount`` as the order being checked."""
        return Exposure(
            not_due=self.not_due,
            overdue=self.overdue,
            credits=self.credits,
            days_past_due=self.days_past_due,
            uninvoiced_orders=self.uninvoiced_orders,
            draft_invoices=self.draft_invoices,
            current_order=amount,
        )


@dataclass(frozen=True)
class Behaviour:
    """Payment behaviour over a rolling window (12 months), from payments matched with invoices.

    ``paid_amount`` and ``late_weight`` (sum of amount x days late) cover the fully paid invoices;
    ``sales`` is the net amount invoiced in the window (for the DSO).
    """

    paid_amount: Decimal = ZERO
    late_weight: Decimal = ZERO
    paid_count: int = 0
    on_time_count: int = 0
    late_count: int = 0
    last_payment_date: date | None = None
    sales: Decimal = ZERO

    @property
    def has_history(self):
        """Return whether the customer paid anything in the window."""
        return self.last_payment_date is not None

    @property
    def avg_days_late(self):
        """Return the amount-weighted average number of days late of the paid invoices."""
        return float(self.late_weight / self.paid_amount) if self.paid_amount > 0 else 0.0

    @property
    def on_time_share(self):
        """Return the share (0..1) of paid invoices settled on or before their due date."""
        return self.on_time_count / self.paid_count if self.paid_count else 0.0

    def dso(self, receivable, days=365):
        """Return the days sales outstanding: receivable / sales of the window x days."""
        return float(receivable / self.sales * days) if self.sales > 0 and receivable > 0 else 0.0


@dataclass(frozen=True)
class RiskAssessment:
    """A 0-100 score, its A-D grade and the reasons that lowered it."""

    score: int
    grade: str
    reasons: tuple = ()


def grade_of(score):
    """Return the letter grade of a 0-100 score: A from 80, B from 60, C from 40, D below."""
    if score >= 80:
        return "A"
    if score >= 60:
        return "B"
    if score >= 40:
        return "C"
    return "D"


def assess_risk(exposure, behaviour, limit=ZERO, trust="normal", on_hold=False):
    """Return the :class:`RiskAssessment` of a customer from its exposure, behaviour and standing.

    Starts at 100 and takes points off for each warning sign; every penalty comes with a reason.
    """
    penalties = []
    avg_late = behaviour.avg_days_late
    if avg_late > 30:
        penalties.append((30, Reason("avg_days_late", {"days": round(avg_late, 1)})))
    elif avg_late > 10:
        penalties.append((15, Reason("avg_days_late", {"days": round(avg_late, 1)})))
    elif avg_late >= 3:
        penalties.append((5, Reason("avg_days_late", {"days": round(avg_late, 1)})))
    if behaviour.paid_count:
        share = behaviour.on_time_share
        if share < 0.5:
            penalties.append((15, Reason("on_time_share", {"percent": round(share * 100)})))
        elif share < 0.8:
            penalties.append((5, Reason("on_time_share", {"percent": round(share * 100)})))
    if exposure.overdue > 0:
        days = exposure.days_past_due
        points = 30 if days > 60 else 15 if days > 30 else 5
        penalties.append((points, Reason("overdue", {"amount": exposure.overdue, "days": days})))
    if limit > 0:
        # A limit of a fraction of a cent would make the percentage overflow: cap it.
        usage = min(float(exposure.total / limit), 1e6)
        if usage > 1:
            penalties.append((20, Reason("limit_exceeded", {"percent": round(usage * 100)})))
        elif usage >= 0.9:
            penalties.append((10, Reason("near_limit", {"percent": round(usage * 100)})))
    if trust == "bad":
        penalties.append((30, Reason("bad_debtor")))
    if on_hold:
        penalties.append((20, Reason("manual_hold")))
    if not behaviour.has_history:
        penalties.append((10, Reason("no_history")))
    score = max(0, 100 - sum(points for points, _reason in penalties))
    return RiskAssessment(score=score, grade=grade_of(score), reasons=tuple(reason for _points, reason in penalties))
