"""What an import guarantees: every bad file refused with a clear message and nothing created, nothing misread,
nothing lost, every entry accounted for, statements of several accounts each in their journal, CFONB 120 as CAMT."""

import base64
import io
import re
import zipfile
from pathlib import Path

from odoo.addons.o2c_cashmatch.parsers.cfonb import rib_iban
from odoo.exceptions import UserError
from odoo.tests import tagged

from .camt_writer import camt053
from .common import IBAN, CashmatchCase

DATA = Path(__file__).resolve().parent / "data"
OCA = (DATA / "camt" / "oca" / "test-camt053").read_bytes()
CFONB_ONE = (DATA / "cfonb" / "releve-un-compte.cfonb").read_bytes()
CFONB_TWO = (DATA / "cfonb" / "releve-deux-comptes.cfonb").read_bytes()
SECOND_IBAN = rib_iban("30004", "00823", "00012345678")


def _zip(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestImportGuarantees(CashmatchCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nl_journal = cls.env["account.journal"].create(
            {"name": "ABN garanties", "code": "ABNG", "type": "bank", "bank_acc_number": "NL77ABNA0574908765"}
        )

    def _counts(self):
        return (
            self.env["account.bank.statement"].search_count([]),
            self.env["account.bank.statement.line"].search_count([]),
            self.env["account.move"].search_count([]),
            self.env["o2c.cashmatch.proposal"].search_count([]),
        )

    def _file(self, count=3, **kwargs):
        lines = [self._line(i, 10 + i, remittance=f"VIR {i}", payer="Someone") for i in range(count)]
        return camt053(lines, IBAN, **kwargs)

    def _bad_inputs(self):
        """(name, journal, bytes, what the message must say) of every kind of bad file."""
        good = self._file()
        big_prolog = b'<?xml version="1.0" encoding="UTF-8"?>\n' + b" " * 70000
        dtd_late = big_prolog + b'<!DOCTYPE Document [<!ENTITY e "x">]>' + good.split(b"?>", 1)[1]
        unbalanced = OCA
        another_account = camt053([self._line(1, 10, payer="X")], "FR7630004000031234567890143")
        member_ratio = b"0" * 3_000_000
        cfonb_lines = CFONB_ONE.decode("latin-1").split("\r\n")
        return [
            ("truncated", self.journal, good[: len(good) * 2 // 3], "truncated"),
            ("garbage after the root", self.journal, good + b"<Ntry>", "well-formed"),
            ("padded before the declaration", self.journal, b"\n\n" + good, "well-formed"),
            ("re-encoded", self.journal, good.decode().encode("utf-16"), "neither CAMT"),
            ("DTD after 64 KiB", self.journal, dtd_late, "DTD or XML entities"),
            ("OFX with a late DTD", self.journal, b"OFXHEADER:100\n" + b" " * 70000 + b"<!DOCTYPE x><OFX/>", "DTD"),
            ("entity", self.journal, good.replace(b"<Ustrd>VIR 1", b"<Ustrd>&e; VIR 1"), "well-formed"),
            ("unknown element", self.journal, good.replace(b"<Sts>BOOK", b"<Foo/><Sts>BOOK", 1), "structure of schema"),
            ("mandatory element missing", self.journal, re.sub(rb"<Acct>.*?</Acct>", b"", good, count=1), "schema"),
            ("missing indicator", self.nl_journal, OCA.replace(b"<CdtDbtInd>DBIT</CdtDbtInd>", b"", 1), "indicator"),
            ("unknown indicator", self.nl_journal, OCA.replace(b">DBIT<", b">DEBT<", 1), "neither CRDT nor DBIT"),
            ("missing booking date", self.journal, re.sub(rb"<BookgDt>.*?</BookgDt>", b"", good, count=1), "booking"),
            ("too many decimals", self.journal, good.replace(b">11.00<", b">11.005<", 1), "more decimals than EUR"),
            ("another currency", self.journal, self._file(currency="USD"), "USD"),
            ("unbalanced", self.nl_journal, unbalanced, "does not add up"),
            ("another account", self.journal, another_account, "FR7630004000031234567890143"),
            ("zip in a zip", self.journal, _zip(("inner.zip", _zip(("a.xml", good)))), "itself a zip"),
            ("oversized zip member", self.journal, _zip(("big.xml", member_ratio)), "inflates too much"),
            ("CFONB line of another length", self.journal, CFONB_ONE.replace(b"BOULANGERIE DUPONT SARL", b"X", 1),
             "has 98 characters, not 120"),
            ("CFONB bad record code", self.journal, "\r\n".join([cfonb_lines[0], "08" + cfonb_lines[1][2:],
             *cfonb_lines[2:]]).encode("latin-1"), "record code 08"),
        ]  # fmt: skip

    def test_every_bad_input_is_refused_with_a_clear_message_and_creates_nothing(self):
        refused = 0
        for name, journal, data, message in self._bad_inputs():
            with self.subTest(name):
                before = self._counts()
                with self.assertRaisesRegex(UserError, message):
                    journal.o2c_import_statement(data, f"{name}.xml")
                self.assertEqual(self._counts(), before, f"{name}: nothing may be created")
                refused += 1
        self.assertEqual(refused, 20)

    def test_a_returned_direct_debit_stays_a_debit(self):
        result = self.nl_journal.o2c_import_statement(OCA, "camt053.xml", allow_unbalanced=True, match=False)
        lines = self._st_lines(result)
        self.assertEqual(sorted(lines.filtered("o2c_is_return").mapped("amount")), [-564.05, -100.0])

    def test_an_unbalanced_statement_imported_on_request_is_flagged(self):
        result = self.nl_journal.o2c_import_statement(OCA, "camt053.xml", allow_unbalanced=True, match=False)
        statement = self.env["account.bank.statement"].browse(result["statement_ids"])
        self.assertTrue(statement.o2c_balance_mismatch)
        self.assertIn("imported on request and flagged", statement.o2c_import_warnings)

    def test_lines_whose_reference_is_notprovided_or_shared_are_all_imported(self):
        lines = [self._line(i, 100 + i, remittance=f"FACTURE {i}", payer="Payeur") for i in range(40)]
        placeholder = b"<AcctSvcrRef>NOTPROVIDED</AcctSvcrRef>"
        data = re.sub(rb"<AcctSvcrRef>[^<]*</AcctSvcrRef>", placeholder, camt053(lines, IBAN))
        first = self.journal.o2c_import_statement(data, "notprovided.xml", match=False)
        self.assertEqual((first["entries"], first["created"], first["skipped"]), (40, 40, 0))
        again = self.journal.o2c_import_statement(data, "notprovided.xml", match=False)
        self.assertEqual((again["created"], again["skipped"], len(again["repeated"])), (0, 40, 40))
        earlier = set(self._st_lines(first).mapped("display_name"))
        self.assertLessEqual(set(again["repeated"].values()), earlier, "each repeat names the line already there")
        shared = re.sub(rb"<AcctSvcrRef>[^<]*</AcctSvcrRef>", b"<AcctSvcrRef>SAME-REF</AcctSvcrRef>", self._file(5))
        self.assertEqual(self.journal.o2c_import_statement(shared, "shared.xml", match=False)["created"], 5)

    def test_a_line_repeated_inside_a_file_is_counted_once_and_named(self):
        day_one = camt053([self._line(i, 20 + i, remittance=f"R{i}", payer="P") for i in range(3)], IBAN, "D1")
        day_two = camt053([self._line(i, 20 + i, remittance=f"R{i}", payer="P") for i in range(2, 4)], IBAN, "D2")
        result = self.journal.o2c_import_statement(_zip(("d1.xml", day_one), ("d2.xml", day_two)), "days.zip")
        self.assertEqual((result["entries"], result["created"], result["skipped"]), (5, 4, 1))
        self.assertEqual(list(result["repeated"].values()), ["Statement D1, entry 3 (TX-000002) of this file"])

    def test_the_summary_accounts_for_every_entry(self):
        wizard = self.env["o2c.cashmatch.import.wizard"].create(
            {"journal_id": self.journal.id, "data_file": base64.b64encode(self._file(3)), "filename": "trois.xml"}
        )
        wizard.action_import()
        again = self.env["o2c.cashmatch.import.wizard"].create(
            {"journal_id": self.journal.id, "data_file": base64.b64encode(self._file(3)), "filename": "trois.xml"}
        )
        message = again.action_import()["params"]["message"]
        self.assertIn("of its 3 entries, 3 were already there", message)
        self.assertIn("Statement BENCH-1, entry 1 (TX-000000) = ", message)

    def test_a_file_of_two_accounts_puts_each_statement_into_its_journal(self):
        second = self.env["account.journal"].create(
            {"name": "Banque 2", "code": "BQ2", "type": "bank", "bank_acc_number": SECOND_IBAN}
        )
        result = self.journal.o2c_import_statement(CFONB_TWO, "deux.cfonb", match=False)
        statements = self.env["account.bank.statement"].browse(result["statement_ids"])
        self.assertEqual(statements.mapped("journal_id"), self.journal | second)
        self.assertEqual(sorted(statements.line_ids.mapped("amount")), [-45.9, 300.0, 500.0, 1234.56])
        self.assertEqual(statements.filtered(lambda s: s.journal_id == second).balance_end_real, 100.0)

    def test_the_wizard_asks_a_journal_for_an_account_no_journal_has(self):
        wizard = self.env["o2c.cashmatch.import.wizard"].create(
            {"journal_id": self.journal.id, "data_file": base64.b64encode(CFONB_TWO), "filename": "deux.cfonb"}
        )
        before = self._counts()
        action = wizard.action_import()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual(wizard.account_ids.mapped("account_number"), [SECOND_IBAN])
        self.assertEqual(self._counts(), before, "nothing is created before the user has picked")
        with self.assertRaisesRegex(UserError, "Pick a bank journal"):
            wizard.action_import()
        other = self.env["account.journal"].create({"name": "Caisse 2", "code": "CS2", "type": "bank"})
        wizard.account_ids.journal_id = other
        wizard.action_import()
        self.assertEqual(self.env["account.bank.statement.line"].search([("journal_id", "=", other.id)]).amount, 300.0)

    def test_a_cfonb_statement_is_imported_and_matched_like_camt(self):
        invoice = self._invoice(self.dupont, 1234.56, ref="F2025-0007")
        result = self.journal.o2c_import_statement(CFONB_ONE, "releve.cfonb")
        self.assertEqual((result["entries"], result["created"], result["auto"]), (3, 3, 1))
        self.assertEqual(invoice.payment_state, "paid")
        line = self._st_lines(result).filtered(lambda ln: ln.amount == 1234.56)
        self.assertEqual((line.o2c_debtor_name, line.o2c_end_to_end_id), ("BOULANGERIE DUPONT SARL", "E2E-DUPONT-0007"))
        self.assertEqual(self.journal.o2c_import_statement(CFONB_ONE, "releve.cfonb")["created"], 0)
