"""Bank file readers: plain Python over bytes, statements out (no Odoo import).

`parse_file(data, filename)` reads CAMT (.052/.053/.054, any version), OFX, or a zip of them.
"""

import io
import zipfile

from .camt import parse_camt, sniff_camt
from .import_id import import_ids
from .ofx import parse_ofx, sniff_ofx
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


__all__ = [
    "Balance",
    "Statement",
    "StatementParseError",
    "Transaction",
    "import_ids",
    "parse_camt",
    "parse_file",
    "parse_ofx",
]
