from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import DisputeCase


@tagged("post_install", "-at_install")
class TestDispute(DisputeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, [(cls.product, 10, 100.0)], days_overdue=5)  # 1 200.00 TTC
        cls.invoice_two_lines = cls._invoice(cls.customer, [(cls.product, 4, 100.0), (cls.service, 2, 50.0)])

    # ------------------------------------------------------------------ case data

    def test_deadline_follows_the_service_level_of_the_reason(self):
        opened = self.today - timedelta(days=1)
        price = self._dispute(self.invoice, 100.0, self.reason_price, date_open=opened)
        self.assertEqual(price.date_deadline, opened + timedelta(days=10))
        price.reason_id = self.reason_duplicate
        self.assertEqual(price.date_deadline, opened + timedelta(days=2), "a 2-day SLA for duplicates")
        self.reason_duplicate.sla_days = 4
        self.assertEqual(price.date_deadline, opened + timedelta(days=4), "the reason's SLA drives the deadline")

    def test_team_and_owner_come_from_the_reason(self):
        self.reason_damaged.user_id = self.handler
        dispute = self._dispute(self.invoice, 50.0, self.reason_damaged)
        self.assertEqual(dispute.team, "logistics")
        self.assertEqual(dispute.user_id, self.handler)
        self.assertTrue(dispute.name.startswith("DSP/"), dispute.name)
        self.assertEqual(dispute.state, "open")
        self.assertEqual(
            dispute.activity_ids.user_id, self.handler, "the owner gets an activity for a case opened by someone else"
        )

    def test_disputed_amount_cannot_exceed_what_is_due(self):
        with self.assertRaisesText(ValidationError, "above what is still due"):
            self._dispute(self.invoice, 1200.01)
        with self.assertRaisesText(ValidationError, "must be positive"):
            self._dispute(self.invoice, 0.0)
        self.assertEqual(self._dispute(self.invoice, 1200.0).amount_open, 1200.0)

    def test_only_posted_invoices_of_the_customer_can_be_disputed(self):
        draft = self._invoice(self.customer, [(self.product, 1, 100.0)], post=False)
        with self.assertRaisesText(ValidationError, "Only posted customer invoices"):
            self._dispute(draft, 10.0)
        other = self._invoice(self.other_customer, [(self.product, 1, 100.0)])
        with self.assertRaisesText(ValidationError, "belongs to"):
            self._dispute(other, 10.0, partner_id=self.customer.id)

    def test_an_invoice_has_one_open_dispute_at_a_time(self):
        first = self._dispute(self.invoice, 100.0)
        with self.assertRaisesText(ValidationError, f"already in dispute {first.name}"):
            self._dispute(self.invoice, 50.0)
        first._o2c_resolve("rejected", root_cause=self.root_customer)
        self.assertEqual(self._dispute(self.invoice, 50.0).state, "open", "a new case once the first is resolved")

    def test_leaving_open_stages_needs_an_outcome(self):
        dispute = self._dispute(self.invoice, 100.0)
        resolved = self.env.ref("o2c_disputes.o2c_dispute_stage_resolved")
        with self.assertRaisesText(UserError, "no outcome yet"):
            dispute.stage_id = resolved
        dispute.stage_id = self.env.ref("o2c_disputes.o2c_dispute_stage_waiting")
        self.assertEqual(dispute.state, "open", "waiting for the customer is still open")

    def test_hooks_are_called_on_open_and_on_resolution(self):
        calls = []
        dispute_model = type(self.env["o2c.dispute"])

        def opened(records):
            calls.append(("opened", records.ids, records.mapped("state")))

        def resolved(records):
            calls.append(("resolved", records.ids, records.mapped("state"), records.mapped("outcome")))

        self.patch(dispute_model, "_o2c_on_dispute_opened", opened)
        self.patch(dispute_model, "_o2c_on_dispute_resolved", resolved)
        dispute = self._dispute(self.invoice, 100.0)
        dispute.stage_id = self.env.ref("o2c_disputes.o2c_dispute_stage_investigating")
        dispute._o2c_resolve("rejected", root_cause=self.root_customer)
        dispute.action_close()
        self.assertEqual(
            calls,
            [("opened", dispute.ids, ["open"]), ("resolved", dispute.ids, ["resolved"], ["rejected"])],
            "opened once on create, resolved once when leaving open (not again on closing)",
        )

    def test_invoice_dispute_button_prefills_the_case(self):
        action = self.invoice.with_user(self.handler).action_o2c_open_dispute()
        form = Form(self.env["o2c.dispute"].with_user(self.handler).with_context(**action["context"]))
        form.reason_id = self.reason_damaged
        form.amount_disputed = 300.0
        dispute = form.save()
        self.assertEqual(dispute.invoice_ids, self.invoice)
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(dispute.user_id, self.handler, "the handler who opens the case owns it by default")
        self.assertTrue(self.invoice.o2c_in_dispute)
        self.assertEqual(self.invoice.o2c_dispute_count, 1)
        self.assertIn(self.invoice, self.env["account.move"].search([("o2c_in_dispute", "=", True)]))

    # ------------------------------------------------------------------ resolution

    def test_acceptance_issues_and_reconciles_the_credit_note(self):
        dispute = self._dispute(self.invoice, 1200.0, self.reason_duplicate)
        credit_notes = dispute._o2c_resolve("accepted", root_cause=self.root_pricing)
        self.assertEqual(credit_notes.move_type, "out_refund")
        self.assertEqual(credit_notes.state, "posted")
        self.assertEqual(credit_notes.reversed_entry_id, self.invoice, "made through Odoo's reversal")
        self.assertEqual(credit_notes.amount_total, 1200.0)
        self.assertEqual(self.invoice.payment_state, "reversed")
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(dispute.credit_note_ids, credit_notes)
        self.assertEqual((dispute.state, dispute.outcome, dispute.amount_resolution), ("resolved", "accepted", 1200.0))
        self.assertEqual(dispute.date_resolved, self.today)

    def test_partial_acceptance_credits_the_accepted_amount_only(self):
        dispute = self._dispute(self.invoice, 600.0)
        credit_note = dispute._o2c_resolve("partial", 250.0, self.root_pricing)
        self.assertEqual(credit_note.amount_total, 250.0)
        self.assertEqual(credit_note.amount_tax, round(250.0 - 250.0 / 1.2, 2), "VAT is credited in proportion")
        self.assertEqual(self.invoice.amount_residual, 950.0, "reconciled: 1 200 - 250 left due")
        self.assertEqual(self.invoice.payment_state, "partial")
        with self.assertRaisesText(UserError, "already resolved"):
            dispute._o2c_resolve("accepted")

    def test_partial_credit_with_an_odd_amount_is_exact_to_the_cent(self):
        dispute = self._dispute(self.invoice, 1000.0)
        credit_note = dispute._o2c_resolve("partial", 333.33, self.root_pricing)
        self.assertEqual(credit_note.amount_total, 333.33)
        self.assertEqual(self.invoice.amount_residual, 866.67)

    def test_acceptance_on_disputed_lines_reverses_those_lines(self):
        service_line = self.invoice_two_lines.invoice_line_ids.filtered(lambda line: line.product_id == self.service)
        dispute = self._dispute(
            self.invoice_two_lines, 120.0, invoice_line_ids=[Command.set(service_line.ids)]
        )  # 2 x 50 + VAT
        credit_note = dispute._o2c_resolve("accepted", root_cause=self.root_pricing)
        self.assertEqual(credit_note.invoice_line_ids.product_id, self.service)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2.0, "the full line keeps its quantity")
        self.assertEqual(credit_note.amount_total, 120.0)
        self.assertEqual(self.invoice_two_lines.amount_residual, 480.0, "600 TTC minus the 120 credited")

    def test_partial_acceptance_must_be_below_the_disputed_amount(self):
        dispute = self._dispute(self.invoice, 100.0)
        with self.assertRaisesText(UserError, "partial acceptance"):
            dispute._o2c_resolve("partial", 100.0)
        self.assertEqual(dispute.state, "open")
        self.assertFalse(dispute.credit_note_ids)

    def test_rejection_issues_nothing(self):
        dispute = self._dispute(self.invoice, 100.0)
        self.assertFalse(dispute._o2c_resolve("rejected", root_cause=self.root_customer))
        self.assertEqual(self.invoice.amount_residual, 1200.0)
        self.assertEqual((dispute.outcome, dispute.amount_open), ("rejected", 0.0))

    def test_resolve_wizard_like_a_user(self):
        dispute = self._dispute(self.invoice, 600.0).with_user(self.handler)
        action = dispute.action_resolve()
        form = Form(self.env[action["res_model"]].with_user(self.handler).with_context(**action["context"]))
        self.assertEqual(form.amount_resolution, 600.0)
        form.outcome = "partial"
        form.amount_resolution = 200.0
        form.root_cause_id = self.root_pricing
        self.assertEqual(form.credit_note_date, fields.Date.context_today(dispute), "today unless told otherwise")
        # Settled with the customer on the phone three days ago, recorded today: the credit note is dated then.
        settled = fields.Date.context_today(dispute) - timedelta(days=3)
        form.credit_note_date = settled
        form.save().action_confirm()
        self.assertEqual((dispute.outcome, dispute.amount_resolution), ("partial", 200.0))
        self.assertEqual(self.invoice.amount_residual, 1000.0)
        self.assertEqual(dispute.credit_note_ids.mapped("invoice_date"), [settled])
        self.assertEqual(dispute.credit_note_ids.mapped("date"), [settled])

    def test_a_credited_dispute_cannot_be_reopened(self):
        dispute = self._dispute(self.invoice, 120.0)
        dispute._o2c_resolve("accepted", root_cause=self.root_pricing)
        with self.assertRaisesText(UserError, "already issued a credit note"):
            dispute.stage_id = self.env.ref("o2c_disputes.o2c_dispute_stage_new")

    # ------------------------------------------------------------------ access

    def test_users_without_the_dispute_group_cannot_edit(self):
        dispute = self._dispute(self.invoice, 100.0)
        self.assertEqual(dispute.with_user(self.billing_user).name, dispute.name, "invoicing users may read")
        with self.assertRaises(AccessError):
            dispute.with_user(self.billing_user).write({"amount_disputed": 50.0})
        with self.assertRaises(AccessError):
            self.env["o2c.dispute"].with_user(self.billing_user).create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(self.invoice_two_lines.ids)],
                    "amount_disputed": 1.0,
                    "reason_id": self.reason_price.id,
                }
            )
        with self.assertRaises(AccessError):
            dispute.with_user(self.plain_user).read(["name"])
        dispute.with_user(self.handler).write({"amount_disputed": 50.0})
        self.assertEqual(dispute.amount_disputed, 50.0)

    def test_portal_users_see_only_their_commercial_entity_disputes(self):
        own = self._dispute(self.invoice, 100.0)
        other = self._dispute(self._invoice(self.other_customer, [(self.product, 1, 100.0)]), 10.0)
        visible = self.env["o2c.dispute"].with_user(self.portal_user).search([])
        self.assertEqual(visible, own)
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).write({"amount_disputed": 1.0})

    def test_portal_users_cannot_open_a_dispute_for_another_customer_through_the_orm(self):
        other_invoice = self._invoice(self.other_customer, [(self.product, 1, 100.0)])
        with self.assertRaises(AccessError):
            self.env["o2c.dispute"].with_user(self.portal_user).create(
                {
                    "partner_id": self.other_customer.id,
                    "invoice_ids": [Command.set(other_invoice.ids)],
                    "amount_disputed": 10.0,
                    "reason_id": self.reason_price.id,
                }
            )
        with self.assertRaisesText(ValidationError, "belongs to"):
            self.env["o2c.dispute"].with_user(self.portal_user).create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(other_invoice.ids)],
                    "amount_disputed": 10.0,
                    "reason_id": self.reason_price.id,
                }
            )
        self.assertFalse(self.env["o2c.dispute"].search([("invoice_ids", "in", other_invoice.ids)]))

    def test_portal_submit_acknowledges_and_schedules_the_owner(self):
        self.invoice.invoice_user_id = self.handler
        dispute = (
            self.env["o2c.dispute"]
            .with_user(self.portal_user)
            ._o2c_portal_submit(
                self.invoice.with_user(self.portal_user), self.reason_damaged, 240.0, "Two pallets broken", []
            )
        )
        dispute = dispute.sudo()
        self.assertEqual(
            (dispute.source, dispute.partner_id, dispute.amount_disputed), ("portal", self.customer, 240.0)
        )
        self.assertEqual(dispute.contact_partner_id, self.portal_user.partner_id)
        self.assertEqual(dispute.user_id, self.handler, "the invoice's salesperson owns it without a reason owner")
        self.assertEqual(dispute.activity_ids.user_id, self.handler)
        self.assertEqual(dispute.activity_ids.date_deadline, self.today + timedelta(days=7))
        acknowledgment = dispute.message_ids.filtered(lambda m: self.portal_user.partner_id in m.partner_ids)
        self.assertEqual(len(acknowledgment), 1, "one acknowledgment addressed to the customer")
        self.assertIn(dispute.name, acknowledgment.subject)
        self.assertEqual(acknowledgment.author_id, self.handler.partner_id)

    def test_disputes_of_another_company_are_invisible(self):
        dispute = self._dispute(self.invoice, 100.0)
        other_company = self.env["res.company"].create({"name": "Filiale Belgique"})
        outsider = new_test_user(
            self.env,
            login="handler_other_company",
            groups="o2c_disputes.group_o2c_dispute_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(self.env["o2c.dispute"].with_user(outsider).search([("id", "=", dispute.id)]))
        self.assertFalse(self.env["o2c.dispute.report"].with_user(outsider).search([("dispute_id", "=", dispute.id)]))
        self.assertEqual(self.env["o2c.dispute"].with_user(self.handler).search([("id", "=", dispute.id)]), dispute)
