"""Bank file readers: plain Python over bytes, statements out (no Odoo import).

`read_bank_file(data, filename, xsd_dir)` is a file's whole path: its format sniffed, its statements read by
`parse_file` (CAMT .052/.053/.054 of any version, OFX, or a zip of them), then checked against its schema.
"""

import io
import zipfile
from dataclasses import dataclass

from .camt import parse_camt, sniff_camt
from .import_id import import_ids
from .ofx import parse_ofx, sniff_ofx
from .schema import SchemaViolation, schema_violation
from .statement import Balance, Statement, StatementParseError, Transaction

# A zip member larger than this once inflated, or inflating more than 200:1, is refused.
MAX_MEMBER_SIZE = 512 * 1024 * 1024
MAX_RATIO = 200


def _parse_one(data, filename):
    head = data[:65536]
    if not head.strip():
        raise StatementParseError("empty_file", "The file %(name)s is empty.", name=filename)
    if sniff_camt(head):
        return parse_camt(io.BytesIO(data))
    if sniff_ofx(head):
        return parse_ofx(data)
    if head.lstrip().startswith(b"<"):
        # Let the strict XML reader say what is wrong (malformed, DTD, not camt).
        return parse_camt(io.BytesIO(data))
    raise StatementParseError(
        "unknown_format", "The file %(name)s is neither CAMT (ISO 20022 XML) nor OFX.", name=filename
    )


def parse_file(data, filename=""):
    """Statements read from `data` (bytes of a CAMT/OFX file or a zip of such files)."""
    if not data or not data.strip():
        raise StatementParseError("empty_file", "The file %(name)s is empty.", name=filename or "?")
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as err:
            raise StatementParseError(
                "bad_zip", "The zip file %(name)s is damaged: %(error)s", name=filename, error=err
            )
        statements = []
        for info in archive.infolist():
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue
            if info.file_size > MAX_MEMBER_SIZE or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise StatementParseError(
                    "zip_bomb", "The zip member %(name)s inflates too much to be a bank file.", name=info.filename
                )
            member = archive.read(info)
            try:
                statements += _parse_one(member, info.filename)
            except StatementParseError as err:
                if err.code in ("unknown_format", "empty_file", "no_statement"):
                    continue
                raise
        if not statements:
            raise StatementParseError("no_statement", "The zip file %(name)s holds no bank statement.", name=filename)
        return statements
    return _parse_one(data, filename)


@dataclass
class BankFile:
    """A bank file read: its statements, and how it breaks its ISO 20022 schema (None when it does not)."""

    statements: list
    schema_violation: SchemaViolation | None = None


def read_bank_file(data, filename="", xsd_dir=None, read_xml=None):
    """The `BankFile` of `data` (bytes of a CAMT/OFX file or a zip of such files): sniffed, read, then validated
    against its schema when that schema is in `xsd_dir`, the tree read by `read_xml` (see `schema_violation`).
    Raises StatementParseError."""
    statements = parse_file(data, filename)
    return BankFile(statements=statements, schema_violation=schema_violation(data, xsd_dir, read_xml))


__all__ = [
    "BankFile",
    "Balance",
    "Statement",
    "StatementParseError",
    "Transaction",
    "import_ids",
    "parse_camt",
    "parse_file",
    "parse_ofx",
    "read_bank_file",
]
