"""Bad input on the customer's portal account: a form sent with a forged or expired reminder link, a second
promise over an open one, a paid invoice chosen for payment get a clear message and create nothing."""

import json
from datetime import timedelta

from odoo.tests import tagged

from .common import DunningHttpCase


@tagged("post_install", "-at_install")
class TestPortalBadInput(DunningHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_account()
        cls.company.o2c_dunning_link_days = 30
        cls.expired = cls._reminder(cls.customer, days_ago=31)
        cls.Promise = cls.env["o2c.dunning.promise"]

    def _post(self, url, data):
        """POST a portal form like the browser does (with the session's CSRF token)."""
        page = self.url_open(self._link(self.reminder))
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        return self.url_open(url, data={**data, "csrf_token": token}, allow_redirects=False)

    def test_forms_sent_with_a_forged_or_expired_link_create_nothing(self):
        valid = self.reminder._portal_ensure_token()
        links = {
            "forged": (self.reminder, "forged" + valid[6:]),
            "expired": (self.expired, self.expired._portal_ensure_token()),
        }
        messages = len(self.overdue_a.message_ids)
        for case, (reminder, token) in links.items():
            with self.subTest(case=case):
                promise = {"promise_date": str(self.today + timedelta(days=5)), "amount": "100"}
                question = {"invoice_id": self.overdue_a.id, "message": "Why?"}
                for url, data in (("/my/balance/promise", promise), ("/my/balance/question", question)):
                    response = self._post(url, {"reminder_id": reminder.id, "access_token": token, **data})
                    self.assertEqual(response.status_code, 403, url)
                    self.assertNotIn(self.overdue_a.name, response.text, "nothing of the account is shown")
                response = self.url_open(
                    f"/my/balance/transaction/{reminder.id}/overdue",
                    data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {"access_token": token}}),
                    headers={"Content-Type": "application/json"},
                )
                self.assertIn("The access token is invalid.", response.json()["error"]["data"]["message"])
        self.assertIn("The link of this reminder has expired", self.url_open(self._link(self.expired)).text)
        self.assertFalse(self.Promise.search([("partner_id", "=", self.customer.id)]))
        self.assertEqual(len(self.overdue_a.message_ids), messages, "no question posted")
        self.assertFalse(self.overdue_a.activity_ids)
        self.assertFalse(self.env["payment.transaction"].search([("partner_id", "=", self.customer.id)]))

    def test_second_promise_over_an_open_one_is_refused(self):
        token = self.reminder._portal_ensure_token()
        promised = self.today + timedelta(days=5)
        data = {"reminder_id": self.reminder.id, "access_token": token, "promise_date": str(promised), "amount": "400"}
        self.assertEqual(self._post("/my/balance/promise", data).status_code, 303)
        response = self._post("/my/balance/promise", {**data, "amount": "200"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("You already promised 400.00", response.text.replace("\xa0", " "))
        promise = self.Promise.search([("partner_id", "=", self.customer.id)])
        self.assertEqual((len(promise), promise.amount), (1, 400.0), "the first promise stays, alone")

    def test_paid_invoice_chosen_for_payment_is_refused(self):
        self._pay(self.overdue_b)
        self.assertIn(self.overdue_b.payment_state, ("paid", "in_payment"))
        response = self.url_open(self._link(self.reminder, "pay", invoice_ids=self.overdue_b.id))
        self.assertEqual(response.status_code, 400)
        self.assertIn("not among your open invoices", response.text)
        response = self.url_open(self._link(self.reminder, "pay", selection="not-a-number"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose the invoices among your open invoices", response.text)
        self.assertFalse(self.env["payment.transaction"].search([("partner_id", "=", self.customer.id)]))
