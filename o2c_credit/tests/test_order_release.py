from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import O2cCreditCase


@tagged("post_install", "-at_install")
class TestOrderRelease(O2cCreditCase):
    """Confirming an order evaluates the rules; held orders wait for an approver's decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.over_limit = cls._rule("Over the limit", use_over_limit=True, over_limit_mode="percent")
        cls.over_band = cls._rule(
            "More than 10 % over the limit",
            group=cls.env.ref("o2c_credit.group_o2c_credit_director"),
            level=2,
            use_over_limit=True,
            over_limit_mode="percent",
            over_limit_value=10,
        )
        cls.activity_type = cls.env.ref("o2c_credit.mail_activity_type_credit_approval")

    def _held_order(self, amount=10500):
        order = self._order(self.customer, amount)
        action = order.with_user(self.salesman).action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        return order

    def _decide(self, order, user, decision, comment="ok"):
        action = order.with_user(user).action_o2c_credit_approve()
        with Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"])) as wizard:
            wizard.decision = decision
            wizard.comment = comment
        return wizard.save().action_confirm()

    def test_order_within_limit_confirms(self):
        order = self._order(self.customer, 9000)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual((order.state, order.o2c_credit_state), ("sale", "ok"))
        self.assertFalse(order.o2c_credit_approval_ids)

    def test_order_over_limit_is_held_with_reasons_snapshot_and_activity(self):
        order = self._held_order(10500)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.o2c_credit_state, "hold")
        approval = order.o2c_credit_approval_id
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.rule_ids, self.over_limit)
        self.assertEqual(approval.requested_by_id, self.salesman)
        self.assertEqual(approval.approval_level, 1)
        self.assertAlmostEqual(approval.amount_covered, 10500)
        self.assertAlmostEqual(approval.exposure_total, 10500)
        self.assertAlmostEqual(approval.credit_limit, 10000)
        self.assertIn("Over the limit", order.message_ids[0].body)
        self.assertIn("over the credit limit", order.o2c_credit_reasons)
        activities = order.activity_ids.filtered(lambda activity: activity.activity_type_id == self.activity_type)
        self.assertIn(self.manager, activities.user_id)
        self.assertNotIn(self.salesman, activities.user_id)

    def test_hold_approve_confirm(self):
        order = self._held_order()
        self.assertTrue(order.with_user(self.manager).o2c_credit_can_decide)
        self._decide(order, self.manager, "approve", "Good customer, big season.")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.o2c_credit_state, "approved")
        approval = order.o2c_credit_approval_id
        self.assertEqual((approval.state, approval.decided_by_id), ("approved", self.manager))
        self.assertEqual(approval.comment, "Good customer, big season.")
        self.assertTrue(approval.decided_on)
        self.assertFalse(order.activity_ids.filtered(lambda activity: activity.activity_type_id == self.activity_type))

    def test_approval_from_the_queue(self):
        order = self._held_order()
        queue = self.env["o2c.credit.approval"].with_user(self.manager).search([("state", "=", "pending")])
        self.assertIn(order.o2c_credit_approval_id, queue)
        action = order.o2c_credit_approval_id.with_user(self.manager).action_approve()
        wizard = self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]).create({})
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_reject_keeps_the_quotation(self):
        order = self._held_order()
        self._decide(order, self.manager, "reject", "Too much overdue.")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.o2c_credit_state, "rejected")
        self.assertEqual(order.o2c_credit_approval_id.state, "rejected")
        self.assertTrue(any("Too much overdue." in message.body for message in order.message_ids))

    def test_reject_needs_a_comment(self):
        order = self._held_order()
        with self.assertRaisesRegex(Exception, "reason of the rejection"):
            order.o2c_credit_approval_id.with_user(self.manager)._o2c_reject("")

    def test_band_beyond_ten_percent_needs_the_director(self):
        order = self._held_order(12000)
        approval = order.o2c_credit_approval_id
        self.assertEqual(approval.approval_level, 2)
        self.assertEqual(approval.rule_ids, self.over_limit | self.over_band)
        self.assertFalse(order.with_user(self.manager).o2c_credit_can_decide)
        with self.assertRaises(AccessError):
            approval.with_user(self.manager)._o2c_approve("ok")
        approval.with_user(self.director)._o2c_approve("ok")
        self.assertEqual(order.state, "sale")

    def test_self_approval_is_refused(self):
        order = self._order(self.customer, 10500, user=self.manager)
        order.with_user(self.manager).action_confirm()
        approval = order.o2c_credit_approval_id
        self.assertFalse(order.with_user(self.manager).o2c_credit_can_decide)
        with self.assertRaisesRegex(AccessError, "your own order"):
            approval.with_user(self.manager)._o2c_approve("mine")
        approval.with_user(self.director)._o2c_approve("ok")
        self.assertEqual(order.state, "sale")

    def test_salesperson_cannot_approve(self):
        order = self._held_order()
        with self.assertRaises(AccessError):
            order.o2c_credit_approval_id.with_user(self.salesman)._o2c_approve("please")

    def test_approval_on_an_order_that_changed_is_refused(self):
        order = self._held_order()
        old_request = order.o2c_credit_approval_id
        order.order_line.price_unit = 10800
        with self.assertRaisesRegex(ValidationError, "changed since the credit request"):
            old_request.with_user(self.manager)._o2c_approve("ok")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(old_request.state, "cancelled")
        self.assertNotEqual(order.o2c_credit_approval_id, old_request)
        self.assertAlmostEqual(order.o2c_credit_approval_id.amount_covered, 10800)

    def test_larger_total_after_approval_is_evaluated_again(self):
        order = self._held_order(10500)
        first = order.o2c_credit_approval_id
        first.with_user(self.manager)._o2c_approve("ok")
        self.assertEqual(order.state, "sale")
        order.order_line.write({"product_uom_qty": 2, "price_unit": 10500})
        self.assertEqual(order.o2c_credit_state, "hold")
        second = order.o2c_credit_approval_id
        self.assertNotEqual(second, first)
        self.assertEqual((first.state, second.state), ("approved", "pending"))
        self.assertAlmostEqual(second.amount_covered, 21000)
        self.assertEqual(second.approval_level, 2)

    def test_order_grown_beyond_its_approval_is_not_invoiced_until_approved_again(self):
        order = self._held_order(10500)
        order.o2c_credit_approval_id.with_user(self.manager)._o2c_approve("ok")
        order.order_line.write({"product_uom_qty": 2, "price_unit": 10500})
        self.assertEqual(order.o2c_credit_state, "hold")
        with self.assertRaisesRegex(UserError, "waits for a new credit decision"):
            order._create_invoices()
        self.assertFalse(order.invoice_ids)
        order.o2c_credit_approval_id.with_user(self.director)._o2c_approve("ok, bigger order")
        self.assertEqual(order.o2c_credit_state, "approved")
        invoice = order._create_invoices()
        self.assertAlmostEqual(invoice.amount_untaxed, 21000)

    def test_smaller_total_after_approval_stays_covered(self):
        order = self._held_order(10500)
        order.o2c_credit_approval_id.with_user(self.manager)._o2c_approve("ok")
        order.order_line.price_unit = 10000
        self.assertEqual(order.o2c_credit_state, "approved")

    def test_duplicating_a_held_quotation_does_not_carry_its_approval(self):
        order = self._held_order()
        order.o2c_credit_approval_id.with_user(self.manager)._o2c_approve("ok")
        copy = order.copy()
        self.assertEqual(copy.o2c_credit_state, "none")
        self.assertFalse(copy.o2c_credit_approval_id)
        self.assertFalse(copy.o2c_credit_approval_ids)
        copy.action_confirm()
        self.assertEqual((copy.state, copy.o2c_credit_state), ("draft", "hold"))

    def test_blocking_rule_blocks_without_request(self):
        self._rule("Manual hold", action="block", use_manual_hold=True)
        self.customer.o2c_credit_hold = True
        order = self._order(self.customer, 100)
        order.action_confirm()
        self.assertEqual((order.state, order.o2c_credit_state), ("draft", "blocked"))
        self.assertFalse(order.o2c_credit_approval_ids)
        self.assertIn("manual credit hold", order.message_ids[0].body)

    def test_warning_rule_confirms_and_says_why(self):
        self._rule("Big order", action="warn", use_order_amount=True, order_amount_min=1000)
        order = self._order(self.customer, 2000)
        order.action_confirm()
        self.assertEqual((order.state, order.o2c_credit_state), ("sale", "warning"))
        self.assertIn("Big order", order.message_ids[0].body)

    def test_disabled_setting_confirms_everything(self):
        self.company.o2c_credit_hold_orders = False
        order = self._order(self.customer, 50000)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_shows_the_exposure_with_itself(self):
        self._invoice(self.customer, 1000, self.days(-10))
        order = self._order(self.customer, 500)
        self.assertAlmostEqual(order.o2c_exposure_overdue, 1000)
        self.assertAlmostEqual(order.o2c_exposure_order, 500)
        self.assertAlmostEqual(order.o2c_exposure_total, 1500)
        self.assertAlmostEqual(order.o2c_credit_limit, 10000)

    def test_temporary_limit_reverts_after_its_end_date(self):
        temporary = (
            self.env["o2c.credit.limit.temporary"]
            .with_user(self.manager)
            .create(
                {"partner_id": self.customer.id, "amount": 20000, "date_end": self.today, "reason": "Christmas season"}
            )
        )
        self.assertEqual(self.customer.credit_limit, 20000)
        self.assertEqual(temporary.previous_limit, 10000)
        order = self._order(self.customer, 15000)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.env["o2c.credit.limit.temporary"]._cron_revert_expired()
        self.assertEqual(self.customer.credit_limit, 20000, "still valid on its last day")
        with freeze_time(self.days(1)):
            self.env["o2c.credit.limit.temporary"]._cron_revert_expired()
        self.assertEqual(temporary.state, "reverted")
        self.assertEqual(self.customer.credit_limit, 10000)

    def test_temporary_limit_bad_input(self):
        Temporary = self.env["o2c.credit.limit.temporary"]
        with self.assertRaisesRegex(ValidationError, "in the past"):
            Temporary.create({"partner_id": self.customer.id, "amount": 1, "date_end": self.days(-1), "reason": "x"})
        with self.assertRaisesRegex(ValidationError, "negative"):
            Temporary.create({"partner_id": self.customer.id, "amount": -5, "date_end": self.today, "reason": "x"})
        with self.assertRaises(AccessError):
            Temporary.with_user(self.salesman).create(
                {"partner_id": self.customer.id, "amount": 5, "date_end": self.today, "reason": "x"}
            )
