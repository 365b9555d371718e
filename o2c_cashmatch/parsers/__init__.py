"""Bank file readers: plain Python over bytes, statements out (no Odoo model).

`read_bank_file(data, filename, xsd_dir)` is a file's whole path: its format sniffed, its statements read (CAMT .052/
.053/.054 of any version validated against its ISO 20022 schema in the same pass, CFONB 120, OFX, or a zip of them).
"""

import io
import zipfile
from dataclasses import dataclass, field

from .camt import parse_camt, read_camt, sniff_camt
from .cfonb import parse_cfonb, sniff_cfonb
from .import_id import import_ids
from .ofx import parse_ofx, sniff_ofx
from .schema import SchemaCheck, SchemaViolation, load_schema, schema_name, weigh_errors
from .statement import Balance, Statement, StatementParseError, Transaction

# A zip member larger than this once inflated, or inflating more than 200:1, is refused; so are zips in the zip.
MAX_MEMBER_SIZE = 512 * 1024 * 1024
MAX_RATIO = 200
SKIPPED_MEMBER_CODES = ("unknown_format", "empty_file", "no_statement")


def _parse_one(data, filename, xsd_dir=None, validate=False):
    """(statements, SchemaCheck or None) of one file that is not a zip."""
    head = data[:65536]
    if not head.strip():
        raise StatementParseError("empty_file", "The file %(name)s is empty.", name=filename)
    if sniff_camt(head):
        return _parse_xml(data, xsd_dir, validate)
    if sniff_cfonb(head):
        return parse_cfonb(data), None
    if sniff_ofx(head):
        return parse_ofx(data), None
    if head.lstrip().startswith(b"<"):
        # XML but not camt: the strict XML reader says what is wrong (malformed, DTD, not camt).
        return _parse_xml(data, xsd_dir, validate)
    raise StatementParseError(
        "unknown_format",
        "The file %(name)s is neither CAMT (ISO 20022 XML), CFONB 120 nor OFX.",
        name=filename,
    )


def _parse_xml(data, xsd_dir, validate):
    name = schema_name(data) if validate else ""
    schema = load_schema(name, xsd_dir)
    statements, errors = read_camt(data, schema)
    if not validate:
        return statements, None
    return statements, weigh_errors(name, errors) if schema is not None else SchemaCheck(name=name)


def _zip_members(data, filename):
    """[(member name, bytes)] of the zip `data`, refusing damaged, nested and oversized members."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise StatementParseError("bad_zip", "The zip file %(name)s is damaged: %(error)s", name=filename, error=err)
    members = []
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith("__MACOSX/"):
            continue
        if info.file_size > MAX_MEMBER_SIZE or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
            raise StatementParseError(
                "zip_bomb", "The zip member %(name)s inflates too much to be a bank file.", name=info.filename
            )
        try:
            member = archive.read(info)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as err:
            raise StatementParseError(
                "bad_zip", "The zip file %(name)s is damaged: %(error)s", name=filename, error=err
            )
        if member[:4] == b"PK\x03\x04":
            raise StatementParseError(
                "zip_nested", "The zip member %(name)s is itself a zip: refused.", name=info.filename
            )
        members.append((info.filename, member))
    return members


def parse_file(data, filename="", xsd_dir=None, validate=False):
    """Statements read from `data` (bytes of a CAMT/CFONB/OFX file or a zip of such files); see `read_bank_file`."""
    return _read(data, filename, xsd_dir, validate)[0]


def _read(data, filename, xsd_dir, validate):
    if not data or not data.strip():
        raise StatementParseError("empty_file", "The file %(name)s is empty.", name=filename or "?")
    if data[:4] != b"PK\x03\x04":
        statements, check = _parse_one(data, filename, xsd_dir, validate)
        return statements, [(filename, check)] if check else []
    statements, checks = [], []
    for name, member in _zip_members(data, filename):
        try:
            found, check = _parse_one(member, name, xsd_dir, validate)
        except StatementParseError as err:
            if err.code in SKIPPED_MEMBER_CODES:
                continue
            raise
        statements += found
        if check:
            checks.append((name, check))
    if not statements:
        raise StatementParseError("no_statement", "The zip file %(name)s holds no bank statement.", name=filename)
    return statements, checks


@dataclass
class BankFile:
    """A bank file read: its statements, and the schema check of each camt file in it ([(file name, SchemaCheck)])."""

    statements: list
    schema_checks: list = field(default_factory=list)

    @property
    def schema_violation(self):
        """The first structural schema violation of the file (a `SchemaViolation`), None when there is none."""
        return next((check.violation for _name, check in self.schema_checks if check.violation), None)


def read_bank_file(data, filename="", xsd_dir=None, validate=True):
    """The `BankFile` of `data` (bytes of a CAMT/CFONB/OFX file or a zip of such files): sniffed, read and, when
    `validate`, each camt file checked in the same streaming pass against the schema its namespace names (from
    `xsd_dir`, by default the schemas shipped in data/xsd). Raises StatementParseError."""
    statements, checks = _read(data, filename, xsd_dir, validate)
    return BankFile(statements=statements, schema_checks=checks)


__all__ = [
    "BankFile",
    "Balance",
    "SchemaCheck",
    "SchemaViolation",
    "Statement",
    "StatementParseError",
    "Transaction",
    "import_ids",
    "parse_camt",
    "parse_cfonb",
    "parse_file",
    "parse_ofx",
    "read_bank_file",
]
