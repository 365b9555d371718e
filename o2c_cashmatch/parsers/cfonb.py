"""CFONB 120 account statements ("relevé de compte 120 caractères"), the fixed-width format French banks send.

Each line is one record of 120 characters: 01 the opening balance of an account, 04 a movement, 05 a complement
of the movement before it (payer's name, remittance text, end-to-end reference), 07 the closing balance. Amounts
are 14 characters whose last one carries both the sign and the last digit ('{', 'A'-'I': positive 0-9; '}',
'J'-'R': negative 0-9), with the number of decimals given in the record. A line of another length, an unknown
record code or records out of order refuse the whole file, naming the line.
"""

from datetime import date
from decimal import Decimal

from stdnum import iban as iban_number

from .statement import Balance, Statement, StatementParseError, Transaction

WIDTH = 120
RECORD_CODES = ("01", "04", "05", "07")
POSITIVE = "{ABCDEFGHI"
NEGATIVE = "}JKLMNOPQR"
REMITTANCE_QUALIFIERS = ("LIB", "LCC", "LC2", "LCS", "LCZ")


def _rib_digit(char):
    # RIB key letters (banking convention): A/J -> 1, B/K/S -> 2, ... I/R/Z -> 9.
    if char.isdigit():
        return char
    for digit, letters in enumerate(("AJ", "BKS", "CLT", "DMU", "ENV", "FOW", "GPX", "HQY", "IRZ"), start=1):
        if char in letters:
            return str(digit)
    raise ValueError(char)


def rib_iban(bank, branch, account):
    """The French IBAN of a RIB (bank code, branch code, account number), its RIB key and check digits computed;
    '' when the RIB holds characters no RIB may hold."""
    try:
        digits = [int("".join(_rib_digit(c) for c in part)) for part in (bank, branch, account)]
    except ValueError:
        return ""
    key = 97 - (89 * digits[0] + 15 * digits[1] + 3 * digits[2]) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    return f"FR{iban_number.calc_check_digits('FR00' + bban)}{bban}"


def sniff_cfonb(head):
    """True when the first bytes of a file look like a CFONB 120 statement (an opening balance record first)."""
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    return first[:2] == b"01" and len(first) >= 40 and first[2:7].isdigit() and first[16:19].isalpha()


def _lines(data):
    text = data.decode("latin-1")
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) == 1 and len(lines[0]) > WIDTH and len(lines[0]) % WIDTH == 0:
        # Some exports put the records end to end without line breaks.
        lines = [lines[0][i : i + WIDTH] for i in range(0, len(lines[0]), WIDTH)]
    return lines


def _amount(line, number):
    """The signed amount of a record (positions 91-104), its decimals at position 20."""
    raw, decimals = line[90:104], line[19]
    digits, last = raw[:-1], raw[-1:]
    if not (digits.isdigit() and decimals.isdigit() and last and (last in POSITIVE or last in NEGATIVE)):
        raise StatementParseError(
            "cfonb_bad_amount", "CFONB line %(line)s: the amount %(amount)r cannot be read.", line=number, amount=raw
        )
    sign, last_digit = (1, POSITIVE.index(last)) if last in POSITIVE else (-1, NEGATIVE.index(last))
    return sign * Decimal(int(digits + str(last_digit))).scaleb(-int(decimals))


def _date(raw, number):
    """A DDMMYY date of a record (None when blank)."""
    if not raw.strip():
        return None
    try:
        return date(2000 + int(raw[4:6]), int(raw[2:4]), int(raw[0:2]))
    except ValueError:
        raise StatementParseError(
            "cfonb_bad_date", "CFONB line %(line)s: the date %(date)r is not a date (DDMMYY).", line=number, date=raw
        )


def _account(line):
    return line[2:7], line[11:16], line[21:32]


