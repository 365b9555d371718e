"""Real bank files shifted, truncated, padded and re-encoded are each read exactly as the original or refused with a
clear message; the parser runs in a child process, so that a crash (the heap corruption that removing elements
under `iterparse` caused) fails the test instead of killing the runner."""

import json
from pathlib import Path

from odoo.tests import BaseCase

from .child import child_json

DATA = Path(__file__).resolve().parent / "data"
CAMT = sorted(
    path
    for path in [*(DATA / "camt" / "genkgo").glob("*.xml"), *(DATA / "camt" / "oca").glob("test-camt05*")]
    if path.suffix in (".xml", "") and "wrong" not in path.name and "no-ntry" not in path.name
)
CFONB = [DATA / "cfonb" / "releve-un-compte.cfonb"]

FUZZ = """
import json, random, re, sys
from odoo.addons.o2c_cashmatch.parsers import StatementParseError, read_bank_file

paths, seed, rounds = json.loads(ARGS)
rng = random.Random(seed)


def summary(data):
    bank_file = read_bank_file(data, "fuzz", validate=True)
    violation = bank_file.schema_violation
    return [
        [s.identifier, s.account_number, s.currency, [[b.kind, str(b.amount)] for b in s.balances],
         [[str(t.amount), str(t.booking_date), t.account_servicer_reference, t.end_to_end_id, t.remittance_text,
           t.counterparty_name] for t in s.transactions]]
        for s in bank_file.statements
    ], violation is not None


def outcome(data):
    try:
        return "read", summary(data)
    except StatementParseError as err:
        return "refused", [err.code, str(err)]


def gaps(data):
    # Places between two tags (or two records), where whitespace changes nothing a reader may read.
    pattern = rb">\\s*<" if data.lstrip()[:1] == b"<" else rb"\\n"
    return [m.start() + 1 for m in re.finditer(pattern, data) if m.start() + 1 < len(data.rstrip())]


def mutations(data, xml):
    places = gaps(data)
    for _round in range(rounds):
        where = rng.choice(places)
        size = rng.choice([1, 7, 120, 4095, 4096, 16383, 32768, 65537])
        pad = b" " * size if xml else b""
        if xml:
            yield "shift", data[:where] + (b"\\n" + pad)[:size] + data[where:], True
        cut = rng.randrange(1, len(data))
        yield "truncate", data[:cut], data[cut:].strip() == b""
        yield "pad", data + b"\\n" * rng.randrange(1, 3) + (b"  " if xml else b""), True
        if xml:
            yield "garbage", data + b"<Ntry>", False
            yield "utf-16", data.decode("utf-8").encode("utf-16"), None
        else:
            yield "space", data[:where] + b" " + data[where:], False
            yield "code", data[:where] + b"03" + data[where + 2:], False


report = {"cases": 0, "read": 0, "refused": 0, "problems": []}
for path in paths:
    original = open(path, "rb").read()
    try:
        expected = summary(original)
    except StatementParseError:
        # A real file refused as it is (booked entries without booking date): its copies are refused too.
        expected = None
    xml = original.lstrip()[:1] == b"<"
    for kind, data, must_read in mutations(original, xml):
        report["cases"] += 1
        status, value = outcome(data)
        report[status] += 1
        if expected is None and status == "read" and kind != "utf-16":
            report["problems"].append([path, kind, "read although the original is refused"])
        elif expected is None:
            continue
        elif status == "read" and value != expected:
            report["problems"].append([path, kind, "read differently from the original"])
        elif status == "refused" and must_read:
            report["problems"].append([path, kind, "refused: " + value[1]])
        elif status == "read" and must_read is False:
            report["problems"].append([path, kind, "read although damaged"])
        elif status == "refused" and (not value[0] or len(value[1]) < 20):
            report["problems"].append([path, kind, "refused without a clear message: %r" % value])
print(json.dumps(report))
"""


def _fuzz(paths, seed, rounds):
    script = f"ARGS = {json.dumps(json.dumps([[str(p) for p in paths], seed, rounds]))}\n" + FUZZ
    return child_json(script)


class TestParserFuzz(BaseCase):
    """Damaged copies of real files: read as the original or refused clearly, never a crash or a misread."""

    def test_the_real_samples_are_there(self):
        self.assertGreaterEqual(len(CAMT), 25)
        self.assertTrue(CFONB, "the CFONB sample of tests/data/cfonb")

    def test_shifted_truncated_padded_and_reencoded_camt_files_are_read_exactly_or_refused_clearly(self):
        report = _fuzz(CAMT, seed=18, rounds=4)
        self.assertEqual(report["problems"], [])
        self.assertGreaterEqual(report["cases"], 400)
        self.assertGreater(report["read"], 0)
        self.assertGreater(report["refused"], 0)

    def test_a_large_statement_shifted_at_random_never_crashes_the_parser(self):
        # Entries of a few hundred bytes with whitespace after each: read boundaries of the streaming reader land
        # in the text after an entry, where removing elements under the parser corrupted the heap.
        report = child_json(
            """
            import json, random
            from datetime import date
            from odoo.addons.o2c_cashmatch.parsers import read_bank_file
            random.seed(150)
            head = (b'<?xml version="1.0" encoding="UTF-8"?>\\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
                    b'camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>F</MsgId><CreDtTm>2025-06-30T20:00:00</CreDtTm>'
                    b'</GrpHdr><Stmt><Id>F-1</Id><CreDtTm>2025-06-30T20:00:00</CreDtTm><Acct><Id><IBAN>'
                    b'FR7630006000011234567890189</IBAN></Id></Acct>\\n')
            entry = (b'  <Ntry><Amt Ccy="EUR">%d.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>'
                     b'2025-06-30</Dt></BookgDt><ValDt><Dt>2025-06-30</Dt></ValDt><AcctSvcrRef>R%06d</AcctSvcrRef>'
                     b'<BkTxCd/><NtryDtls><TxDtls><RmtInf><Ustrd>INV/2025/%05d</Ustrd></RmtInf></TxDtls></NtryDtls>'
                     b'</Ntry>\\n')
            read = 0
            body = b"".join(entry % (n + 1, n, n) for n in range(100))
            for shift in range(150):
                data = head + b" " * random.randrange(0, 65536) + body + b"</Stmt></BkToCstmrStmt></Document>\\n"
                statement = read_bank_file(data, "shift.xml", validate=False).statements[0]
                assert len(statement.transactions) == 100
                assert statement.transactions[99].amount == 100
                read += 1
            print(json.dumps({"read": read}))
            """
        )
        self.assertEqual(report, {"read": 150})

    def test_damaged_cfonb_files_are_read_exactly_or_refused_clearly(self):
        report = _fuzz(CFONB, seed=120, rounds=30)
        self.assertEqual(report["problems"], [])
        self.assertGreater(report["refused"], 0)
