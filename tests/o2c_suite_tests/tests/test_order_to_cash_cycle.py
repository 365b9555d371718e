"""The whole order-to-cash cycle on one database holding every addon, as a French SME lives it: an order over
the customer's credit limit is held and approved, invoiced, checked, issued as Factur-X and deposited with the
approved platform; reminders follow the ladder, the customer contests on the portal, the dispute is rejected,
the ladder resumes; the customer promises, pays part online, the bank brings the rest in a CAMT.053 file that
is matched by itself; the invoice is cashed (212) and nobody is reminded again. At each step the aged balance,
the dashboard's figures and the health check move as the step says."""

import base64
from datetime import timedelta

import facturx
from lxml import etree

from odoo.tests import Form, HttpCase, tagged

from .cycle_common import BUYER_SIREN, CycleCase

TOTAL, PART_ONLINE, REST_BY_BANK = 7200.0, 3000.0, 4200.0
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


@tagged("post_install", "-at_install")
class TestOrderToCashCycle(CycleCase, HttpCase):
    def test_order_to_cash_cycle(self):
        # The invoice is dated 35 days ago on 30-day terms: due 5 days ago. Each dunning run is dated.
        self.invoice_date = self.today - timedelta(days=35)
        self.due = self.today - timedelta(days=5)
        self.step_01_order_over_the_limit_is_held()
        self.step_02_credit_manager_approves()
        self.step_03_invoice_passes_the_checks_before_issue()
        self.step_04_factur_x_deposited_and_200_comes_back()
        self.step_05_courteous_reminder_before_the_due_date()
        self.step_06_first_reminder()
        self.step_07_customer_contests_on_the_portal()
        self.step_08_dispute_rejected()
        self.step_09_dunning_resumes_at_the_next_level()
        self.step_10_customer_promises_then_pays_part_online()
        self.step_11_rest_arrives_in_a_camt053_file_matched_by_itself()
        self.step_12_invoice_cashed_212_sent_to_the_platform()
        self.step_13_next_dunning_run_sends_nothing()

    def test_order_to_cash_tour_in_chromium(self):
        """The same story, shortened, in Chromium, each person in their own session: the credit manager approves
        the held order, the accountant invoices and posts it (the platform's cron deposits it), the collector
        sends the first reminder from the worklist, the customer contests on the portal, then (the dispute
        rejected) pays its overdue balance with the demo provider, and the collector sees the invoice paid."""
        order = self._order()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.o2c_credit_state, "hold")
        self.start_tour("/odoo", "o2c_cycle_credit_tour", login=self.credit_manager.login)
        self.assertEqual((order.state, order.o2c_credit_state), ("sale", "approved"))
        self.assertEqual(order.o2c_credit_approval_id.comment, "Client fidèle, saison chargée")

        self.start_tour(f"/odoo/sale.order/{order.id}", "o2c_cycle_invoice_tour", login=self.env.user.login)
        invoice = order.invoice_ids
        self.assertEqual((invoice.state, invoice.invoice_date), ("posted", self.today - timedelta(days=35)))
        self.assertEqual(invoice.o2c_pa_state, "to_send", "posted, queued for the approved platform")
        self.send_to_platform()
        self.env["o2c.einvoice.platform"]._cron_fetch_statuses()
        self.assertEqual(invoice.o2c_einvoice_status_ids.mapped("code"), ["200"])

        # The night's run, its emails left for the collector to send.
        self.env["o2c.dunning.communication"]._o2c_run(companies=self.company, run_date=self.today, send=False)
        self.start_tour("/odoo", "o2c_cycle_worklist_tour", login=self.collector.login)
        reminder = self.env["o2c.dunning.communication"].search([("partner_id", "=", self.customer.id)])
        first_level = self.company.o2c_dunning_ladder_id.level_ids.sorted("sequence")[1]
        self.assertEqual((reminder.level_id, reminder.state), (first_level, "sent"), reminder.error_message)

        invoice.message_subscribe(self.portal_user.partner_id.ids)
        self.start_tour(f"/my/invoices/{invoice.id}", "o2c_cycle_contest_tour", login=self.portal_user.login)
        dispute = self.env["o2c.dispute"].search([("invoice_ids", "in", invoice.ids)])
        self.assertEqual((dispute.source, dispute.amount_disputed, dispute.state), ("portal", TOTAL, "open"))
        self.assertEqual(invoice.o2c_einvoice_status_code, "207")
        dispute.with_user(self.handler)._o2c_resolve("rejected", note="Prix du devis signé.")

        self.start_tour("/my/balance", "o2c_cycle_pay_tour", login=self.portal_user.login)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.o2c_einvoice_status_ids.filtered(lambda s: s.code == "212").amount, TOTAL)
        self.start_tour("/odoo", "o2c_cycle_paid_tour", login=self.collector.login)

    # ------------------------------------------------------------------ credit

    def step_01_order_over_the_limit_is_held(self):
        """The salesperson confirms: the order stays a quotation "on credit hold", the credit managers get an
        approval request; nothing is receivable yet."""
        self.order = self._order()
        self.assertEqual(self.order.amount_total, TOTAL)
        self.order.with_user(self.salesman).action_confirm()
        self.assertEqual((self.order.state, self.order.o2c_credit_state), ("draft", "hold"))
        approval = self.order.o2c_credit_approval_id
        self.assertEqual((approval.state, approval.approval_level), ("pending", 1))
        self.assertAlmostEqual(approval.credit_limit, 5000.0)
        self.assertAlmostEqual(approval.exposure_total, TOTAL)
        self.assertIn(self.credit_manager, self.order.activity_ids.user_id, "the credit manager is asked")
        self.assertFalse(self.aged(self.today), "the aged balance has nothing for the customer")
        self.first_check = self.health_check()
        self.assertEqual(self.first_check.dispute_rate, 0.0)

    def step_02_credit_manager_approves(self):
        """The credit manager approves from the order with a comment: the order is confirmed."""
        self.assertTrue(self.order.with_user(self.credit_manager).o2c_credit_can_decide)
        self.assertFalse(self.order.with_user(self.salesman).o2c_credit_can_decide, "not the salesperson")
        action = self.order.with_user(self.credit_manager).action_o2c_credit_approve()
        Wizard = self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"])
        with Form(Wizard) as wizard:
            wizard.decision = "approve"
            wizard.comment = "Client fidèle, saison chargée."
        wizard.save().action_confirm()
        self.assertEqual((self.order.state, self.order.o2c_credit_state), ("sale", "approved"))
        self.assertEqual(self.order.o2c_credit_approval_id.decided_by_id, self.credit_manager)

    # ------------------------------------------------------------------ invoicing

    def step_03_invoice_passes_the_checks_before_issue(self):
        """The order is invoiced; the checks before issue (blocking in this company) find nothing and the
        invoice is posted, queued for the platform. The aged balance shows it not yet due."""
        self.invoice = self.order._create_invoices()
        self.invoice.invoice_date = self.invoice_date
        self.assertEqual(self.invoice._o2c_einvoice_findings()[self.invoice], [], "no failed check")
        self.invoice.action_post()
        self.assertEqual((self.invoice.state, self.invoice.invoice_date_due), ("posted", self.due))
        self.assertEqual(self.invoice.amount_total, TOTAL)
        self.assertEqual(self.invoice.o2c_pa_state, "to_send")
        row = self.aged(self.due - timedelta(days=3))
        self.assertEqual((row["amount_residual"], row["amount_not_due"]), (TOTAL, TOTAL))
        figures = self.figures(self.due - timedelta(days=3))
        self.assertEqual((figures.receivable, figures.receivable_overdue), (TOTAL, 0.0))

    def step_04_factur_x_deposited_and_200_comes_back(self):
        """The sending cron issues the Factur-X and deposits it with the approved platform; its 200 "Déposée"
        comes back in the invoice's status history."""
        self.send_to_platform()
        self.assertEqual(self.invoice.o2c_pa_state, "sent", self.invoice.o2c_pa_message)
        flow = self.pa.flows[-1]
        self.assertEqual((self.invoice.o2c_pa_flow_id, flow["flowSyntax"]), (flow["flowId"], "Factur-X"))
        _name, xml = facturx.get_facturx_xml_from_pdf(flow["content"], check_xsd=False)
        cii = etree.fromstring(xml)
        self.assertEqual(cii.findtext(".//ram:GrandTotalAmount", namespaces=RAM), "7200.00")
        self.assertEqual(cii.findtext(".//ram:DuePayableAmount", namespaces=RAM), "7200.00")
        self.assertEqual(
            cii.findtext(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedReferenceID", namespaces=RAM)
            or cii.findtext(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=RAM),
            "BC-DUPONT-2026-17",
            "the customer's order number (BT-13)",
        )
        self.assertIn(BUYER_SIREN.encode(), xml)
        self.env["o2c.einvoice.platform"]._cron_fetch_statuses()
        self.assertEqual(
            [(status.code, status.sender_role) for status in self.invoice.o2c_einvoice_status_ids], [("200", "WK")]
        )

    # ------------------------------------------------------------------ collection

    def step_05_courteous_reminder_before_the_due_date(self):
        """Three days before the due date the run sends a courteous email with the statement."""
        day = self.due - timedelta(days=3)
        courteous = self.company.o2c_dunning_ladder_id.level_ids.sorted("sequence")[0]
        sent_before = len(self.smtp.messages)
        created = self.dunning_run(day)
        comm = created.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual((comm.level_id, comm.state), (courteous, "sent"), comm.error_message)
        self.assertEqual((comm.amount_dunned, comm.amount_balance), (TOTAL, TOTAL))
        self.assertEqual(comm.dunned_line_ids.move_id, self.invoice)
        self.assertEqual(len(self.smtp.messages), sent_before + 1, "one email left through SMTP")
        recipients, message = self.smtp.messages[-1]
        self.assertIn(self.customer.email, recipients)
        self.assertIn("Atelier Durand SAS", message["Subject"])
        self.assertEqual(self.invoice.o2c_dunning_level_id, courteous)

    def step_06_first_reminder(self):
        """The day after the due date the first reminder claims the 7,200.00; the aged balance puts it in the
        1-30 days column with the level reached, the dashboard counts it overdue."""
        day = self.due + timedelta(days=1)
        self.first_level = self.company.o2c_dunning_ladder_id.level_ids.sorted("sequence")[1]
        comm = self.dunning_run(day).filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual((comm.level_id, comm.state, comm.amount_dunned), (self.first_level, "sent", TOTAL))
        self.assertEqual(self.invoice.o2c_dunning_level_id, self.first_level)
        row = self.aged(day)
        self.assertEqual((row["amount_not_due"], row["amount_period_1"]), (0.0, TOTAL))
        # The level column is that of the last reminder sent by the date: this one left today.
        self.assertEqual(self.aged(self.today)["dunning_level"], self.first_level)
        figures = self.figures(day)
        self.assertEqual((figures.receivable, figures.receivable_overdue, figures.overdue_share), (TOTAL, TOTAL, 100.0))

    def step_07_customer_contests_on_the_portal(self):
        """Logged in on the portal, the customer contests the invoice's price: a dispute case opens, the
        invoice's history shows the buyer's 207 "En litige", and the ladder is suspended (no second reminder
        when it falls due)."""
        self.invoice.message_subscribe(self.portal_user.partner_id.ids)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn("Contest this invoice", page.text)
        token = self.csrf(f"/my/invoices/{self.invoice.id}")
        reason = self.env.ref("o2c_disputes.o2c_dispute_reason_price")
        response = self.url_open(
            f"/my/invoices/{self.invoice.id}/dispute",
            data={"csrf_token": token, "reason_id": str(reason.id), "amount": "7200",
                  "message": "Le prix convenu était de 5 000 € HT."},
            files={"none": ("", b"")},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your dispute is registered", response.text)
        self.dispute = self.env["o2c.dispute"].search([("invoice_ids", "in", self.invoice.ids)])
        self.assertEqual(
            (self.dispute.source, self.dispute.state, self.dispute.amount_disputed), ("portal", "open", TOTAL)
        )
        status = self.invoice.o2c_einvoice_status_ids.filtered(lambda s: s.code == "207")
        self.assertEqual((status.reason_code, status.sender_role, status.source), ("PU_ERR", "BY", "dispute"))
        self.assertFalse(status.pa_state, "the buyer's status is recorded, not sent in the seller's name")
        self.assertEqual(self.invoice.o2c_einvoice_status_code, "207")
        suspended = self.dunning_run(self.due + timedelta(days=11))
        self.assertNotIn(self.customer, suspended.partner_id, "an open dispute suspends the ladder")
        self.assertEqual(self.invoice.o2c_dunning_level_id, self.first_level)
        row = self.aged(self.today)
        self.assertEqual((row["amount_period_1"], row["amount_in_dispute"]), (TOTAL, TOTAL))
        figures = self.figures(self.today)
        self.assertEqual(figures.receivable, TOTAL)
        invoice_month = self.figures(self.invoice_date)
        self.assertEqual((invoice_month.disputed_invoice_count, invoice_month.dispute_rate), (1, 100.0))
        check = self.health_check()
        self.assertEqual(check.dispute_rate, 100.0)
        self.assertEqual(check.invoicing_error_rate, 100.0, "a price dispute counts as an invoicing error")

    def step_08_dispute_rejected(self):
        """The dispute handler rejects the claim (the price is the one of the signed quotation): the case is
        resolved, the invoice approved again (205)."""
        self.dispute.with_user(self.handler)._o2c_resolve("rejected", note="Prix du devis signé le mois dernier.")
        self.assertNotEqual(self.dispute.state, "open")
        self.assertEqual(self.dispute.outcome, "rejected")
        self.assertEqual(self.invoice.o2c_einvoice_status_code, "205")
        self.assertFalse(self.aged(self.today)["amount_in_dispute"])

    def step_09_dunning_resumes_at_the_next_level(self):
        """With the case closed, the next run sends the second reminder (email and letter)."""
        second = self.company.o2c_dunning_ladder_id.level_ids.sorted("sequence")[2]
        comm = self.dunning_run(self.due + timedelta(days=12)).filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual((comm.level_id, comm.state), (second, "sent"), comm.error_message)
        self.assertEqual(comm.amount_dunned, TOTAL)
        self.assertEqual(self.invoice.o2c_dunning_level_id, second)
        self.reminder = comm

    # ------------------------------------------------------------------ cash in

    def step_10_customer_promises_then_pays_part_online(self):
        """From the reminder's link the customer promises 3,000.00 within ten days (the collector gets an
        activity), then pays those 3,000.00 by card on the invoice's page (demo provider): the payment is
        booked and reconciled, 4,200.00 remain."""
        link = f"/my/balance/reminder/{self.reminder.id}?access_token={self.reminder._portal_ensure_token()}"
        token = self.csrf(link)
        promised = self.today + timedelta(days=10)
        response = self.url_open(
            "/my/balance/promise",
            data={"csrf_token": token, "reminder_id": self.reminder.id, "promise_date": str(promised),
                  "access_token": self.reminder._portal_ensure_token(), "amount": "3000"},
            allow_redirects=False,
        )  # fmt: skip
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.promise = self.env["o2c.dunning.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((self.promise.promise_date, self.promise.amount, self.promise.state),
                         (promised, PART_ONLINE, "open"))  # fmt: skip
        self.assertEqual(self.customer.activity_ids.user_id, self.collector, "the collector sees the promise")
        card = self.env.ref("payment_demo.payment_method_demo")
        processing = self.make_jsonrpc_request(
            f"/invoice/transaction/{self.invoice.id}",
            {"access_token": self.invoice._portal_ensure_token(), "amount": PART_ONLINE,
             "provider_id": self.demo_provider.id, "payment_method_id": card.id,
             "token_id": None, "flow": "direct", "tokenization_requested": False,
             "landing_route": f"/my/invoices/{self.invoice.id}", "is_validation": False},
        )  # fmt: skip
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": processing["reference"], "payment_details": "4242", "simulated_state": "done"},
        )
        # The status page the browser lands on polls the transaction, which books and reconciles the payment.
        polled = self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual(polled["state"], "done")
        transaction = self.env["payment.transaction"].search([("reference", "=", processing["reference"])])
        self.assertEqual((transaction.state, transaction.amount), ("done", PART_ONLINE))
        self.assertTrue(transaction.payment_id, "the card payment is booked")
        self.assertEqual(self.invoice.amount_residual, REST_BY_BANK)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertEqual(self.aged(self.today)["amount_residual"], REST_BY_BANK)
        self.assertEqual(self.figures(self.today).receivable, REST_BY_BANK)

    def step_11_rest_arrives_in_a_camt053_file_matched_by_itself(self):
        """The accountant imports the bank's CAMT.053: the transfer of 4,200.00 naming the invoice is matched and
        reconciled automatically; the invoice is paid, nothing is left in the aged balance."""
        data = self.camt053(REST_BY_BANK, self.invoice.payment_reference, self.today, "DURAND-2026-001")
        wizard = self.env["o2c.cashmatch.import.wizard"].create(
            {"journal_id": self.bank_journal.id, "data_file": base64.b64encode(data), "filename": "releve.xml"}
        )
        action = wizard.action_import()
        self.assertIn("1 line(s) imported", action["params"]["message"])
        line = self.env["account.bank.statement.line"].search([("journal_id", "=", self.bank_journal.id)])
        self.assertEqual((line.amount, line.o2c_match_state, line.is_reconciled), (REST_BY_BANK, "auto", True))
        self.assertEqual(line.partner_id, self.customer)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertFalse(self.aged(self.today), "the customer owes nothing")
        figures = self.figures(self.today)
        self.assertEqual((figures.receivable, figures.bank_line_count, figures.auto_line_count), (0.0, 1, 1))
        self.assertEqual(figures.auto_match_share, 100.0)
        # The aged balance at a past date is historical: the day of the first reminder it still owed it all.
        self.assertEqual(self.aged(self.due + timedelta(days=1))["amount_period_1"], TOTAL)

    def step_12_invoice_cashed_212_sent_to_the_platform(self):
        """VAT on the services is due on receipt: the cashed invoice gets its 212 "Encaissée" with the amount
        per VAT rate, sent to the buyer through the platform as a CDAR flow."""
        cashed = self.invoice.o2c_einvoice_status_ids.filtered(lambda s: s.code == "212")
        self.assertEqual(len(cashed), 1)
        self.assertEqual((cashed.amount, cashed.sender_role, cashed.pa_state), (TOTAL, "SE", "to_send"))
        self.assertEqual({float(rate): amount for rate, amount in cashed.paid_by_rate.items()}, {20.0: TOTAL})
        self.env["o2c.einvoice.platform"]._cron_send_statuses()
        self.assertEqual(cashed.pa_state, "sent", cashed.pa_message)
        flow = next(flow for flow in self.pa.flows if flow["flowId"] == cashed.pa_flow_id)
        self.assertEqual(flow["flowSyntax"], "CDAR")
        self.assertIn(b"212", flow["content"])
        self.assertIn(self.invoice.name.encode(), flow["content"])

    def step_13_next_dunning_run_sends_nothing(self):
        """The next runs, even when the phone call would have been due, remind the customer of nothing; the
        promise is kept; the health check sees the matching and the dispute resolved."""
        for days in (15, 16, 30):
            created = self.dunning_run(self.due + timedelta(days=days))
            self.assertNotIn(self.customer, created.partner_id, f"nothing {days} days after the due date")
        self.assertEqual(self.promise.state, "kept")
        check = self.health_check()
        self.assertEqual(check.auto_match_share, 100.0)
        self.assertEqual(check.invoice_to_payment_days, 35.0, "invoiced 35 days ago, paid today")
        self.assertEqual(check.late_share, 0.0, "paid 5 days late, not more than 15")
        self.assertEqual(check.resolution_days, 0.0, "contested and rejected the same day")
        self.assertEqual(check.previous_check_id.dispute_rate, 100.0, "the trend compares with the last check")
