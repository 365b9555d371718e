"""CFONB 120 statements read to their values, their amounts' sign encoding, and every malformed line refused naming
the line (no database)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_cashmatch.parsers import StatementParseError, read_bank_file
from odoo.addons.o2c_cashmatch.parsers.cfonb import NEGATIVE, POSITIVE, parse_cfonb, rib_iban
from odoo.tests import BaseCase

DATA = Path(__file__).resolve().parent / "data" / "cfonb"
ONE = (DATA / "releve-un-compte.cfonb").read_bytes()
TWO = (DATA / "releve-deux-comptes.cfonb").read_bytes()


def encode(cents, decimals=2):
    """A CFONB amount field (14 characters) for the signed integer `cents` (in units of 10**-decimals)."""
    digits = f"{abs(cents):014d}"
    last = (POSITIVE if cents >= 0 else NEGATIVE)[int(digits[-1])]
    return digits[:-1] + last


def balance_line(code, amount_field, decimals="2", account="12345678901"):
    line = f"{code}30006    00001EUR{decimals} {account}  300625{' ' * 50}{amount_field}{' ' * 16}"
    assert len(line) == 120
    return line


def lines_of(data):
    return data.decode("latin-1").split("\r\n")


def refused(data):
    try:
        parse_cfonb(data)
    except StatementParseError as err:
        return err
    raise AssertionError("the file was read")


class TestCfonb(BaseCase):
    """The CFONB 120 reader."""

    def test_the_hand_written_statement_is_read_to_its_values(self):
        (statement,) = parse_cfonb(ONE)
        self.assertEqual(statement.account_iban, "FR7630006000011234567890189")
        self.assertEqual(statement.currency, "EUR")
        self.assertEqual(
            (statement.opening_balance, statement.closing_balance), (Decimal("1000.00"), Decimal("2688.66"))
        )
        self.assertTrue(statement.is_balanced)
        transfer, debit, cheques = statement.transactions
        self.assertEqual(transfer.amount, Decimal("1234.56"))
        self.assertEqual((transfer.booking_date, transfer.value_date), (date(2025, 6, 30), date(2025, 6, 30)))
        self.assertEqual(transfer.debtor_name, "BOULANGERIE DUPONT SARL")
        self.assertEqual(transfer.counterparty_name, "BOULANGERIE DUPONT SARL")
        self.assertEqual(transfer.remittance_text, "VIR SEPA BOULANGERIE DUPONT FACTURE F2025-0007")
        self.assertEqual((transfer.end_to_end_id, transfer.bank_reference), ("E2E-DUPONT-0007", "RX0000001"))
        self.assertEqual(transfer.bank_transaction_code, "CFONB-05")
        self.assertEqual((debit.amount, debit.creditor_name), (Decimal("-45.90"), "EDF SA"))
        self.assertEqual(
            (cheques.amount, cheques.bank_reference, cheques.value_date),
            (Decimal("500.00"), "0000003", date(2025, 7, 1)),
        )

    def test_a_file_of_two_accounts_gives_a_statement_per_account(self):
        first, second = read_bank_file(TWO, "releve.cfonb").statements
        self.assertEqual(first.account_iban, "FR7630006000011234567890189")
        self.assertEqual(second.account_iban, rib_iban("30004", "00823", "00012345678"))
        self.assertEqual((second.opening_balance, second.closing_balance), (Decimal("-200.00"), Decimal("100.00")))
        self.assertEqual([tx.amount for tx in second.transactions], [Decimal("300.00")])

    def test_the_iban_of_a_rib_has_its_rib_key_and_check_digits(self):
        self.assertEqual(rib_iban("30006", "00001", "12345678901"), "FR7630006000011234567890189")
        self.assertEqual(rib_iban("30006", "00001", "12345678?01"), "")

    @settings(max_examples=60, deadline=None)
    @given(st.integers(min_value=-(10**13) + 1, max_value=10**13 - 1), st.integers(min_value=0, max_value=3))
    def test_property_every_amount_reads_back_with_its_sign_and_last_digit(self, cents, decimals):
        opening = balance_line("01", encode(cents), str(decimals))
        closing = balance_line("07", encode(cents), str(decimals))
        (statement,) = parse_cfonb(f"{opening}\r\n{closing}\r\n".encode())
        self.assertEqual(statement.opening_balance, Decimal(cents).scaleb(-decimals))

    def test_a_line_of_another_length_is_refused_naming_it(self):
        lines = lines_of(ONE)
        lines[3] = lines[3][:-1]
        err = refused("\r\n".join(lines).encode())
        self.assertEqual((err.code, err.params["line"], err.params["length"]), ("cfonb_line_length", 4, 119))

    def test_an_unknown_record_code_is_refused_naming_it(self):
        lines = lines_of(ONE)
        lines[1] = "03" + lines[1][2:]
        err = refused("\r\n".join(lines).encode())
        self.assertEqual((err.code, err.params["line"], err.params["record"]), ("cfonb_record_code", 2, "03"))

    def test_records_out_of_order_or_of_another_account_are_refused(self):
        lines = lines_of(ONE)
        for broken in (
            [lines[1], *lines],  # a movement before the opening balance
            [lines[0], lines[2], *lines[1:]],  # a complement before any movement
            [lines[0], lines[0], *lines[1:]],  # an opening inside an open statement
            [lines[0], lines[1][:21] + "99999999999" + lines[1][32:], *lines[2:]],  # another account
        ):
            with self.subTest(first=broken[1][:2]):
                self.assertEqual(refused("\r\n".join(broken).encode()).code, "cfonb_sequence")

    def test_a_file_cut_before_its_closing_balance_is_refused(self):
        lines = lines_of(ONE)
        self.assertEqual(refused("\r\n".join(lines[:-2]).encode()).code, "cfonb_unclosed")

    def test_an_amount_or_date_that_cannot_be_read_is_refused(self):
        lines = lines_of(ONE)
        bad_amount = [lines[0], lines[1][:103] + "X" + lines[1][104:], *lines[2:]]
        self.assertEqual(refused("\r\n".join(bad_amount).encode()).code, "cfonb_bad_amount")
        bad_date = [lines[0], lines[1][:34] + "310225" + lines[1][40:], *lines[2:]]
        self.assertEqual(refused("\r\n".join(bad_date).encode()).code, "cfonb_bad_date")

    def test_records_end_to_end_without_line_breaks_are_read(self):
        joined = "".join(line for line in lines_of(ONE) if line).encode()
        self.assertEqual(len(parse_cfonb(joined)[0].transactions), 3)
