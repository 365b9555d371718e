"""Evaluation of credit rules on an order: which rules fire, why, and what the order needs."""

from dataclasses import dataclass
from decimal import Decimal

from odoo.addons.o2c_base.tools.money import ZERO

from .exposure import GRADES, Exposure, Reason

# Severity order: a block outweighs an approval, which outweighs a warning.
ACTIONS = ("warn", "approval", "block")
OUTCOMES = ("pass", "warn", "approved", "approval", "block")
ROUNDING = Decimal("0.005")


@dataclass(frozen=True)
class RuleSpec:
    """One credit rule: the conditions it combines (all must hold) and what it does when they do.

    A condition left at ``None`` (or ``False`` for the flags) is not part of the rule.
    ``over_limit_mode`` is ``"amount"`` or ``"percent"``: the exposure must exceed the limit by
    more than ``over_limit_value`` (currency or percent of the limit).
    """

    rule_id: int
    action: str
    approval_level: int = 0
    approval_group_id: int | None = None
    over_limit_mode: str | None = None
    over_limit_value: Decimal = ZERO
    overdue_amount_min: Decimal | None = None
    overdue_days_min: int | None = None
    manual_hold: bool = False
    new_customer: bool = False
    risk_grade_min: str | None = None
    order_amount_min: Decimal | None = None
    insured_exceeded: bool = False

    def has_condition(self):
        """Return whether the rule holds at least one condition."""
        return any(
            (
                self.over_limit_mode,
                self.overdue_amount_min is not None,
                self.overdue_days_min is not None,
                self.manual_hold,
                self.new_customer,
                self.risk_grade_min,
                self.order_amount_min is not None,
                self.insured_exceeded,
            )
        )


@dataclass(frozen=True)
class CreditFacts:
    """Everything the rules look at for one order, in company currency (Decimal amounts).

    ``exposure`` includes the order being checked; ``limit`` is 0 when the customer has none;
    ``insured`` says the customer has a credit insurance policy; ``insured_amount`` is what it
    covers today (zero once expired). Customers without a policy never exceed it.
    """

    exposure: Exposure
    limit: Decimal = ZERO
    insured: bool = False
    insured_amount: Decimal = ZERO
    on_hold: bool = False
    has_history: bool = True
    risk_grade: str = "A"
    order_amount: Decimal = ZERO


@dataclass(frozen=True)
class ApprovalGrant:
    """An approval already given on the order: the level of the approver and the amount it covers."""

    level: int
    covered_amount: Decimal


@dataclass(frozen=True)
class FiredRule:
    """A rule whose conditions all hold, with one reason per condition."""

    rule: RuleSpec
    reasons: tuple


@dataclass(frozen=True)
class Decision:
    """The outcome of the rules on an order.

    ``outcome`` is ``pass`` (nothing fired), ``warn`` (only warnings), ``approved`` (approval rules
    fired but an approval covers them), ``approval`` (an approval at ``required_level`` is needed)
    or ``block``. ``approval_rule`` is the fired approval rule of the highest level: its group
    approves.
    """

    outcome: str
    fired: tuple = ()
    required_level: int = 0
    approval_rule: RuleSpec | None = None

    @property
    def confirms(self):
        """Return whether the order may be confirmed."""
        return self.outcome in ("pass", "warn", "approved")


def _over_limit(rule, facts):
    total = facts.exposure.total
    if facts.limit <= 0:
        return None
    if rule.over_limit_mode == "percent":
        threshold = facts.limit * (100 + rule.over_limit_value) / 100
    else:
        threshold = facts.limit + rule.over_limit_value
    if total > threshold + ROUNDING:
        return Reason(
            "over_limit",
            {"exposure": total, "limit": facts.limit, "excess": total - facts.limit, "threshold": threshold},
        )
    return None


def check_rule(rule, facts):
    """Return a :class:`FiredRule` when every condition of ``rule`` holds for ``facts``, else ``None``."""
    if not rule.has_condition():
        return None
    exposure = facts.exposure
    reasons = []
    if rule.over_limit_mode:
        reason = _over_limit(rule, facts)
        if not reason:
            return None
        reasons.append(reason)
    if rule.overdue_amount_min is not None:
        if exposure.overdue <= rule.overdue_amount_min + ROUNDING:
            return None
        reasons.append(Reason("overdue_amount", {"amount": exposure.overdue, "threshold": rule.overdue_amount_min}))
    if rule.overdue_days_min is not None:
        if exposure.overdue <= 0 or exposure.days_past_due <= rule.overdue_days_min:
            return None
        reasons.append(Reason("overdue_days", {"days": exposure.days_past_due, "threshold": rule.overdue_days_min}))
    if rule.manual_hold:
        if not facts.on_hold:
            return None
        reasons.append(Reason("manual_hold"))
    if rule.new_customer:
        if facts.has_history:
            return None
        reasons.append(Reason("new_customer"))
    if rule.risk_grade_min:
        if GRADES.index(facts.risk_grade) < GRADES.index(rule.risk_grade_min):
            return None
        reasons.append(Reason("risk_grade", {"grade": facts.risk_grade, "threshold": rule.risk_grade_min}))
    if rule.order_amount_min is not None:
        if facts.order_amount <= rule.order_amount_min + ROUNDING:
            return None
        reasons.append(Reason("order_amount", {"amount": facts.order_amount, "threshold": rule.order_amount_min}))
    if rule.insured_exceeded:
        if not facts.insured or exposure.total <= facts.insured_amount + ROUNDING:
            return None
        reasons.append(Reason("insured_exceeded", {"exposure": exposure.total, "insured": facts.insured_amount}))
    return FiredRule(rule=rule, reasons=tuple(reasons))


def evaluate(rules, facts, grant=None):
    """Return the :class:`Decision` of ``rules`` (in their order) on ``facts``.

    Approval rules route to the highest level among those that fired (amount bands escalate by
    stacking rules with growing thresholds and levels). ``grant``, an approval already given,
    satisfies them when its level is high enough and it covers the order amount.
    """
    fired = tuple(result for result in (check_rule(rule, facts) for rule in rules) if result)
    if not fired:
        return Decision(outcome="pass")
    if any(result.rule.action == "block" for result in fired):
        return Decision(outcome="block", fired=fired)
    approvals = [result.rule for result in fired if result.rule.action == "approval"]
    if not approvals:
        return Decision(outcome="warn", fired=fired)
    top = max(approvals, key=lambda rule: rule.approval_level)
    covered = (
        grant is not None
        and grant.level >= top.approval_level
        and facts.order_amount <= grant.covered_amount + ROUNDING
    )
    return Decision(
        outcome="approved" if covered else "approval",
        fired=fired,
        required_level=top.approval_level,
        approval_rule=top,
    )
