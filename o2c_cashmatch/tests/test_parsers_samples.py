"""Every real CAMT sample of tests/data is read to the values its companion file (genkgo JSON, OCA golden) holds."""

import ast
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from odoo.addons.o2c_cashmatch.parsers import StatementParseError, parse_file
from odoo.tests import BaseCase

SAMPLES = Path(__file__).resolve().parent / "data" / "camt"
GENKGO = sorted(p for p in (SAMPLES / "genkgo").glob("*.xml") if p.with_suffix(".json").exists())
MINOR_UNITS = {"JPY": 0}


def _money(node):
    if not node:
        return None, None
    code = node["getCurrency"]["getCode"]
    return Decimal(node["getAmount"]).scaleb(-MINOR_UNITS.get(code, 2)), code


def _genkgo_date(node):
    """genkgo keeps dates as UTC instants; a bare <Dt> is midnight UTC, so its date part is the day."""
    if not node:
        return None
    return datetime.fromisoformat(node["0"]).astimezone(UTC).date()


def _parties(detail):
    found = {}
    for party in detail.get("getRelatedParties") or []:
        kind = party["getRelatedPartyType"]["__CLASS__"].rsplit("\\", 1)[-1]
        account = party.get("getAccount") or {}
        iban = (account.get("getIban") or {}).get("getIban") or ""
        found.setdefault(kind, (party["getRelatedPartyType"].get("getName") or "", iban))
    return found


def _expected_records(message):
    """[(record, entries)] of a genkgo dump, which writes each object once and '__RECURSIVITY__' after."""
    records = []
    for entry in message["getEntries"]:
        record = entry.get("getRecord")
        if isinstance(record, dict):
            entries = [entry if e == "__RECURSIVITY__" else e for e in record.get("getEntries") or []]
            records.append((record, entries))
    for record in message["getRecords"]:
        if isinstance(record, dict):
            records.append((record, [e for e in record.get("getEntries") or [] if isinstance(e, dict)]))
    return records


def _golden(name):
    return ast.literal_eval((SAMPLES / "oca" / name).read_text())


