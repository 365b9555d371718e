"""The customer's account on the portal over HTTP: the reminder link opens it without a portal account,
another customer's token or id gets nothing, and every bad input gets a clear message and creates nothing."""

import json
import re
from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .common import DunningHttpCase


@tagged("post_install", "-at_install")
class TestPortalAccount(DunningHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_account()
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls.other_invoice = cls._invoice(cls.other, 700.0, 20)
        cls.other_reminder = cls._reminder(cls.other)
        cls.Promise = cls.env["o2c.dunning.promise"]

    def _post(self, url, data):
        """POST a portal form like the browser does (with the session's CSRF token)."""
        page = self.url_open(self._link(self.reminder))
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        return self.url_open(url, data={**data, "csrf_token": token}, allow_redirects=False)

    def _json(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_reminder_link_opens_the_account_balance_and_open_items_without_login(self):
        response = self.url_open(self._link(self.reminder))
        self.assertEqual(response.status_code, 200)
        page = response.text.replace("\ufeff", "")  # Odoo keeps a minus sign with its digits
        self.assertIn("Account of Portal Customer", re.sub(r"<[^>]+>", "", page))
        for name in (self.overdue_a.name, self.overdue_b.name, self.not_due.name, self.credit_note.name):
            self.assertIn(name, page)
        self.assertIn("1,500.00", page, "overdue: 1,000 + 500")
        self.assertIn("300.00", page, "not yet due")
        self.assertIn("-300.00", page, "credits: credit note 200 and payment 100")
        self.assertIn("1,500.00", page.split("o2c_amount_balance")[1][:80], "net balance: 1,500 + 300 - 300")
        self.assertIn("First reminder", page, "the reminder received")
        self.assertIn("Pay the overdue balance", page)

    def test_another_customers_token_or_id_gets_nothing(self):
        mine = self.reminder._portal_ensure_token()
        theirs = self.other_reminder._portal_ensure_token()
        refused = [
            f"/my/balance/reminder/{self.other_reminder.id}?access_token={mine}",
            f"/my/balance/reminder/{self.reminder.id}?access_token={theirs}",
            f"/my/balance/reminder/{self.reminder.id}?access_token=forged{mine[6:]}",
            f"/my/balance/reminder/{self.reminder.id}",
            f"/my/balance/statement?reminder_id={self.other_reminder.id}&access_token={mine}",
            f"/my/balance/pay?reminder_id={self.other_reminder.id}&access_token={mine}&selection=overdue",
        ]
        for url in refused:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn(self.other_invoice.name, response.text)
                self.assertNotIn(self.overdue_a.name, response.text)
        missing = self.url_open(f"/my/balance/reminder/{self.other_reminder.id + 1000}?access_token={mine}")
        self.assertEqual(missing.status_code, 404)
        response = self._post(
            "/my/balance/promise",
            {
                "reminder_id": self.other_reminder.id,
                "access_token": mine,
                "promise_date": str(self.today + timedelta(days=5)),
                "amount": "100",
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.Promise.search([("partner_id", "in", (self.customer | self.other).ids)]))
        result = self._json(
            f"/my/balance/transaction/{self.other_reminder.id}/overdue",
            {"access_token": mine, "provider_id": 1, "payment_method_id": 1, "token_id": None, "amount": 700,
             "flow": "direct", "tokenization_requested": False, "landing_route": "/my", "is_validation": False},
        )  # fmt: skip
        self.assertIn("The access token is invalid.", result["error"]["data"]["message"])
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", self.other_invoice.ids)]))

    def test_another_customers_invoice_cannot_be_paid_nor_questioned_through_my_link(self):
        response = self.url_open(self._link(self.reminder, "pay", invoice_ids=self.other_invoice.id))
        self.assertEqual(response.status_code, 400)
        self.assertIn("not among your open invoices", response.text)
        self.assertNotIn(self.other_invoice.name, response.text)
        token = self.reminder._portal_ensure_token()
        result = self._json(
            f"/my/balance/transaction/{self.reminder.id}/{self.other_invoice.id}",
            {"access_token": token, "provider_id": 1, "payment_method_id": 1, "token_id": None, "amount": 700,
             "flow": "direct", "tokenization_requested": False, "landing_route": "/my", "is_validation": False},
        )  # fmt: skip
        self.assertIn("not among your open invoices", result["error"]["data"]["message"])
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", self.other_invoice.ids)]))
        before = len(self.other_invoice.message_ids)
        response = self._post(
            "/my/balance/question",
            {"reminder_id": self.reminder.id, "access_token": token, "invoice_id": self.other_invoice.id,
             "message": "Why?"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose one of your invoices", response.text)
        self.assertEqual(len(self.other_invoice.message_ids), before)

    def test_expired_reminder_link_is_refused_with_a_clear_message(self):
        self.company.o2c_dunning_link_days = 30
        old = self._reminder(self.customer, days_ago=31)
        response = self.url_open(self._link(old))
        self.assertEqual(response.status_code, 403)
        self.assertIn("The link of this reminder has expired", response.text)
        self.assertEqual(self.url_open(self._link(old, "statement")).status_code, 403)
        self.assertEqual(self.url_open(self._link(self._reminder(self.customer, days_ago=29))).status_code, 200)

    def test_statement_asked_for_another_customer_is_refused(self):
        response = self.url_open(self._link(self.reminder, "statement", partner_id=self.other.id))
        self.assertEqual(response.status_code, 403)
        self.assertIn("This statement is not yours", response.text)
        response = self.url_open(self._link(self.reminder, "statement", download=1))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Statement_Portal_Customer", response.headers.get("Content-Disposition", ""))

    def test_promise_from_the_reminder_link_pauses_the_ladder_and_the_collector_sees_it(self):
        collector = new_test_user(self.env, login="collector_portal", groups="o2c_dunning.group_o2c_dunning_collector")
        self.customer.o2c_dunning_collector_id = collector
        Comm = self.env["o2c.dunning.communication"]
        promised = self.today + timedelta(days=10)
        response = self._post(
            "/my/balance/promise",
            {"reminder_id": self.reminder.id, "access_token": self.reminder._portal_ensure_token(),
             "promise_date": str(promised), "amount": "1 500,00"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 303)
        self.assertIn("done=promise", response.headers["Location"])
        promise = self.Promise.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(promise), 1)
        self.assertEqual((promise.promise_date, promise.amount, promise.state), (promised, 1500.0, "open"))
        self.assertEqual(promise.move_ids, self.overdue_a | self.overdue_b | self.not_due)
        created = Comm._o2c_run(companies=self.company, run_date=self.today, send=False)["created"]
        self.assertIn(self.other, created.partner_id, "the run reminds an overdue customer without promise")
        self.assertNotIn(self.customer, created.partner_id, "the promise pauses the ladder")
        activity = self.customer.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, collector)
        self.assertEqual(activity.date_deadline, promised)
        self.assertIn("Promise to pay from the portal", activity.summary)
        self.assertIn("promised on the portal to pay", self.customer.message_ids[0].body)
        page = self.url_open(self._link(self.reminder, done="promise")).text
        self.assertIn("your promise to pay is recorded", page)

    def test_bad_promises_get_a_clear_message_and_create_nothing(self):
        self.company.o2c_dunning_promise_max_days = 30
        token = self.reminder._portal_ensure_token()
        cases = [
            (str(self.today - timedelta(days=1)), "100", "is in the past"),
            (str(self.today + timedelta(days=31)), "100", "at most 30 days ahead"),
            (str(self.today + timedelta(days=5)), "1800.01", "leave"),
            (str(self.today + timedelta(days=5)), "0", "must be more than zero"),
            (str(self.today + timedelta(days=5)), "a lot", "Enter the amount as a number"),
            ("next week", "100", "Enter the promised date as a date"),
        ]
        for promise_date, amount, message in cases:
            with self.subTest(promise_date=promise_date, amount=amount):
                response = self._post(
                    "/my/balance/promise",
                    {"reminder_id": self.reminder.id, "access_token": token, "promise_date": promise_date,
                     "amount": amount},
                )  # fmt: skip
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertIn(f'value="{amount}"', response.text, "the form keeps what the customer typed")
        self.assertFalse(self.Promise.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(self.customer.activity_ids)

    def test_payment_of_nothing_is_refused(self):
        quiet = self.env["res.partner"].create({"name": "Nothing Overdue", "is_company": True})
        self._invoice(quiet, 400.0, -20)
        reminder = self._reminder(quiet)
        response = self.url_open(self._link(reminder, "pay", selection="overdue"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("There is nothing to pay", response.text)
        self.assertNotIn("Pay the overdue balance", response.text)
        token = reminder._portal_ensure_token()
        result = self._json(
            f"/my/balance/transaction/{reminder.id}/overdue",
            {"access_token": token, "provider_id": 1, "payment_method_id": 1, "token_id": None, "amount": 0,
             "flow": "direct", "tokenization_requested": False, "landing_route": "/my", "is_validation": False},
        )  # fmt: skip
        self.assertIn("There is nothing to pay", result["error"]["data"]["message"])
        self.assertFalse(self.env["payment.transaction"].search([("partner_id", "=", quiet.id)]))

    def test_question_on_an_invoice_is_posted_in_its_chatter_for_the_collector(self):
        token = self.reminder._portal_ensure_token()
        response = self._post(
            "/my/balance/question",
            {"reminder_id": self.reminder.id, "access_token": token, "invoice_id": self.overdue_a.id,
             "message": "Is the delivery of March included?"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 303)
        message = self.overdue_a.message_ids[0]
        self.assertIn("Is the delivery of March included?", message.body)
        self.assertEqual(message.author_id, self.customer)
        self.assertEqual(message.message_type, "comment")
        self.assertIn(self.customer, self.overdue_a.message_partner_ids, "the customer gets the answer")
        self.assertIn("Answer the question of Portal Customer", self.overdue_a.activity_ids.summary)
        self.assertFalse(self.env["o2c.dunning.promise"].search([("partner_id", "=", self.customer.id)]))
        before = len(self.overdue_a.message_ids)
        response = self._post(
            "/my/balance/question",
            {"reminder_id": self.reminder.id, "access_token": token, "invoice_id": self.overdue_a.id, "message": " "},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Write your question", response.text)
        self.assertEqual(len(self.overdue_a.message_ids), before)

    def test_portal_user_sees_own_account_from_the_home_page(self):
        user = new_test_user(self.env, login="portal_account", groups="base.group_portal")
        user.partner_id.write({"parent_id": self.customer.id, "name": "Anne Portal"})
        self.authenticate("portal_account", "portal_account")
        home = self.url_open("/my/home").text
        self.assertIn('href="/my/balance"', home)
        counters = self._json("/my/counters", {"counters": ["o2c_account_count"]})["result"]
        self.assertEqual(counters["o2c_account_count"], 3, "three open invoices")
        page = self.url_open("/my/balance")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.overdue_a.name, page.text)
        self.assertNotIn(self.other_invoice.name, page.text)
        refused = self.url_open(f"/my/balance/reminder/{self.other_reminder.id}")
        self.assertEqual(refused.status_code, 403, "a portal user needs the token of another customer's reminder")
        self.assertEqual(self.url_open(f"/my/balance/statement?partner_id={self.other.id}").status_code, 403)

    def test_public_visitor_without_link_is_sent_to_login(self):
        response = self.url_open("/my/balance", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
