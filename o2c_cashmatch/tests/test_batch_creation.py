"""Lines created in batch from a file are the rows Odoo's own create and reconciliation would have written.

The differential test of the bulk row copy, ``tools/row_copy.py``.
"""

from odoo.tests import tagged
from odoo.tools import SQL

from .camt_writer import camt053
from .common import CashmatchCase

OTHER_IBAN = "FR7630004000031234567890143"
USD_IBAN = "FR7630004000031234567890150"
# Columns that differ between two journals or two imports by construction: ids and links to the journal,
# the statement and the entry, numbers, timestamps, lettering numbers. Invoice numbers in texts are named
# by their rank (see `_snapshot`).
DIFFERENT = {
    "id",
    "move_id",
    "statement_id",
    "statement_line_id",
    "journal_id",
    "move_name",
    "sequence_number",
    "sequence_prefix",
    "internal_index",
    "create_date",
    "write_date",
    "full_reconcile_id",
    "matching_number",
    "o2c_import_id",
    "o2c_bank_reference",
    "invoice_date_due",
}


@tagged("post_install", "-at_install")
class TestBatchCreation(CashmatchCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_journal = cls.env["account.journal"].create(
            {"name": "Banque O2C 2", "code": "BO2D", "type": "bank", "bank_acc_number": OTHER_IBAN}
        )

    def _shapes(self):
        """Fresh invoices and one bank line of each kind paying them (the first line matches nothing)."""
        exact = self._invoice(self.dupont, 480.0)
        fees = self._invoice(self.martin, 730.0)
        partial = self._invoice(self.leroy, 1000.0)
        first, second = self._invoice(self.dupont, 100.0), self._invoice(self.dupont, 250.5)
        invoices = exact + fees + partial + first + second
        lines = [
            self._line(1, 10.0, remittance="VIREMENT DIVERS"),
            self._line(2, 480.0, remittance=f"Facture {exact.name}", payer="BOULANGERIE DUPONT"),
            self._line(3, 722.5, remittance=fees.name, payer="TRANSPORTS MARTIN", charges=7.5),
            self._line(4, 400.0, remittance=partial.name, payer="MENUISERIE LEROY"),
            self._line(5, 350.5, remittance=f"{first.name} {second.name}", payer="BOULANGERIE DUPONT"),
            self._line(6, 77.77, remittance="REF 0042 XYZ"),
            self._line(7, -120.0, remittance="PRLV EDF"),
            self._line(8, -480.0, remittance=f"RETOUR {exact.name}", payer="DUPONT", return_reason="AC04"),
        ]
        return invoices, lines

    def _rows(self, table, ids, order="id"):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT * FROM %s WHERE id IN %s ORDER BY %s", SQL.identifier(table), tuple(ids), SQL(order))
        )
        columns = [column.name for column in self.env.cr.description]
        return [
            {column: value for column, value in zip(columns, row, strict=True) if column not in DIFFERENT}
            for row in self.env.cr.fetchall()
        ]

    def _snapshot(self, st_lines, journal, invoices):
        """The rows of these lines, their entries and journal items; the journal's own accounts and entry
        numbers, and the invoices' numbers in texts, named the same way for both journals."""
        own = {journal.default_account_id.id: "bank", journal.suspense_account_id.id: "suspense"}
        names = {move.name: f"<entry {rank}>" for rank, move in enumerate(st_lines.move_id)}
        names.update({invoice.name: f"<invoice {rank}>" for rank, invoice in enumerate(invoices)})

        def named(row):
            for key, value in row.items():
                if isinstance(value, str):
                    for name, token in names.items():
                        value = value.replace(name, token)
                    row[key] = value
            return row

        items = []
        for st_line in st_lines:
            for row in self._rows("account_move_line", st_line.move_id.line_ids.ids, order="sequence, id"):
                row["account_id"] = own.get(row["account_id"], row["account_id"])
                items.append(named(row))
        return (
            [named(row) for row in self._rows("account_bank_statement_line", st_lines.ids)],
            [named(row) for row in self._rows("account_move", st_lines.move_id.ids)],
            items,
        )

    def test_lines_created_in_batch_equal_lines_created_by_odoo(self):
        # The same lines, in one file (the first of the date by Odoo, the others in batch) ...
        batch_invoices, lines = self._shapes()
        result = self._import(lines)
        batch = self._st_lines(result)
        self.assertEqual(len(batch), 8)
        self.assertEqual((result["auto"], result["proposed"], result["unmatched"], result["returns"]), (4, 0, 3, 1))
        # ... and one file per line into another journal, each line then created by Odoo itself.
        odoo_invoices, lines = self._shapes()
        odoo_lines = self.env["account.bank.statement.line"]
        for line in lines:
            data = camt053([line], OTHER_IBAN, statement_id=f"ONE-{line.index}")
            one = self.other_journal.o2c_import_statement(data, f"one-{line.index}.xml")
            odoo_lines |= self._st_lines(one)
        self.assertEqual(len(odoo_lines), 8)

        batch_rows = self._snapshot(batch, self.journal, batch_invoices)
        odoo_rows = self._snapshot(odoo_lines, self.other_journal, odoo_invoices)
        for table, ours, odoos in zip(("statement line", "entry", "journal item"), batch_rows, odoo_rows, strict=True):
            self.assertEqual(len(ours), len(odoos), table)
            for index, (mine, theirs) in enumerate(zip(ours, odoos, strict=True)):
                differs = {key: (mine[key], theirs[key]) for key in mine if not _same(mine[key], theirs[key])}
                self.assertFalse(differs, f"{table} #{index + 1}: (batch, Odoo) values differ")
        self.assertEqual(batch_invoices.mapped("payment_state"), odoo_invoices.mapped("payment_state"))
        self.assertEqual(batch_invoices.mapped("amount_residual"), odoo_invoices.mapped("amount_residual"))
        self.assertEqual(batch_invoices.mapped("payment_state"), ["paid", "paid", "partial", "paid", "paid"])

    def test_lines_created_in_chunks_equal_lines_created_in_one_batch(self):
        # A large file's lines are copied a chunk at a time (here 3 lines) ...
        chunked_invoices, lines = self._shapes()
        chunked = self._st_lines(self._import(lines, journal=self.journal.with_context(o2c_create_chunk=3)))
        # ... and the same lines in one batch into another journal.
        batch_invoices, lines = self._shapes()
        data = camt053(lines, OTHER_IBAN, statement_id="ONE-BATCH")
        batch = self._st_lines(self.other_journal.o2c_import_statement(data, "one-batch.xml"))
        self.assertEqual(len(chunked), 8)
        chunked_rows = self._snapshot(chunked, self.journal, chunked_invoices)
        batch_rows = self._snapshot(batch, self.other_journal, batch_invoices)
        tables = ("statement line", "entry", "journal item")
        for table, ours, others in zip(tables, chunked_rows, batch_rows, strict=True):
            self.assertEqual(len(ours), len(others), table)
            for index, (mine, theirs) in enumerate(zip(ours, others, strict=True)):
                differs = {key: (mine[key], theirs[key]) for key in mine if not _same(mine[key], theirs[key])}
                self.assertFalse(differs, f"{table} #{index + 1}: (chunked, one batch) values differ")
        moves = chunked.move_id.sorted("id")
        self.assertEqual(
            moves.mapped("sequence_number"), list(range(moves[0].sequence_number, moves[0].sequence_number + 8))
        )
        self.assertEqual(chunked_invoices.mapped("payment_state"), ["paid", "paid", "partial", "paid", "paid"])
        statement = chunked.statement_id
        self.assertAlmostEqual(statement.balance_end, float(sum(line.amount for line in lines)))
        self.assertTrue(statement.is_complete)

    def test_batch_lines_are_numbered_in_the_journal_sequence_and_the_statement_balances(self):
        _invoices, lines = self._shapes()
        result = self._import(lines)
        st_lines = self._st_lines(result).sorted("id")
        moves = st_lines.move_id
        self.assertEqual(len(set(moves.mapped("name"))), 8)
        self.assertEqual(
            moves.mapped("sequence_number"), list(range(moves[0].sequence_number, moves[0].sequence_number + 8))
        )
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        statement = st_lines.statement_id
        self.assertAlmostEqual(statement.balance_end, float(sum(line.amount for line in lines)))
        self.assertTrue(statement.is_complete)
        self.assertAlmostEqual(sum(st_lines.mapped("amount")), statement.balance_end - statement.balance_start)

    def test_undo_of_a_line_created_in_batch(self):
        invoices, lines = self._shapes()
        st_line = self._st_lines(self._import(lines)).filtered(lambda ln: ln.o2c_bank_reference == "TX-000002")
        self.assertEqual(invoices[0].payment_state, "paid")
        st_line.action_undo_reconciliation()
        self.assertEqual(invoices[0].payment_state, "not_paid")
        self.assertFalse(st_line.is_reconciled)
        self.assertEqual(st_line.o2c_match_state, "proposed")

    def test_journal_in_another_currency_gets_its_lines_from_odoo_with_its_rates(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create({"currency_id": usd.id, "name": "2025-01-01", "rate": 1.25})
        journal = self.env["account.journal"].create(
            {"name": "Banque USD", "code": "BUSD", "type": "bank", "bank_acc_number": USD_IBAN, "currency_id": usd.id}
        )
        lines = [self._line(1, 125.0, remittance="WIRE A"), self._line(2, 250.0, remittance="WIRE B")]
        result = journal.o2c_import_statement(camt053(lines, USD_IBAN, currency="USD"), "usd.xml")
        st_lines = self._st_lines(result)
        self.assertEqual(st_lines.mapped("amount"), [125.0, 250.0])
        self.assertEqual(st_lines.currency_id, usd)
        bank_items = st_lines.move_id.line_ids.filtered(lambda aml: aml.account_id == journal.default_account_id)
        self.assertEqual(bank_items.mapped("amount_currency"), [125.0, 250.0])
        self.assertEqual(bank_items.mapped("balance"), [100.0, 200.0], "converted at the rate, in the company's euros")
        self.assertEqual(set(st_lines.move_id.mapped("state")), {"posted"})


def _same(value, other):
    """Equal as the ORM reads them: NULL is 0.0 in a float column and False in a boolean one."""
    empty = (None, 0, False, "")
    return value == other or (value in empty and other in empty)
