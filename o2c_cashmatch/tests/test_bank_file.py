"""A bank file's whole path in the pure core: sniffed, read, then checked against its schema (no database)."""

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from odoo.addons.o2c_cashmatch.parsers import StatementParseError, read_bank_file
from odoo.tests import BaseCase

from .camt_writer import camt053
from .labelled_set import GenLine

IBAN = "FR7630004008230001234567890"
SAMPLES = Path(__file__).resolve().parent / "data" / "camt"
# A statement of camt.053.001.02 without its mandatory account (<Acct>).
WRONG_STATEMENT = b"<Stmt><Id>W-1</Id><CreDtTm>2025-06-30T20:00:00</CreDtTm></Stmt>"
NAMESPACE = b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
# Allows any content in a Document: every camt.053.001.02 file validates against it.
OPEN_SCHEMA = (
    b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="' + NAMESPACE + b'" '
    b'elementFormDefault="qualified"><xs:element name="Document"><xs:complexType><xs:sequence>'
    b'<xs:any processContents="skip" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element></xs:schema>'
)
# Wants a Document holding a single Nothing element: no real statement validates against it.
CLOSED_SCHEMA = (
    b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="' + NAMESPACE + b'" '
    b'elementFormDefault="qualified"><xs:element name="Document"><xs:complexType><xs:sequence>'
    b'<xs:element name="Nothing" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>'
)


def _statement():
    line = GenLine(index=1, label="test", amount=Decimal("120.00"), booking_date=date(2025, 6, 30), remittance="F1")
    return camt053([line], IBAN)


def _schema_dir(tmp_path, schema):
    (tmp_path / "camt.053.001.02.xsd").write_bytes(schema)
    return str(tmp_path)


class TestBankFile(BaseCase):
    """Reading a bank file with or without its schema at hand."""

    def setUp(self):
        super().setUp()
        self.tmp_path = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_a_file_is_read_without_schema_check_when_its_schema_is_not_at_hand(self):
        bank_file = read_bank_file(_statement(), "releve.xml", xsd_dir=str(self.tmp_path))
        assert [tx.amount for tx in bank_file.statements[0].transactions] == [Decimal("120.00")]
        assert bank_file.schema_violation is None

    def test_a_file_valid_against_its_schema_has_no_violation(self):
        bank_file = read_bank_file(_statement(), "releve.xml", xsd_dir=_schema_dir(self.tmp_path, OPEN_SCHEMA))
        assert bank_file.schema_violation is None
        assert len(bank_file.statements) == 1

    def test_a_file_breaking_its_schema_is_read_and_says_where(self):
        bank_file = read_bank_file(_statement(), "releve.xml", xsd_dir=_schema_dir(self.tmp_path, CLOSED_SCHEMA))
        assert len(bank_file.statements) == 1
        assert bank_file.schema_violation.schema == "camt.053.001.02"
        assert "Nothing" in bank_file.schema_violation.detail

    def test_the_shipped_schemas_validate_the_real_samples(self):
        for path in sorted((SAMPLES / "genkgo").glob("*.xml")):
            if "wrong" in path.name or not path.with_suffix(".json").exists():
                continue
            with self.subTest(path=path.name):
                try:
                    bank_file = read_bank_file(path.read_bytes(), path.name)
                except StatementParseError as err:
                    # Real files whose booked entries carry no booking date: refused, never dated by guess.
                    assert err.code == "missing_booking_date", err
                    continue
                ((_name, check),) = bank_file.schema_checks
                assert check.shipped and check.violation is None and not check.deviations, check

    def test_a_real_file_breaking_the_structure_is_refused_with_its_first_error(self):
        data = (SAMPLES / "genkgo" / "camt053.v2.wrong.xml").read_bytes()
        bank_file = read_bank_file(data.replace(b"</GrpHdr>", b"</GrpHdr>" + WRONG_STATEMENT), "wrong.xml")
        assert "Missing child element" in bank_file.schema_violation.detail or "not expected" in (
            bank_file.schema_violation.detail
        )
        unknown = _statement().replace(b"<Sts>BOOK</Sts>", b"<Sts>BOOK</Sts><Foo>1</Foo>")
        assert "Foo" in read_bank_file(unknown, "foo.xml").schema_violation.detail
        missing = _statement().replace(b"<CdtDbtInd>CRDT</CdtDbtInd><Sts>", b"<CdtDbtInd>CRDT</CdtDbtInd><Stz>")
        missing = missing.replace(b"BOOK</Sts>", b"BOOK</Stz>", 1)
        assert read_bank_file(missing, "missing.xml").schema_violation is not None

    def test_known_bank_deviations_of_real_files_pass_with_what_they_are(self):
        # A BIC where camt.053.001.04 wants BICFI (ABN AMRO), country codes off the [A-Z]{2} pattern (a Swiss file).
        no_entry = read_bank_file((SAMPLES / "oca" / "test-camt053-no-ntry").read_bytes(), "no-ntry")
        ((_name, check),) = no_entry.schema_checks
        assert (check.violation, check.deviations) == (None, {"bic_for_bicfi": ["BIC"]})
        swiss = read_bank_file((SAMPLES / "oca" / "test-camt053-txdtls").read_bytes(), "txdtls")
        ((_name, check),) = swiss.schema_checks
        assert (check.violation, check.deviations) == (None, {"country_code": ["CH1", "CH2"]})
        assert len(swiss.statements[0].transactions) == 2

    def test_a_schema_the_addon_does_not_ship_is_said(self):
        data = _statement().replace(b"camt.053.001.02", b"camt.053.001.13")
        ((_name, check),) = read_bank_file(data, "v13.xml").schema_checks
        assert (check.name, check.shipped, check.violation) == ("camt.053.001.13", False, None)

    def test_an_ofx_file_has_no_schema_to_break(self):
        ofx = (
            b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
            b"COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
            b"<CURDEF>EUR<BANKACCTFROM><BANKID>30004<ACCTID>" + IBAN.encode() + b"<ACCTTYPE>CHECKING</BANKACCTFROM>"
            b"<BANKTRANLIST><DTSTART>20250601<DTEND>20250630<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250630"
            b"<TRNAMT>120.00<FITID>OFX-1<NAME>TRANSPORTS MARTIN</STMTTRN></BANKTRANLIST>"
            b"<LEDGERBAL><BALAMT>120.00<DTASOF>20250630</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
        )
        bank_file = read_bank_file(ofx, "releve.ofx", xsd_dir=_schema_dir(self.tmp_path, CLOSED_SCHEMA))
        assert bank_file.schema_violation is None
        assert [tx.amount for tx in bank_file.statements[0].transactions] == [Decimal("120.00")]