class TestParserSamples(BaseCase):
    """The statement parsers read published sample files to their expected values."""

    def test_genkgo_samples_are_all_present(self):
        assert len(GENKGO) >= 25, f"genkgo samples missing in {SAMPLES}"

    def test_genkgo_sample_parsed_to_expected_values(self):
        for path in GENKGO:
            with self.subTest(path=path):
                expected = json.loads(path.with_suffix(".json").read_text())
                records = _expected_records(expected)
                assert records
                try:
                    statements = parse_file(path.read_bytes(), path.name)
                except StatementParseError as err:
                    # A booked entry without booking date is refused, never dated by guess.
                    assert err.code == "missing_booking_date", err
                    assert any(not e.get("getBookingDate") for _record, entries in records for e in entries)
                    continue
                assert len(statements) == len(expected["getRecords"])
                for record, entries in records:
                    statement = next(s for s in statements if s.identifier == record["getId"])
                    account = record.get("getAccount") or {}
                    assert statement.account_number == (account.get("getIdentification") or "").replace(" ", "")
                    for balance in record.get("getBalances") or []:
                        amount, currency = _money(balance["getAmount"])
                        kind = balance["getType"]
                        mine = [
                            b
                            for b in statement.balances
                            if b.kind == kind and b.amount == amount and b.currency == currency
                        ]
                        assert mine, f"balance {kind} {amount} {currency} not read"
                        assert mine[0].date == _genkgo_date(balance["getDate"])
                    by_entry = {}
                    for tx in statement.transactions:
                        by_entry.setdefault(tx.entry_index, []).append(tx)
                    assert len(by_entry) == len(entries)
                    for index, entry in enumerate(entries):
                        txs = by_entry[index]
                        first = txs[0]
                        amount, currency = _money(entry["getAmount"])
                        assert first.entry_amount == amount
                        assert first.currency == currency
                        assert first.booking_date == _genkgo_date(entry.get("getBookingDate"))
                        assert first.value_date == _genkgo_date(entry.get("getValueDate"))
                        assert first.reversal == bool(entry.get("getReversalIndicator"))
                        assert first.status == (entry.get("getStatus") or "")
                        assert first.entry_account_servicer_reference == (
                            entry.get("getAccountServicerReference") or ""
                        )
                        assert first.additional_entry_info == (entry.get("getAdditionalInfo") or "")
                        code = entry.get("getBankTransactionCode") or {}
                        domain = code.get("getDomain")
                        if domain:
                            family = domain.get("getFamily") or {}
                            parts = [domain.get("getCode"), family.get("getCode"), family.get("getSubFamilyCode")]
                            assert txs[0].bank_transaction_code.startswith("-".join(p for p in parts if p)) or any(
                                "-".join(p for p in parts if p) == t.bank_transaction_code for t in txs
                            )
                        details = [
                            entry["getTransactionDetail"] if d == "__RECURSIVITY__" else d
                            for d in entry.get("getTransactionDetails") or []
                        ]
                        assert len(txs) == max(1, len(details))
                        for tx, detail in zip(txs, details, strict=False):
                            ref = detail.get("getReference") or {}
                            end_to_end = ref.get("getEndToEndId") or ""
                            assert tx.end_to_end_id == ("" if end_to_end.upper() == "NOTPROVIDED" else end_to_end)
                            assert tx.instruction_id == (ref.get("getInstructionId") or "")
                            assert tx.uetr == (ref.get("getUuidEndToEndReference") or "")
                            assert tx.mandate_id == (ref.get("getMandateId") or "")
                            parties = _parties(detail)
                            for kind, (name_attr, iban_attr) in {
                                "Debtor": ("debtor_name", "debtor_iban"),
                                "Creditor": ("creditor_name", "creditor_iban"),
                                "UltimateDebtor": ("ultimate_debtor_name", None),
                                "UltimateCreditor": ("ultimate_creditor_name", None),
                            }.items():
                                if kind in parties:
                                    name, iban = parties[kind]
                                    assert getattr(tx, name_attr) == " ".join(name.split())
                                    if iban_attr and iban:
                                        assert getattr(tx, iban_attr) == iban
                            remittance = detail.get("getRemittanceInformation") or {}
                            unstructured = [
                                block["getMessage"]
                                for block in remittance.get("getUnstructuredBlocks") or []
                                if isinstance(block, dict) and block.get("getMessage")
                            ]
                            if remittance.get("getUnstructuredBlock"):
                                unstructured.insert(0, remittance["getUnstructuredBlock"]["getMessage"])
                            for message in unstructured:
                                assert " ".join(message.split()) in tx.remittance_text
                            creditor_ref = remittance.get("getCreditorReferenceInformation") or (
                                (remittance.get("getStructuredBlock") or {}).get("getCreditorReferenceInformation")
                            )
                            if creditor_ref:
                                assert tx.creditor_reference == creditor_ref["getRef"]
                            returned = detail.get("getReturnInformation")
                            if returned:
                                assert tx.return_reason == (
                                    returned.get("getCode") or returned.get("getAdditionalInformation")
                                )
                                assert tx.is_return
                            charges = detail.get("getCharges")
                            if charges and charges.get("getTotalChargesAndTaxAmount"):
                                assert tx.charges == _money(charges["getTotalChargesAndTaxAmount"])[0]
                            detail_amount, _ccy = _money(detail.get("getAmount"))
                            if detail_amount is not None:
                                assert abs(tx.detail_amount) == abs(detail_amount)

    def test_oca_sample_parsed_to_golden_values(self):
        for sample, golden in [
            ("test-camt053", "golden-camt053.pydata"),
            ("test-camt053-txdtls", "golden-camt053-txdtls.pydata"),
            ("test-camt054", "golden-camt054.pydata"),
        ]:
            with self.subTest(sample=sample, golden=golden):
                currency, account, expected_statements = _golden(golden)
                statements = parse_file((SAMPLES / "oca" / sample).read_bytes(), sample)
                assert len(statements) == len(expected_statements)
                for statement, expected in zip(statements, expected_statements, strict=True):
                    assert statement.currency or statement.transactions[0].currency == currency
                    assert statement.account_iban == account
                    assert statement.identifier == expected["name"]
                    if expected["balance_start"] or expected["balance_end_real"]:
                        assert statement.opening_balance == Decimal(str(expected["balance_start"]))
                        assert statement.closing_balance == Decimal(str(expected["balance_end_real"]))
                    assert len(statement.transactions) == len(expected["transactions"])
                    for tx, exp in zip(statement.transactions, expected["transactions"], strict=True):
                        assert tx.amount == Decimal(str(exp["amount"]))
                        assert tx.booking_date == date.fromisoformat(exp["date"])
                        assert tx.counterparty_name == exp["partner_name"]
                        assert tx.counterparty_account == exp["account_number"]
                        assert tx.bank_transaction_code == exp["transaction_type"]
                        assert exp["ref"] in (tx.end_to_end_id, tx.creditor_reference)
                        if "RtrInf/Rsn/Cd" in exp["narration"]:
                            assert tx.return_reason == "AC06" and tx.is_return

    def test_oca_statement_without_entries_has_no_transaction(self):
        statements = parse_file((SAMPLES / "oca" / "test-camt053-no-ntry").read_bytes(), "no-ntry")
        assert _golden("golden-camt053-no-ntry.pydata") == (None, None, [])
        assert [len(s.transactions) for s in statements] == [0]

    def test_oca_zipped_statement_is_read_from_the_archive(self):
        statements = parse_file((SAMPLES / "oca" / "test-camt053.zip").read_bytes(), "test-camt053.zip")
        assert [s.identifier for s in statements] == ["1234Test/2", "1234Test/3"]
        assert all(s.account_iban == "NL77ABNA0574908765" for s in statements)

    def test_oca_batch_entry_becomes_one_transaction_each_summing_to_the_entry(self):
        statement = parse_file((SAMPLES / "oca" / "test-camt053").read_bytes(), "test-camt053")[0]
        batch = [tx for tx in statement.transactions if tx.batch_size > 1]
        assert [tx.amount for tx in batch] == [Decimal("-564.05"), Decimal("-100.00")]
        assert sum(tx.amount for tx in batch) == batch[0].entry_amount

    def test_oca_unbalanced_statement_is_detected(self):
        statement = parse_file((SAMPLES / "oca" / "test-camt053").read_bytes(), "test-camt053")[0]
        # 15568.27 - 754.25 - 564.05 - 100.00 + 1405.31 = 15555.28, not the closing 15121.12.
        assert not statement.is_balanced

    def test_genkgo_wrong_file_without_statement_is_refused(self):
        with pytest.raises(StatementParseError) as err:
            parse_file((SAMPLES / "genkgo" / "camt053.v2.wrong.xml").read_bytes(), "camt053.v2.wrong.xml")
        assert err.value.code == "no_statement"