def _movement(line, number, statement, index):
    """The transaction of a 04 record."""
    amount = _amount(line, number)
    booking_date = _date(line[34:40], number)
    if booking_date is None:
        raise StatementParseError(
            "missing_booking_date",
            "%(where)s is booked but has no booking date: refused.",
            where=f"CFONB line {number}",
        )
    rejection = line[40:42].strip()
    return Transaction(
        amount=amount,
        currency=statement.currency,
        booking_date=booking_date,
        value_date=_date(line[42:48], number),
        entry_index=index,
        status="BOOK",
        entry_reference=line[81:88].strip(),
        account_servicer_reference=line[104:120].strip(),
        remittance_text=" ".join(line[48:79].split()),
        bank_transaction_code=f"CFONB-{line[32:34]}" if line[32:34].strip() else "",
        proprietary_code=line[7:11].strip(),
        return_reason=rejection if rejection not in ("", "00") else "",
    )


def _complement(tx, line):
    """Fill `tx` with what a 05 record adds."""
    qualifier, text = line[45:48], " ".join(line[48:118].split())
    if not text:
        return
    if qualifier in REMITTANCE_QUALIFIERS:
        tx.remittance_text = " ".join(t for t in (tx.remittance_text, text) if t)
    elif qualifier == "NPY":
        tx.debtor_name = text
    elif qualifier == "NBE":
        tx.creditor_name = text
    elif qualifier == "IPY":
        tx.debtor_account = text
    elif qualifier == "IBE":
        tx.creditor_account = text
    elif qualifier == "RCN":
        tx.end_to_end_id = "" if text.upper() == "NOTPROVIDED" else text
    else:
        tx.additional_transaction_info = " ".join(
            t for t in (tx.additional_transaction_info, f"{qualifier} {text}") if t
        )


def parse_cfonb(data):
    """Statements of a CFONB 120 file (`data`: bytes), one per opening (01) ... closing (07) sequence.

    Raises StatementParseError naming the line for a line not 120 characters long, an unknown record code, records
    out of order or of another account than their opening balance, an amount or date that cannot be read, or a
    file that ends before its closing balance."""
    statements = []
    current = None
    rib = None
    for number, line in enumerate(_lines(data), start=1):
        if len(line) != WIDTH:
            raise StatementParseError(
                "cfonb_line_length",
                "CFONB line %(line)s has %(length)s characters, not 120: the file is damaged or not CFONB 120.",
                line=number,
                length=len(line),
            )
        code = line[:2]
        if code not in RECORD_CODES:
            raise StatementParseError(
                "cfonb_record_code",
                "CFONB line %(line)s starts with record code %(record)r, not 01, 04, 05 or 07.",
                line=number,
                record=code,
            )
        if code == "01":
            if current is not None:
                raise StatementParseError(
                    "cfonb_sequence",
                    "CFONB line %(line)s opens a statement before the previous one closed.",
                    line=number,
                )
            rib = _account(line)
            opening_date = _date(line[34:40], number)
            iban = rib_iban(*rib)
            current = Statement(
                kind="cfonb120",
                version="",
                identifier=f"{''.join(rib)}-{opening_date:%Y%m%d}" if opening_date else "".join(rib),
                account_iban=iban,
                account_number=iban or "".join(rib),
                currency=line[16:19].strip(),
                from_date=opening_date,
            )
            current.balances.append(Balance("opening", "01", _amount(line, number), current.currency, opening_date))
            continue
        if current is None:
            raise StatementParseError(
                "cfonb_sequence",
                "CFONB line %(line)s (record %(record)s) comes before any opening balance (01).",
                line=number,
                record=code,
            )
        if _account(line) != rib or line[16:19].strip() != current.currency:
            raise StatementParseError(
                "cfonb_sequence",
                "CFONB line %(line)s is of another account or currency than the opening balance it follows.",
                line=number,
            )
        if code == "04":
            current.transactions.append(_movement(line, number, current, len(current.transactions)))
        elif code == "05":
            if not current.transactions:
                raise StatementParseError(
                    "cfonb_sequence", "CFONB line %(line)s is a complement (05) without a movement (04).", line=number
                )
            _complement(current.transactions[-1], line)
        else:
            closing_date = _date(line[34:40], number)
            current.to_date = closing_date
            current.balances.append(Balance("closing", "07", _amount(line, number), current.currency, closing_date))
            statements.append(current)
            current = None
    if current is not None:
        raise StatementParseError(
            "cfonb_unclosed",
            "The CFONB file ends before the closing balance (07) of account %(account)s: truncated.",
            account="".join(rib),
        )
    if not statements:
        raise StatementParseError("no_statement", "The file contains no bank statement.")
    return statements
