import threading
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.o2c_base.tests.concurrency import env_on_cursor
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestConcurrentRuns(TransactionCase):
    """Two dunning runs at once, each on its own committed cursor, never remind an invoice twice at a level.

    Not on DunningCase: the runs' cursors only see committed data, and the test company of Odoo's
    AccountTestInvoicingCommon lives inside the test's transaction; the customers and invoices are committed
    on the database's company and deleted afterwards."""

    def _committed_customers(self, count, invoices_each):
        with self.registry.cursor() as cr:
            env = env_on_cursor(self.registry, cr, {"tracking_disable": True, "mail_create_nolog": True})
            company = env.company
            account = env["account.account"].search(
                [("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1
            )
            today = fields.Date.context_today(env.user)
            partners = env["res.partner"].create(
                [{"name": f"Concurrent {i}", "is_company": True, "email": f"c{i}@example.com"} for i in range(count)]
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=5 + n),
                        "invoice_date_due": today - timedelta(days=3 + n),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "x",
                                    "quantity": 1,
                                    "price_unit": 100.0,
                                    "tax_ids": [],
                                    "account_id": account.id,
                                }
                            )
                        ],
                    }
                    for partner in partners
                    for n in range(invoices_each)
                ]
            )
            moves.action_post()
            ids = (company.id, partners.ids, moves.ids)
        self.addCleanup(self._delete, *ids)
        return ids

    def _delete(self, company_id, partner_ids, move_ids):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM o2c_dunning_communication WHERE partner_id = ANY(%s)", [partner_ids])
            cr.execute("DELETE FROM account_move WHERE id = ANY(%s)", [move_ids])
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [partner_ids])

    def _run(self, cr, company_id, commit=True, batch_size=2000):
        env = env_on_cursor(self.registry, cr, {})
        return env["o2c.dunning.communication"]._o2c_run(
            companies=env["res.company"].browse(company_id), send=False, commit=commit, batch_size=batch_size
        )

    def _lines(self, move_ids):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT move_id, level_id, count(*) FROM o2c_dunning_communication_line "
                "WHERE move_id = ANY(%s) AND level_id IS NOT NULL GROUP BY move_id, level_id",
                [move_ids],
            )
            return cr.fetchall()

    def test_run_skips_invoices_locked_by_a_concurrent_run(self):
        company_id, partner_ids, move_ids = self._committed_customers(3, 2)
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            result_a = self._run(cr_a, company_id, commit=False)  # holds its locks, not committed yet
            self.assertEqual(len(result_a["created"]), 3)
            result_b = self._run(cr_b, company_id)
            self.assertFalse(result_b["created"], "the invoices held by run A are left to it")
            self.assertGreaterEqual(result_b["locked"], len(move_ids))
            cr_a.commit()
            cr_b.rollback()
            again = self._run(cr_b, company_id)
            self.assertFalse(again["created"], "run A's reminders are seen once committed")
        lines = self._lines(move_ids)
        self.assertEqual(len(lines), len(move_ids))
        self.assertTrue(all(count == 1 for _move, _level, count in lines))

    def test_two_runs_started_together_remind_each_invoice_once(self):
        company_id, partner_ids, move_ids = self._committed_customers(40, 3)
        barrier = threading.Barrier(2)
        results, errors = [], []

        def run():
            try:
                with self.registry.cursor() as cr:
                    barrier.wait(10)
                    results.append(self._run(cr, company_id, batch_size=10))
            except Exception as error:  # reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=run) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertFalse(errors)
        self.assertEqual(sum(len(result["created"]) for result in results), 40, "one reminder per customer in all")
        lines = self._lines(move_ids)
        self.assertEqual(len(lines), len(move_ids), "every invoice reminded")
        self.assertTrue(all(count == 1 for _move, _level, count in lines), "and only once")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT partner_id, level_id, count(*) FROM o2c_dunning_communication "
                "WHERE partner_id = ANY(%s) GROUP BY 1, 2 HAVING count(*) > 1",
                [partner_ids],
            )
            self.assertFalse(cr.fetchall(), "one communication per customer and level")
