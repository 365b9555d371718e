"""The customer's account page and statement over HTTP cost the same number of SQL queries whatever the
number of the customer's open items, and a long account is shown a page at a time with its totals over
every item."""

import re
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_date

from .common import DunningHttpCase

ITEMS = 4


@tagged("post_install", "-at_install")
class TestPortalQueries(DunningHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_account()

    def _customer_with_invoices(self, name, count, amount=10.0):
        """A customer with `count` posted invoices of `amount` (due 1 to `count` days ago, created in one go)
        and a sent reminder; returns (customer, invoices, reminder)."""
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "email": "many@example.com"})
        line = {
            "name": "Service",
            "quantity": 1,
            "price_unit": amount,
            "tax_ids": [],
            "account_id": self.income_account.id,
        }
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": self.today - timedelta(days=1 + index),
                    "invoice_date_due": self.today - timedelta(days=1 + index),
                    "invoice_line_ids": [Command.create(line)],
                }
                for index in range(count)
            ]
        )
        invoices.action_post()
        return partner, invoices, self._reminder(partner)

    def _queries(self, url):
        """(SQL queries the server ran to answer `url`, the response)."""
        self.env.flush_all()
        start = self.cr.sql_log_count
        response = self.url_open(url)
        count = self.cr.sql_log_count - start
        self.assertEqual(response.status_code, 200, url)
        return count, response

    def test_account_page_and_statement_queries_do_not_grow_with_the_items(self):
        few = self._customer_with_invoices("Few Items", ITEMS)
        many = self._customer_with_invoices("Many Items", 3 * ITEMS)
        for path in ("", "statement"):
            with self.subTest(page=path or "account"):
                self._queries(self._link(self.reminder, path))  # templates, assets and caches loaded once
                counts = {}
                for name, invoices, reminder in ((few[0].name, few[1], few[2]), (many[0].name, many[1], many[2])):
                    self.env.invalidate_all()
                    counts[name], response = self._queries(self._link(reminder, path))
                    for invoice in invoices:
                        self.assertIn(invoice.name, response.text, "every item is on the page")
                self.assertGreater(counts["Few Items"], 5, "the server's queries are counted")
                self.assertEqual(counts["Few Items"], counts["Many Items"], counts)

    def test_long_account_is_shown_a_page_at_a_time_with_totals_over_every_item(self):
        step = 80  # Odoo's portal lists step (CustomerPortal._items_per_page)
        partner, invoices, reminder = self._customer_with_invoices("Long Account", step + 5)
        # the open items are listed oldest due first: the five most recent are on page 2
        first, second = invoices.sorted(lambda move: (move.invoice_date_due, move.id))[:step], invoices[:5]
        token = reminder._portal_ensure_token()
        pages = {}
        for page in (1, 2):
            path = f"/my/balance/reminder/{reminder.id}" + (f"/page/{page}" if page > 1 else "")
            response = self.url_open(f"{path}?access_token={token}")
            self.assertEqual(response.status_code, 200)
            pages[page] = response.text
        listed = {page: set(re.findall(r'name="invoice_ids"[^>]*value="(\d+)"', text)) for page, text in pages.items()}
        self.assertEqual(listed[1], {str(move_id) for move_id in first.ids})
        self.assertEqual(listed[2], {str(move_id) for move_id in second.ids})
        self.assertIn(format_date(self.env, invoices[0].invoice_date_due), pages[2], "page 2's items are formatted")
        for page, text in pages.items():
            with self.subTest(page=page):
                # 85 invoices of 10.00 are overdue: the totals cover all of them on every page
                self.assertIn("850.00", text.split("o2c_amount_overdue")[1][:80])
                self.assertIn("850.00", text.split("o2c_amount_balance")[1][:80])
                self.assertIn(f"/my/balance/reminder/{reminder.id}/page/2?access_token={token}", text, "the pager")
        self.assertEqual(self.url_open(f"/my/balance/reminder/{reminder.id}/page/2").status_code, 403, "no token")
