"""A bank file's whole path in the pure core: sniffed, read, then checked against its schema (no database)."""

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from odoo.addons.o2c_cashmatch.parsers import read_bank_file
from odoo.tests import BaseCase

from .labelled_set import GenLine, camt053

IBAN = "FR7630004008230001234567890"
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
        assert "Nothing" in bank_file.schema_violation.detail and "(line " in bank_file.schema_violation.detail

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

    def test_the_schema_check_reads_the_file_with_the_reader_it_is_given(self):
        # The Odoo shell hands the suite's reader of untrusted XML (o2c_base) to the pure core.
        data = _statement()
        read = []

        def read_xml(content):
            read.append(content)
            return etree.fromstring(content)

        bank_file = read_bank_file(
            data, "releve.xml", xsd_dir=_schema_dir(self.tmp_path, CLOSED_SCHEMA), read_xml=read_xml
        )
        assert read == [data]
        assert bank_file.schema_violation.schema == "camt.053.001.02"
