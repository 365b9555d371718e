import base64
import io
from datetime import timedelta

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CockpitCase


@tagged("post_install", "-at_install")
class TestAgedBalance(CockpitCase):
    """The aged balance at a past date, computed by hand: payments and credit notes after the date are
    ignored, items fall in the right columns, each customer opens on its items."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.today = fields.Date.context_today(env.user)
        cls.at = cls.today - timedelta(days=60)
        cls.alpha = env["res.partner"].create({"name": "Aaa Menuiserie Alpha", "is_company": True})
        cls.alpha_contact = env["res.partner"].create({"name": "Jeanne Alpha", "parent_id": cls.alpha.id})
        cls.beta = env["res.partner"].create({"name": "Aab Charpente Beta", "is_company": True})
        at = cls.at
        # Alpha: 1,000 due 70 days before the date, 300 paid before it, 200 after it -> 700 in 61-90.
        cls.inv_1 = cls._invoice(cls.alpha, at - timedelta(days=100), 1000.0, at - timedelta(days=70))
        cls._pay(cls.inv_1, 300.0, at - timedelta(days=10))
        cls._pay(cls.inv_1, 200.0, at + timedelta(days=5))
        # Alpha's contact: 500 not due yet at the date, paid in full after it -> 500 not due, under Alpha.
        cls.inv_2 = cls._invoice(cls.alpha_contact, at - timedelta(days=20), 500.0, at + timedelta(days=10))
        cls._pay(cls.inv_2, 500.0, at + timedelta(days=3))
        # Beta: 800 due 40 days before, a 100 credit note before the date -> 700 in 31-60.
        cls.inv_3 = cls._invoice(cls.beta, at - timedelta(days=50), 800.0, at - timedelta(days=40))
        refund = cls._invoice(cls.beta, at - timedelta(days=5), 100.0, at - timedelta(days=5), "out_refund")
        (cls.inv_3 + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        # Beta: issued after the date -> left out; 400 paid in full before the date -> left out.
        cls.inv_4 = cls._invoice(cls.beta, at + timedelta(days=1), 300.0, at + timedelta(days=31))
        cls.inv_5 = cls._invoice(cls.beta, at - timedelta(days=130), 400.0, at - timedelta(days=100))
        cls._pay(cls.inv_5, 400.0, at - timedelta(days=1))
        # Beta: a 50 payment received 2 days before the date, not reconciled -> -50 in 1-30.
        cls.payment = env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.beta.id,
                "amount": 50.0,
                "date": at - timedelta(days=2),
            }
        )
        cls.payment.action_post()
        cls.level, cls.next_level = env["o2c.dunning.level"].search(
            [("company_id", "=", cls.company.id), ("day_offset", ">", 0)], order="sequence", limit=2
        )
        # Inv 1 reminded at the first level before the date, at the next one after it; inv 3's reminder was
        # never sent.
        cls._reminder(cls.inv_1, cls.level, at - timedelta(days=20))
        cls._reminder(cls.inv_1, cls.next_level, at + timedelta(days=5))
        cls.inv_1.o2c_dunning_level_id = cls.next_level  # as the sending of that reminder sets it
        # Inv 2: a reminder marked sent without a sending time (imported) counts on its dunning date.
        cls._reminder(cls.inv_2, cls.level, at - timedelta(days=1), with_time=False)
        cls._reminder(cls.inv_3, cls.next_level, at - timedelta(days=10), state="draft")
        cls.dispute = cls._dispute(cls.beta, cls.inv_3, 250.0, at - timedelta(days=5))
        # On inv 1: resolved before the date (not counted), open at the date and resolved after it (100),
        # opened after the date (not counted).
        cls._dispute(cls.alpha, cls.inv_1, 40.0, at - timedelta(days=30), resolved=at - timedelta(days=3))
        cls._dispute(cls.alpha, cls.inv_1, 100.0, at - timedelta(days=30), resolved=at + timedelta(days=10))
        cls._dispute(cls.alpha, cls.inv_1, 60.0, at + timedelta(days=2))

    @classmethod
    def _dispute(cls, partner, invoice, amount, opened, resolved=None):
        dispute = cls.env["o2c.dispute"].create(
            {
                "partner_id": partner.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "amount_disputed": amount,
                "reason_id": cls.env.ref("o2c_disputes.o2c_dispute_reason_price").id,
                "date_open": opened,
            }
        )
        if resolved:
            dispute.write(
                {
                    "stage_id": cls.env.ref("o2c_disputes.o2c_dispute_stage_resolved").id,
                    "outcome": "rejected",
                    "date_resolved": resolved,
                }
            )
        return dispute

    @classmethod
    def _reminder(cls, invoice, level, sent_on, state="sent", with_time=True):
        cls.env["o2c.dunning.communication"].create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "level_id": level.id,
                "run_date": sent_on,
                "state": state,
                "sent_date": fields.Datetime.to_datetime(sent_on) + timedelta(hours=9)
                if state == "sent" and with_time
                else False,
                "dunned_line_ids": [Command.create({"move_id": invoice.id, "level_id": level.id})],
            }
        )

    def _balance(self, **vals):
        return self.env["o2c.cockpit.aged.balance"].create({"date_at": self.at, **vals})

    def _customer_row(self, balance, partner):
        return next(customer for customer in balance._o2c_customers() if customer["partner"] == partner)

    def _items(self, balance, partner):
        return balance._o2c_fill_items(partner)

    def _queries(self, balance):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        balance._o2c_compute()
        return self.env.cr.sql_log_count - start

    def test_past_date_ignores_later_payments_by_due_date(self):
        balance = self._balance()
        balance._o2c_compute()
        alpha = self._customer_row(balance, self.alpha)
        self.assertEqual(alpha["amount_residual"], 1200.0)
        self.assertEqual(alpha["amount_not_due"], 500.0)
        self.assertEqual(alpha["amount_period_3"], 700.0)
        self.assertEqual(alpha["amount_period_1"] + alpha["amount_period_2"] + alpha["amount_older"], 0.0)
        beta = self._customer_row(balance, self.beta)
        self.assertEqual(beta["amount_residual"], 650.0)
        self.assertEqual(beta["amount_period_2"], 700.0)
        self.assertEqual(beta["amount_period_1"], -50.0)
        self.assertEqual(beta["amount_older"], 0.0, "the invoice paid before the date is not open")
        beta_items = self._items(balance, self.beta)
        self.assertEqual(beta_items.move_id, self.inv_3 + self.payment.move_id)
        self.assertNotIn(self.inv_4, beta_items.move_id, "an invoice issued after the date is left out")
        self.assertNotIn(self.inv_5, beta_items.move_id)

    def test_invoice_date_basis_ages_from_the_invoice(self):
        balance = self._balance(basis="invoice")
        balance._o2c_compute()
        alpha = self._customer_row(balance, self.alpha)
        self.assertEqual(alpha["amount_older"], 700.0, "issued 100 days before the date")
        self.assertEqual(alpha["amount_period_1"], 500.0, "issued 20 days before the date")
        beta = self._customer_row(balance, self.beta)
        self.assertEqual(beta["amount_period_2"], 700.0, "issued 50 days before the date")

    def test_configured_limits_move_items_between_columns(self):
        balance = self._balance(period_1_days=10, period_2_days=20, period_3_days=30)
        balance._o2c_compute()
        beta = self._customer_row(balance, self.beta)
        self.assertEqual(beta["amount_older"], 700.0, "40 days late is over 30")
        self.assertEqual(beta["amount_period_1"], -50.0, "2 days old is within 1-10")
        self.assertEqual(
            balance._o2c_column_labels(), ["Not due", "1-10 days", "11-20 days", "21-30 days", "Over 30 days"]
        )
        with self.assertRaises(ValidationError):
            self._balance(period_1_days=30, period_2_days=30, period_3_days=90)

    def test_totals_equal_receivable_accounts_balance_at_the_date(self):
        for date_at in (self.at, self.at - timedelta(days=30), self.today):
            balance = self._balance(date_at=date_at)
            balance._o2c_compute()
            [(expected,)] = self.env["account.move.line"]._read_group(
                [
                    ("company_id", "=", self.company.id),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", date_at),
                    ("account_id.account_type", "=", "asset_receivable"),
                ],
                aggregates=["balance:sum"],
            )
            totals = balance._o2c_totals()
            self.assertAlmostEqual(totals["amount_residual"], expected, places=2)
            columns = sum(
                totals[name]
                for name in ("amount_not_due", "amount_period_1", "amount_period_2", "amount_period_3", "amount_older")
            )
            self.assertAlmostEqual(columns, expected, places=2)

    def test_today_counts_every_payment(self):
        balance = self._balance(date_at=self.today)
        balance._o2c_compute()
        alpha = self._items(balance, self.alpha)
        self.assertEqual(alpha.move_id, self.inv_1, "the contact's invoice is paid, Alpha owes 500 on the first")
        self.assertEqual(alpha.amount_residual, 500.0)

    def test_dispute_and_dunning_level_columns_are_those_at_the_date(self):
        balance = self._balance()
        balance._o2c_compute()
        inv_3 = self._items(balance, self.beta).filtered(lambda line: line.move_id == self.inv_3)
        self.assertEqual(inv_3.amount_in_dispute, 250.0)
        self.assertFalse(inv_3.dunning_level_id, "its only reminder was never sent")
        self.assertEqual(self._customer_row(balance, self.beta)["amount_in_dispute"], 250.0)
        # Inv 1 at the date: only the dispute of 100 was open; its last reminder sent was the first level.
        inv_1 = self._items(balance, self.alpha).filtered(lambda line: line.move_id == self.inv_1)
        self.assertEqual(inv_1.amount_in_dispute, 100.0)
        self.assertEqual(inv_1.dunning_level_id, self.level)
        inv_2 = self._items(balance, self.alpha).filtered(lambda line: line.move_id == self.inv_2)
        self.assertEqual(inv_2.dunning_level_id, self.level)
        alpha = self._customer_row(balance, self.alpha)
        self.assertEqual((alpha["amount_in_dispute"], alpha["dunning_level"]), (100.0, self.level))
        self.assertEqual(balance._o2c_totals()["amount_in_dispute"], 350.0)

    def test_dispute_and_dunning_level_columns_today(self):
        # Today inv 1 (500 open) is under the dispute of 60 opened after the date, at its current (next) level.
        balance = self._balance(date_at=self.today)
        inv_1 = self._items(balance, self.alpha).filtered(lambda line: line.move_id == self.inv_1)
        self.assertEqual(inv_1.amount_in_dispute, 60.0)
        self.assertEqual(inv_1.dunning_level_id, self.next_level)
        self.assertEqual(self._customer_row(balance, self.alpha)["dunning_level"], self.next_level)

    def test_show_lists_customers_and_opens_their_items(self):
        wizard = Form(self.env["o2c.cockpit.aged.balance"])
        wizard.date_at = self.at
        balance = wizard.save()
        action = balance.action_view()
        Customer = self.env["o2c.cockpit.aged.balance.customer"].with_context(**action["context"])
        self.assertEqual(action["res_model"], "o2c.cockpit.aged.balance.customer")
        self.assertIn("list", action["view_mode"])
        self.assertIn("pivot", action["view_mode"])
        self.assertEqual(Customer.fields_get(["amount_period_3"])["amount_period_3"]["string"], "61-90 days")
        rows = Customer.search(action["domain"] + [("partner_id", "in", (self.alpha + self.beta).ids)])
        self.assertEqual({row.partner_id: row.amount_residual for row in rows}, {self.alpha: 1200.0, self.beta: 650.0})
        alpha = rows.filtered(lambda row: row.partner_id == self.alpha)
        self.assertEqual(alpha.item_count, 2)
        opened = alpha.action_open_items()
        self.assertEqual(opened["res_model"], "o2c.cockpit.aged.balance.line")
        items = self.env["o2c.cockpit.aged.balance.line"].search(opened["domain"])
        self.assertEqual(items.move_id, self.inv_1 + self.inv_2, "the contact's invoice is under its company")
        self.assertEqual(sum(items.mapped("amount_residual")), 1200.0)
        document = items.filtered(lambda line: line.move_id == self.inv_2).action_open_document()
        self.assertEqual((document["res_model"], document["res_id"]), ("account.move", self.inv_2.id))

    def test_query_count_does_not_grow_with_customers(self):
        self._queries(self._balance())  # a fresh test company's first balance reads more (defaults, sequences)
        few = self._queries(self._balance())
        for index in range(10):
            customer = self.env["res.partner"].create({"name": f"Client supplémentaire {index}"})
            invoice = self._invoice(customer, self.at - timedelta(days=index), 100.0, self.at + timedelta(days=5))
            self._dispute(customer, invoice, 10.0, self.at - timedelta(days=index))
            self._reminder(invoice, self.level, self.at)
        balance = self._balance()
        self.assertEqual(self._queries(balance), few)
        self.assertEqual(balance._o2c_totals()["amount_in_dispute"], 350.0 + 10 * 10.0)

    def test_printed_report_lists_customers_and_total(self):
        balance = self._balance(print_details=True)
        balance._o2c_compute()
        html = self.env["ir.actions.report"]._render_qweb_html("o2c_cockpit.report_aged_balance", balance.ids)[0]
        html = html.decode()
        self.assertIn("Aged balance of the customers", html)
        self.assertIn("Aaa Menuiserie Alpha", html)
        self.assertIn(self.inv_3.name, html)
        self.assertIn("61-90 days", html)
        self.assertIn(self.company.name, html, "printed with the company letterhead")

    def test_xlsx_export_holds_customers_and_items(self):
        balance = self._balance()
        action = balance.action_export_xlsx()
        self.assertIn(f"/web/content/o2c.cockpit.aged.balance/{balance.id}/xlsx_file/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(balance.xlsx_file)))
        rows = list(book.active.iter_rows(values_only=True))
        header = rows[4]
        self.assertEqual(header[5:11], ("Balance", "Not due", "1-30 days", "31-60 days", "61-90 days", "Over 90 days"))
        alpha = next(row for row in rows if row[0] == self.alpha.name and row[1] is None)
        self.assertEqual(alpha[5], 1200.0)
        self.assertEqual(alpha[10 - 1], 700.0)
        items = [row for row in rows if row[0] == self.alpha.name and row[1]]
        self.assertEqual(sorted(row[1] for row in items), sorted([self.inv_1.name, self.inv_2.name]))
        total = rows[-1]
        self.assertEqual(total[0], "Total")
        self.assertAlmostEqual(total[5], balance._o2c_totals()["amount_residual"], places=2)

    def test_billing_user_cannot_compute_and_results_stay_private(self):
        billing = new_test_user(self.env, login="o2c_aged_billing", groups="account.group_account_invoice")
        with self.assertRaises(AccessError):
            self.env["o2c.cockpit.aged.balance"].with_user(billing).create({"date_at": self.at})
        first = new_test_user(self.env, login="o2c_aged_first", groups="account.group_account_manager")
        second = new_test_user(self.env, login="o2c_aged_second", groups="account.group_account_manager")
        balance = self.env["o2c.cockpit.aged.balance"].with_user(first).create({"date_at": self.at})
        balance._o2c_compute()
        self.assertTrue(balance.customer_ids)
        Customer = self.env["o2c.cockpit.aged.balance.customer"].with_user(second)
        self.assertFalse(Customer.search([("balance_id", "=", balance.id)]), "another user's aged balance is private")
        with self.assertRaises(AccessError):
            balance.with_user(second).read(["date_at"])
