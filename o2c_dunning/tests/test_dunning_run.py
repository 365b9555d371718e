from datetime import timedelta

from odoo import fields

from .common import DunningCase


class TestDunningRun(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alpha = cls._customer("Alpha Industrie", lang="fr_FR")
        cls.alpha_accounting = cls.env["res.partner"].create(
            {
                "name": "Compta Alpha",
                "parent_id": cls.alpha.id,
                "type": "invoice",
                "email": "compta@alpha.example.com",
                "phone": "+33 1 02 03 04 05",
            }
        )
        cls.alpha_late = cls._invoice(cls.alpha, 1000.0, 3)
        cls.alpha_later = cls._invoice(cls.alpha, 400.0, 2)
        cls.alpha_not_due = cls._invoice(cls.alpha, 300.0, -20)
        cls.alpha_refund = cls._invoice(cls.alpha, 150.0, 0, move_type="out_refund")
        cls.beta = cls._customer("Beta Services")
        cls.beta_soon = cls._invoice(cls.beta, 800.0, -5)

    def test_one_communication_per_customer_and_level_listing_all_open_items(self):
        payment_of_other = self._invoice(self.alpha, 50.0, 1)
        self._pay(payment_of_other, 50.0)
        # an unapplied payment: received but matched to no invoice
        self.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": self.alpha.id, "amount": 120.0}
        ).action_post()
        result = self._run(send=False)
        alpha = self._comms(self.alpha)
        self.assertEqual(len(alpha), 1)
        self.assertEqual(alpha.level_id, self.first)
        self.assertEqual(set(alpha.dunned_line_ids.move_id.ids), {self.alpha_late.id, self.alpha_later.id})
        # 1,000 + 400 overdue, less the open credit note (150) and the unapplied payment (120): 1,130 claimed
        self.assertEqual(alpha.amount_dunned, 1130.0)
        kinds = {item["move_id"]: item["kind"] for item in alpha._o2c_statement_items()}
        self.assertEqual(kinds[self.alpha_not_due.id], "not_due")
        self.assertEqual(kinds[self.alpha_refund.id], "credit_note")
        self.assertIn("payment", kinds.values())
        self.assertNotIn(payment_of_other.id, kinds, "a paid invoice is not an open item")
        self.assertEqual(alpha.amount_overdue, 1400.0)
        self.assertEqual(alpha.amount_not_due, 300.0)
        self.assertEqual(alpha.amount_credit, -270.0)
        self.assertEqual(alpha.amount_balance, 1430.0)
        self.assertIn(self.alpha_refund, alpha.statement_line_ids.move_id, "the form lists the open credit note")
        self.assertEqual(alpha.contact_id, self.alpha_accounting, "reminders go to the invoicing address")
        beta = self._comms(self.beta)
        self.assertEqual(beta.level_id, self.courteous, "-5 days: the courteous reminder")
        self.assertEqual(result["created"], alpha | beta)
        self.assertEqual(alpha.state, "to_send")

    def test_run_sends_automatic_levels_and_records_the_level_reached(self):
        self._run()
        comm = self._comms(self.alpha)
        self.assertEqual(comm.state, "sent", comm.error_message)
        self.assertTrue(comm.mail_id, "an email was generated")
        self.assertEqual(comm.mail_id.state, "sent")
        self.assertIn("compta@alpha.example.com", comm.mail_id.recipient_ids.mapped("email"))
        self.assertTrue(comm.mail_id.attachment_ids, "the statement is attached")
        self.assertEqual(self.alpha_late.o2c_dunning_level_id, self.first)
        self.assertEqual(self.alpha_late.o2c_dunning_next_date, self.alpha_late.invoice_date_due + timedelta(days=10))
        self.assertEqual(self.alpha_not_due.o2c_dunning_level_id.id, False)
        history = self.alpha_late.message_ids.mapped("body")
        self.assertTrue(any("First reminder" in body for body in history), "the invoice's chatter logs the reminder")
        self.assertTrue(any("First reminder" in body for body in self.alpha.message_ids.mapped("body")))
        self.assertIn(comm, self.alpha.o2c_dunning_communication_ids)
        self.assertEqual(self.alpha_late.o2c_dunning_line_ids.communication_id, comm)

    def test_second_run_the_same_day_creates_nothing(self):
        first = self._run(send=False)
        self.assertTrue(first["created"])
        second = self._run(send=False)
        self.assertFalse(second["created"])
        self._run()
        third = self._run()
        self.assertFalse(third["created"])
        self.assertEqual(len(self._comms(self.alpha)), 1)

    def test_each_level_follows_at_its_offset(self):
        """First reminder sent at +3 days; then +10 second, +20 call, +30 notice, +45 litigation."""
        self._run()
        invoice = self.alpha_late  # due 3 days ago
        expected = [(6, self.second), (16, self.call), (26, self.notice), (41, self.litigation)]
        for days_from_now, level in expected:
            self.assertFalse(
                self._run(days=days_from_now)["created"].filtered(lambda c, lvl=level: c.level_id == lvl),
                f"{level.name} is not due the day before",
            )
            created = self._run(days=days_from_now + 1)["created"]
            comm = created.filtered(lambda c: invoice in c.dunned_line_ids.move_id)
            self.assertEqual(comm.level_id, level)
            if comm.state != "sent":  # manual levels wait for the collector
                self.assertEqual(comm.state, "draft")
                comm.action_send()
            self.assertEqual(invoice.o2c_dunning_level_id, level)
        self.assertFalse(self._run(days=400)["created"].filtered(lambda c: invoice in c.dunned_line_ids.move_id))

    def test_phone_call_level_plans_a_call_to_the_accounting_contact(self):
        self.alpha_late.o2c_dunning_level_id = self.second
        self._run(days=17)
        comm = self._comms(self.alpha).filtered(lambda c: c.level_id == self.call)
        self.assertEqual(comm.state, "sent")
        activity = comm.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertIn("Compta Alpha", activity.summary)
        self.assertIn("+33 1 02 03 04 05", activity.note)

    def test_customer_without_email_gets_a_letter_and_a_call(self):
        gamma = self._customer("Gamma Bois", email=False, phone="+33 5 55 55 55 55")
        invoice = self._invoice(gamma, 700.0, 2)
        self._run()
        comm = self._comms(gamma)
        self.assertEqual(comm.channel, "letter")
        self.assertEqual(comm.state, "sent")
        self.assertFalse(comm.mail_id)
        self.assertTrue(comm.attachment_id, "the letter was rendered")
        self.assertEqual(comm.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(invoice.o2c_dunning_level_id, self.first)

    def test_paid_and_in_payment_invoices_are_not_reminded(self):
        self._pay(self.alpha_late)
        self.assertIn(self.alpha_late.payment_state, ("paid", "in_payment"))
        self._run(send=False)
        comm = self._comms(self.alpha)
        self.assertEqual(comm.dunned_line_ids.move_id, self.alpha_later)

    def test_invoice_paid_after_the_reminder_was_prepared_is_not_sent(self):
        self._run(send=False)
        comm = self._comms(self.beta)
        self._pay(self.beta_soon)
        comm.action_send()
        self.assertEqual(comm.state, "cancelled")
        self.assertFalse(comm.mail_id)

    def test_amount_under_the_level_minimum_is_not_reminded(self):
        self.first.min_amount = 500.0
        self._run(send=False)
        self.assertEqual(self._comms(self.alpha).dunned_line_ids.move_id, self.alpha_late)

    def test_no_dunning_flags_with_reason_and_end_date(self):
        self.alpha_late.write({"o2c_no_dunning": True, "o2c_no_dunning_reason": "Goods returned"})
        self.beta.write(
            {"o2c_no_dunning": True, "o2c_no_dunning_reason": "Key account", "o2c_no_dunning_until": self.today}
        )
        self._run(send=False)
        self.assertEqual(self._comms(self.alpha).dunned_line_ids.move_id, self.alpha_later)
        self.assertFalse(self._comms(self.beta))
        self._run(days=1, send=False)
        self.assertEqual(len(self._comms(self.beta)), 1, "dunning resumes after the end date")

    def test_promise_to_pay_pauses_dunning_and_broken_promise_resumes_one_level_up(self):
        self.alpha_late.o2c_dunning_level_id = self.first
        promise = self.env["o2c.dunning.promise"].create(
            {
                "partner_id": self.alpha.id,
                "move_ids": [(6, 0, self.alpha_late.ids)],
                "promise_date": self.today + timedelta(days=10),
                "amount": 1000.0,
            }
        )
        # the second reminder would be due at +7 days; the promise holds it until the promised date
        for days in (7, 10):
            created = self._run(days=days)["created"]
            self.assertNotIn(self.alpha_late, created.dunned_line_ids.move_id, f"paused on day +{days}")
        created = self._run(days=11)["created"]
        self.assertEqual(promise.state, "broken")
        comm = created.filtered(lambda c: self.alpha_late in c.dunned_line_ids.move_id)
        self.assertEqual(comm.level_id, self.second, "the next level, not skipped")
        self.assertEqual(self.alpha_late.o2c_dunning_level_id, self.second)
        self.assertFalse(self.alpha_late.o2c_dunning_escalate)
        # the escalation is spent: the call level keeps its own date (due date + 20 days)
        self.assertNotIn(self.alpha_late, self._run(days=12)["created"].dunned_line_ids.move_id)

    def test_kept_promise_is_closed_as_kept(self):
        promise = self.env["o2c.dunning.promise"].create(
            {
                "partner_id": self.alpha.id,
                "move_ids": [(6, 0, self.alpha_late.ids)],
                "promise_date": self.today + timedelta(days=2),
                "amount": 600.0,
            }
        )
        self._pay(self.alpha_late, 600.0)
        self._run(days=3, send=False)
        self.assertEqual(promise.state, "kept")
        self.assertFalse(self.alpha_late.o2c_dunning_escalate)

    def test_run_asks_the_exclusion_hook(self):
        """An extension of `_o2c_dunning_excluded` (as o2c_disputes does) keeps amounts out of dunning."""
        Move = type(self.env["account.move"])
        original = Move._o2c_dunning_excluded
        late_id = self.alpha_late.id

        def excluded_with_dispute(moves):
            res = original(moves)
            if late_id in res:
                res[late_id] = max(res[late_id], 1000.0)  # the whole invoice is disputed
            return res

        self.patch(Move, "_o2c_dunning_excluded", excluded_with_dispute)
        self._run(send=False)
        self.assertEqual(self._comms(self.alpha).dunned_line_ids.move_id, self.alpha_later)

    def test_skip_moves_the_invoices_past_the_level_without_sending(self):
        self._run(send=False)
        comm = self._comms(self.alpha)
        comm.action_skip()
        self.assertEqual(comm.state, "cancelled")
        self.assertFalse(comm.mail_id)
        self.assertEqual(self.alpha_late.o2c_dunning_level_id, self.first)
        self.assertFalse(self._run()["created"].filtered(lambda c: c.partner_id == self.alpha))

    def test_customer_ladder_replaces_the_default_one(self):
        key_accounts = self.env["o2c.dunning.ladder"].create(
            {
                "name": "Key accounts",
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Account manager call",
                            "day_offset": 15,
                            "tone": "call",
                            "send_email": False,
                            "create_call": True,
                        },
                    )
                ],
            }
        )
        self.alpha.o2c_dunning_ladder_id = key_accounts
        self._run(send=False)
        self.assertFalse(self._comms(self.alpha))
        self._run(days=13, send=False)
        self.assertEqual(self._comms(self.alpha).level_id, key_accounts.level_ids)
        self.assertEqual(self._comms(self.alpha).channel, "phone")

    def test_manual_level_waits_in_the_worklist(self):
        self.alpha_late.o2c_dunning_level_id = self.call
        self._run(days=27)
        comm = self._comms(self.alpha).filtered(lambda c: c.level_id == self.notice)
        self.assertEqual(comm.state, "draft")
        worklist = self.Comm.search(
            self.env.ref("o2c_dunning.o2c_dunning_communication_view_search")
            and [("state", "in", ("draft", "to_send", "failed"))]
        )
        self.assertIn(comm, worklist)
        self.assertEqual(self.alpha_late.o2c_dunning_level_id, self.call, "not sent yet")
        comm.action_send()
        self.assertEqual(comm.state, "sent")
        self.assertEqual(self.alpha_late.o2c_dunning_level_id, self.notice)
        self.assertEqual(fields.Date.to_date(comm.sent_date), fields.Date.today())
