from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import O2cCreditCase


@tagged("post_install", "-at_install")
class TestCreditRules(O2cCreditCase):
    """Each condition kind, on real orders: it fires when it should and stays quiet otherwise."""

    def _evaluate_outcome(self, partner, amount):
        order = self._order(partner, amount)
        decision, _facts = order._o2c_credit_evaluate()[order]
        return decision.outcome

    def test_exposure_over_limit_by_percent_and_amount(self):
        self._rule("Over limit +5 %", use_over_limit=True, over_limit_mode="percent", over_limit_value=5)
        self.assertEqual(self._evaluate_outcome(self.customer, 10500), "pass")
        self.assertEqual(self._evaluate_outcome(self.customer, 10600), "approval")
        self.env["o2c.credit.rule"].search([]).action_archive()
        self._rule("Over limit +1000", use_over_limit=True, over_limit_mode="amount", over_limit_value=1000)
        self.assertEqual(self._evaluate_outcome(self.customer, 11000), "pass")
        self.assertEqual(self._evaluate_outcome(self.customer, 11001), "approval")

    def test_customer_without_limit_never_exceeds_it(self):
        self._rule("Over limit", use_over_limit=True)
        self.assertEqual(self._evaluate_outcome(self._new_customer("No Limit SA"), 10**7), "pass")

    def test_overdue_amount_above_threshold(self):
        self._rule("Overdue above 500", action="warn", use_overdue_amount=True, overdue_amount_min=500)
        late = self._new_customer("Late SA", limit=10**6)
        self._invoice(late, 400, self.days(-3))
        self.assertEqual(self._evaluate_outcome(late, 10), "pass")
        self._invoice(late, 200, self.days(-3))
        self.assertEqual(self._evaluate_outcome(late, 10), "warn")

    def test_oldest_overdue_above_days(self):
        self._rule("Overdue over 30 days", action="block", use_overdue_days=True, overdue_days_min=30)
        recent = self._new_customer("Recent SA")
        self._invoice(recent, 100, self.days(-30))
        self.assertEqual(self._evaluate_outcome(recent, 10), "pass")
        old = self._new_customer("Old SA")
        self._invoice(old, 100, self.days(-31))
        self.assertEqual(self._evaluate_outcome(old, 10), "block")

    def test_manual_credit_hold(self):
        self._rule("Manual hold", action="block", use_manual_hold=True)
        self.assertEqual(self._evaluate_outcome(self.customer, 10), "pass")
        self.customer.o2c_credit_hold = True
        self.assertEqual(self._evaluate_outcome(self.customer, 10), "block")

    def test_new_customer_without_payment_history(self):
        self._rule("New customer", action="warn", use_new_customer=True)
        self.assertEqual(self._evaluate_outcome(self.customer, 10), "warn")
        self._pay(self._invoice(self.customer, 100, self.days(-5)), 100, self.days(-4))
        self.assertEqual(self._evaluate_outcome(self.customer, 10), "pass")

    def test_risk_grade_or_worse(self):
        self._rule("Grade D", use_risk_grade=True, risk_grade_min="D")
        self._pay(self._invoice(self.customer, 100, self.days(-5)), 100, self.days(-5))
        self.assertEqual(self._evaluate_outcome(self.customer, 10), "pass")
        self.customer.write({"trust": "bad", "o2c_credit_hold": True})
        self._invoice(self.customer, 100, self.days(-90))
        self.assertEqual(self.customer.o2c_risk_grade, "D")
        self.assertEqual(self._evaluate_outcome(self.customer, 10), "approval")

    def test_order_amount_above(self):
        self._rule("Big order", use_order_amount=True, order_amount_min=5000)
        self.assertEqual(self._evaluate_outcome(self.customer, 5000), "pass")
        self.assertEqual(self._evaluate_outcome(self.customer, 5000.01), "approval")

    def test_exposure_above_insured_amount(self):
        self._rule("Above insurance", use_insured_exceeded=True)
        insurer = self.env["res.partner"].create({"name": "Allianz Trade", "is_company": True})
        self.assertEqual(self._evaluate_outcome(self.customer, 5000), "pass", "no policy: nothing to exceed")
        self.customer.write({"o2c_insurer_id": insurer.id, "o2c_insured_amount": 4000})
        self.assertEqual(self._evaluate_outcome(self.customer, 4000), "pass")
        self.assertEqual(self._evaluate_outcome(self.customer, 4001), "approval")
        self.customer.o2c_insurance_expiry = self.days(-1)
        self.assertEqual(self._evaluate_outcome(self.customer, 1), "approval", "an expired policy insures nothing")

    def test_conditions_combine_with_and(self):
        self._rule(
            "Big order of a late payer",
            use_order_amount=True,
            order_amount_min=1000,
            use_overdue_amount=True,
            overdue_amount_min=0,
        )
        self.assertEqual(self._evaluate_outcome(self.customer, 2000), "pass")
        self._invoice(self.customer, 50, self.days(-2))
        self.assertEqual(self._evaluate_outcome(self.customer, 500), "pass")
        self.assertEqual(self._evaluate_outcome(self.customer, 2000), "approval")

    def test_orders_checked_together_add_up(self):
        self._rule("Over limit", use_over_limit=True)
        first, second = self._order(self.customer, 6000), self._order(self.customer, 6000)
        (first | second).action_confirm()
        self.assertEqual((first.state, second.state), ("sale", "draft"))
        self.assertEqual(second.o2c_credit_state, "hold")

    def test_bad_rules_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "no condition"):
            self._rule("Empty")
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._rule("Negative", use_overdue_amount=True, overdue_amount_min=-1)
        lonely = self.env["res.groups"].create({"name": "Nobody's group"})
        with self.assertRaisesRegex(ValidationError, "No active user"):
            self._rule("Lonely", group=lonely, use_manual_hold=True)
        with self.assertRaisesRegex(ValidationError, "choose the approver group"):
            self.env["o2c.credit.rule"].create({"name": "No group", "action": "approval", "use_manual_hold": True})

    def test_negative_limit_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.credit_limit = -1

    def test_salesperson_cannot_edit_limits_or_rules(self):
        rule = self._rule("Over limit", use_over_limit=True)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).write({"credit_limit": 99999})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).write({"o2c_credit_hold": True})
        with self.assertRaises(AccessError):
            rule.with_user(self.salesman).write({"over_limit_value": 50})
        self.customer.with_user(self.salesman).write({"phone": "+33 1 23 45 67 89"})
        self.customer.with_user(self.manager).write({"credit_limit": 20000})
        self.assertEqual(self.customer.credit_limit, 20000)
