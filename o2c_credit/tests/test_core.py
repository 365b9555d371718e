"""Plain unit and property tests of the pure credit core (no database)."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_credit.core import (
    ApprovalGrant,
    Behaviour,
    CreditFacts,
    Exposure,
    RuleSpec,
    assess_risk,
    check_rule,
    evaluate,
)
from odoo.tests import BaseCase


def facts(total=0, limit=10000, **kwargs):
    exposure = kwargs.pop("exposure", None) or Exposure(not_due=Decimal(total))
    return CreditFacts(exposure=exposure, limit=Decimal(limit), **kwargs)


# The machine is shared: slow input generation must not fail the run, and 100 examples prove enough.
relaxed = settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])

# Amounts as the Odoo side hands them to the core: Decimals with the currency's two places.
amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


class TestCreditCore(BaseCase):
    """The credit rule evaluation over plain facts, without a database."""

    def test_over_limit_by_percent_fires_only_beyond_the_band(self):
        rule = RuleSpec(rule_id=1, action="approval", approval_level=1, over_limit_mode="percent", over_limit_value=10)
        assert check_rule(rule, facts("11000.00")) is None
        fired = check_rule(rule, facts("11000.01"))
        assert fired and fired.reasons[0].code == "over_limit"

    def test_over_limit_by_amount_and_no_limit_means_never(self):
        rule = RuleSpec(rule_id=1, action="block", over_limit_mode="amount", over_limit_value=500)
        assert check_rule(rule, facts(10500)) is None
        assert check_rule(rule, facts(10600))
        assert check_rule(rule, facts(10**9, limit=0)) is None

    def test_every_condition_must_hold(self):
        rule = RuleSpec(rule_id=1, action="warn", overdue_amount_min=100, order_amount_min=1000)
        overdue = Exposure(overdue=500, days_past_due=10)
        assert check_rule(rule, facts(exposure=overdue, order_amount=500)) is None
        assert check_rule(rule, facts(exposure=Exposure(), order_amount=5000)) is None
        fired = check_rule(rule, facts(exposure=overdue, order_amount=5000))
        assert [reason.code for reason in fired.reasons] == ["overdue_amount", "order_amount"]

    def test_each_condition_kind_fires_and_stays_quiet(self):
        cases = [
            (
                RuleSpec(rule_id=1, action="warn", overdue_days_min=30),
                {"exposure": Exposure(overdue=1, days_past_due=31)},
                {"exposure": Exposure(overdue=1, days_past_due=30)},
            ),
            (RuleSpec(rule_id=1, action="warn", manual_hold=True), {"on_hold": True}, {"on_hold": False}),
            (RuleSpec(rule_id=1, action="warn", new_customer=True), {"has_history": False}, {"has_history": True}),
            (RuleSpec(rule_id=1, action="warn", risk_grade_min="C"), {"risk_grade": "D"}, {"risk_grade": "B"}),
            (
                RuleSpec(rule_id=1, action="warn", insured_exceeded=True),
                {"insured": True, "insured_amount": 100, "exposure": Exposure(not_due=150)},
                {"insured": False, "insured_amount": 0, "exposure": Exposure(not_due=150)},
            ),
        ]
        for rule, firing, quiet in cases:
            assert check_rule(rule, CreditFacts(**{"exposure": Exposure(), **firing})), rule
            assert check_rule(rule, CreditFacts(**{"exposure": Exposure(), **quiet})) is None, rule

    def test_a_rule_without_condition_never_fires(self):
        rule = RuleSpec(rule_id=1, action="block")
        assert not rule.has_condition()
        assert check_rule(rule, facts(10**9)) is None

    def test_amount_bands_route_to_the_highest_level(self):
        manager = RuleSpec(
            rule_id=1, action="approval", approval_level=1, approval_group_id=11, over_limit_mode="percent"
        )
        director = RuleSpec(
            rule_id=2,
            action="approval",
            approval_level=2,
            approval_group_id=22,
            over_limit_mode="percent",
            over_limit_value=10,
        )
        small = evaluate([manager, director], facts(10500, order_amount=Decimal(500)))
        assert (small.outcome, small.required_level, small.approval_rule.approval_group_id) == ("approval", 1, 11)
        large = evaluate([manager, director], facts(12000, order_amount=Decimal(2000)))
        assert (large.outcome, large.required_level, large.approval_rule.approval_group_id) == ("approval", 2, 22)

    def test_grant_covers_only_its_amount_and_level(self):
        rule = RuleSpec(rule_id=1, action="approval", approval_level=2, approval_group_id=1, over_limit_mode="percent")
        situation = facts(12000, order_amount=Decimal(3000))
        assert evaluate([rule], situation, ApprovalGrant(level=2, covered_amount=3000)).outcome == "approved"
        assert evaluate([rule], situation, ApprovalGrant(level=2, covered_amount=2999)).outcome == "approval"
        assert evaluate([rule], situation, ApprovalGrant(level=1, covered_amount=3000)).outcome == "approval"

    def test_block_wins_over_approval_and_warning(self):
        rules = [
            RuleSpec(rule_id=1, action="warn", overdue_amount_min=0),
            RuleSpec(rule_id=2, action="approval", approval_level=1, approval_group_id=1, overdue_amount_min=0),
            RuleSpec(rule_id=3, action="block", manual_hold=True),
        ]
        situation = facts(exposure=Exposure(overdue=10, days_past_due=3), on_hold=True)
        decision = evaluate(rules, situation, ApprovalGrant(level=9, covered_amount=10**9))
        assert decision.outcome == "block" and not decision.confirms
        assert [fired.rule.rule_id for fired in decision.fired] == [1, 2, 3]

    def test_behaviour_figures(self):
        behaviour = Behaviour(
            paid_amount=3000,
            late_weight=30000,
            paid_count=4,
            on_time_count=3,
            late_count=1,
            last_payment_date=date(2025, 1, 1),
            sales=36500,
        )
        assert behaviour.avg_days_late == 10
        assert behaviour.on_time_share == 0.75
        assert behaviour.dso(1000) == 10
        assert Behaviour().avg_days_late == 0 and not Behaviour().has_history

    def test_risk_grade_and_reasons(self):
        good = assess_risk(
            Exposure(not_due=100),
            Behaviour(paid_count=5, on_time_count=5, paid_amount=1, last_payment_date=date(2025, 1, 1)),
            limit=1000,
        )
        assert (good.score, good.grade, good.reasons) == (100, "A", ())
        bad = assess_risk(Exposure(overdue=500, days_past_due=90), Behaviour(), limit=100, trust="bad", on_hold=True)
        assert bad.grade == "D"
        assert {reason.code for reason in bad.reasons} == {
            "overdue",
            "limit_exceeded",
            "bad_debtor",
            "manual_hold",
            "no_history",
        }

    @relaxed
    @given(limit=amounts, total=amounts, extra=amounts, band=st.decimals(min_value=0, max_value=200, places=2))
    def test_over_limit_is_monotone_in_exposure(self, limit, total, extra, band):
        """Owing more never turns a firing over-limit rule quiet."""
        rule = RuleSpec(rule_id=1, action="block", over_limit_mode="percent", over_limit_value=band)
        if check_rule(rule, facts(total, limit=limit)):
            assert check_rule(rule, facts(total + extra, limit=limit))

    @relaxed
    @given(
        actions=st.lists(st.sampled_from(["warn", "approval", "block"]), max_size=6),
        levels=st.lists(st.integers(min_value=1, max_value=5), min_size=6, max_size=6),
        overdue=amounts,
        thresholds=st.lists(amounts, min_size=6, max_size=6),
    )
    def test_outcome_is_the_most_severe_fired_action(self, actions, levels, overdue, thresholds):
        rules = [
            RuleSpec(
                rule_id=index,
                action=action,
                approval_level=levels[index],
                approval_group_id=index,
                overdue_amount_min=thresholds[index],
            )
            for index, action in enumerate(actions)
        ]
        decision = evaluate(rules, facts(exposure=Exposure(overdue=overdue, days_past_due=1)))
        fired_actions = {fired.rule.action for fired in decision.fired}
        expected = (
            "block"
            if "block" in fired_actions
            else "approval"
            if "approval" in fired_actions
            else ("warn" if fired_actions else "pass")
        )
        assert decision.outcome == expected
        assert all(rule.overdue_amount_min < overdue for rule in (fired.rule for fired in decision.fired))
        if expected == "approval":
            assert decision.required_level == max(
                fired.rule.approval_level for fired in decision.fired if fired.rule.action == "approval"
            )

    @relaxed
    @given(st.integers(min_value=0, max_value=1000), amounts, amounts)
    def test_risk_score_stays_between_0_and_100(self, days, overdue, limit):
        risk = assess_risk(Exposure(overdue=overdue, days_past_due=days), Behaviour(), limit=limit, trust="bad")
        assert 0 <= risk.score <= 100 and risk.grade in "ABCD"
