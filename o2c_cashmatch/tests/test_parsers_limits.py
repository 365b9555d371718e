"""The readers refuse what is dangerous or broken and keep memory bounded on a 50 MB statement."""

import tempfile
from pathlib import Path

import pytest

from odoo.addons.o2c_cashmatch.parsers import StatementParseError, parse_file
from odoo.tests import BaseCase

from .child import run_child

HEADER = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
    b"<GrpHdr><MsgId>BIG</MsgId><CreDtTm>2025-06-30T20:00:00</CreDtTm></GrpHdr>"
    b"<Stmt><Id>BIG-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>"
)
FOOTER = b"</Stmt></BkToCstmrStmt></Document>"


def _entry(index):
    address = b"".join(b"<AdrLine>%06d RUE DE LA REPUBLIQUE BATIMENT B ESCALIER 4</AdrLine>" % n for n in range(150))
    return (
        b'<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        b"<BookgDt><Dt>2025-06-30</Dt></BookgDt><AcctSvcrRef>R%06d</AcctSvcrRef><NtryDtls><TxDtls>"
        b"<RltdPties><Dbtr><Nm>PAYER %06d</Nm><PstlAdr>%s</PstlAdr></Dbtr></RltdPties>"
        b"<RmtInf><Ustrd>INV/2025/%05d</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>" % (index, index, address, index)
    )


class TestParserLimits(BaseCase):
    """The statement parsers refuse bombs and truncated files and stream large ones."""

    def setUp(self):
        super().setUp()
        self.tmp_path = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_xml_bomb_is_refused(self):
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&b;</Document>'
        )
        with pytest.raises(StatementParseError) as err:
            parse_file(bomb, "bomb.xml")
        assert err.value.code == "dtd_refused"

    def test_external_entity_is_refused(self):
        xxe = (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'
        )
        with pytest.raises(StatementParseError):
            parse_file(xxe, "xxe.xml")

    def test_truncated_file_is_refused_whole(self):
        for cut in [0.3, 0.6, 0.95]:
            with self.subTest(cut=cut):
                data = HEADER + b"".join(_entry(i) for i in range(3)) + FOOTER
                with pytest.raises(StatementParseError) as err:
                    parse_file(data[: int(len(data) * cut)], "cut.xml")
                assert err.value.code == "malformed_xml"

    def test_not_camt_xml_is_refused(self):
        with pytest.raises(StatementParseError) as err:
            parse_file(b"<?xml version='1.0'?><Invoice xmlns='urn:x'/>", "x.xml")
        assert err.value.code == "not_camt"

    def test_fifty_megabyte_statement_is_streamed_in_bounded_memory(self):
        path = self.tmp_path / "big.xml"
        count = 0
        with path.open("wb") as handle:
            handle.write(HEADER)
            while handle.tell() < 50 * 1024 * 1024:
                handle.write(_entry(count))
                count += 1
            handle.write(FOOTER)
        done = run_child(
            f"""
            import resource
            from odoo.addons.o2c_cashmatch.parsers.camt import parse_camt
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            statements = parse_camt({str(path)!r})
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(len(statements[0].transactions), (after - before) // 1024)
            """
        )
        assert done.returncode == 0, done.stderr[-2000:]
        output = done.stdout
        transactions, grown_mb = map(int, output.split())
        assert transactions == count
        # A tree kept in memory would take several times the file's 50 MB; streaming keeps a small fraction.
        assert grown_mb < 40, f"parsing a 50 MB file grew memory by {grown_mb} MB"
