"""Imports at the same moment, in two real transactions: of one file, one wins and the other imports nothing;
of two files into one journal, both land, the second retried as Odoo retries a web request."""

import threading
from datetime import date
from decimal import Decimal

from odoo.addons.o2c_base.tests.concurrency import env_on_cursor, retry_as_a_request
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .camt_writer import camt053
from .labelled_set import GenLine

IBAN = "FR7610107001011234567890129"


@tagged("post_install", "-at_install")
class TestConcurrentImports(TransactionCase):
    def _cursor(self):
        return self.registry.cursor()

    @mute_logger("odoo.sql_db")  # the loser's expected serialization failure, logged by Odoo as a bad query
    def test_two_imports_of_the_same_file_at_once_one_wins(self):
        with self._cursor() as cr:
            env = env_on_cursor(self.registry, cr, {})
            journal = env["account.journal"].create(
                {"name": "Banque concurrence", "code": "BCONC", "type": "bank", "bank_acc_number": IBAN}
            )
            journal_id = journal.id
            cr.commit()
        lines = [GenLine(i, "test", Decimal(10 + i), date(2025, 6, 30), f"VIR {i}") for i in range(20)]
        data = camt053(lines, IBAN, statement_id="CONC")
        barrier = threading.Barrier(2)
        outcomes = []

        def run():
            with self._cursor() as cr:
                env = env_on_cursor(self.registry, cr, {})
                barrier.wait(timeout=30)
                try:
                    result = (
                        env["account.journal"].browse(journal_id).o2c_import_statement(data, "conc.xml", match=False)
                    )
                    cr.commit()
                    outcomes.append(("ok", result["created"], result["skipped"]))
                except Exception as err:  # the loser's unique-constraint violation, whatever its wrapping
                    cr.rollback()
                    outcomes.append(("refused", type(err).__name__, str(err)[:80]))

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        try:
            with self._cursor() as cr:
                cr.execute(
                    "SELECT count(*), count(DISTINCT o2c_import_id) FROM account_bank_statement_line "
                    "WHERE journal_id = %s",
                    [journal_id],
                )
                total, distinct = cr.fetchone()
            self.assertEqual((total, distinct), (20, 20), f"each transaction exactly once: {outcomes}")
            winners = [o for o in outcomes if o[0] == "ok" and o[1] == 20]
            self.assertEqual(len(winners), 1, outcomes)
            loser = next(o for o in outcomes if o is not winners[0])
            self.assertTrue(loser[0] == "refused" or loser[1:] == (0, 20), outcomes)
        finally:
            with self._cursor() as cr:
                env = env_on_cursor(self.registry, cr, {})
                journal = env["account.journal"].browse(journal_id)
                statements = env["account.bank.statement"].search([("journal_id", "=", journal_id)])
                statements.line_ids.unlink()
                statements.unlink()
                journal.unlink()
                cr.commit()

    @mute_logger("odoo.sql_db")  # the loser's expected serialization failure, logged by Odoo as a bad query
    def test_two_files_imported_into_one_journal_at_once_both_land_with_distinct_numbers(self):
        with self._cursor() as cr:
            env = env_on_cursor(self.registry, cr, {})
            journal = env["account.journal"].create(
                {"name": "Banque concurrence 2", "code": "BCON2", "type": "bank", "bank_acc_number": IBAN}
            )
            journal_id = journal.id
            cr.commit()
        files = [
            camt053(
                [GenLine(i, "test", Decimal(10 + i), date(2025, 6, 30), f"VIR {i}") for i in range(first, first + 20)],
                IBAN,
                statement_id=f"CONC-{first}",
            )
            for first in (0, 100)
        ]
        barrier = threading.Barrier(2)
        outcomes = []

        def run(data):
            with self._cursor() as cr:
                env = env_on_cursor(self.registry, cr, {})
                barrier.wait(timeout=30)
                try:
                    journal = env["account.journal"].browse(journal_id)
                    result = retry_as_a_request(
                        env, lambda: journal.o2c_import_statement(data, "conc.xml", match=False)
                    )
                    cr.commit()
                    outcomes.append(("ok", result["created"]))
                except Exception as err:
                    cr.rollback()
                    outcomes.append(("refused", type(err).__name__, str(err)[:120]))

        threads = [threading.Thread(target=run, args=(data,)) for data in files]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        try:
            self.assertEqual(sorted(outcomes), [("ok", 20), ("ok", 20)])
            with self._cursor() as cr:
                cr.execute(
                    "SELECT count(*), count(DISTINCT m.name) FROM account_bank_statement_line l "
                    "JOIN account_move m ON m.id = l.move_id WHERE l.journal_id = %s",
                    [journal_id],
                )
                self.assertEqual(cr.fetchone(), (40, 40))
        finally:
            with self._cursor() as cr:
                env = env_on_cursor(self.registry, cr, {})
                statements = env["account.bank.statement"].search([("journal_id", "=", journal_id)])
                statements.line_ids.unlink()
                statements.unlink()
                env["account.journal"].browse(journal_id).unlink()
                cr.commit()
