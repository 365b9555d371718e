"""OFX/QFX statements through `ofxparse` (a dependency of Odoo itself); no Odoo import."""

import io
from decimal import Decimal

from .statement import Balance, Statement, StatementParseError, Transaction

DECLARATION_CODECS = ("ascii", "utf-16-le", "utf-16-be")


def sniff_ofx(head):
    """True when the first bytes of a file look like OFX (SGML or XML flavour)."""
    upper = head[:4096].upper()
    return b"<OFX>" in upper or b"OFXHEADER" in upper


def parse_ofx(data):
    """Statements of an OFX file (`data`: bytes), one per bank account it holds."""
    import ofxparse

    # Anywhere in the file, in UTF-8 or UTF-16: a declaration after the first bytes is one all the same.
    upper = data.upper()
    if any(marker.encode(codec) in upper for marker in ("<!DOCTYPE", "<!ENTITY") for codec in DECLARATION_CODECS):
        raise StatementParseError(
            "dtd_refused", "The file declares a DTD or XML entities, which bank files never do: refused."
        )
    try:
        ofx = ofxparse.OfxParser.parse(io.BytesIO(data))
    except Exception as err:  # ofxparse raises bare exceptions of many kinds on damaged files
        raise StatementParseError(
            "malformed_ofx", "The OFX file cannot be read: %(error)s", error=str(err) or repr(err)
        )
    statements = []
    for account in ofx.accounts or [ofx.account]:
        ofx_statement = getattr(account, "statement", None)
        if ofx_statement is None:
            continue
        currency = (getattr(ofx_statement, "currency", "") or "").upper()
        statement = Statement(
            kind="ofx",
            version="",
            identifier=f"{account.account_id}-{ofx_statement.end_date:%Y%m%d}" if ofx_statement.end_date else "",
            account_number=(account.account_id or "").replace(" ", "").upper(),
            currency=currency,
            from_date=ofx_statement.start_date.date() if ofx_statement.start_date else None,
            to_date=ofx_statement.end_date.date() if ofx_statement.end_date else None,
        )
        if (account.account_id or "")[:2].isalpha():
            statement.account_iban = statement.account_number
        closing = getattr(ofx_statement, "balance", None)
        if closing is not None:
            statement.balances.append(
                Balance("closing", "LEDGERBAL", Decimal(str(closing)), currency, statement.to_date)
            )
        for index, line in enumerate(ofx_statement.transactions):
            statement.transactions.append(
                Transaction(
                    amount=Decimal(str(line.amount)),
                    currency=currency,
                    booking_date=line.date.date() if line.date else None,
                    entry_index=index,
                    status="BOOK",
                    account_servicer_reference=line.id or "",
                    remittance_text=" ".join(t for t in (line.memo or "", line.checknum or "") if t).strip(),
                    debtor_name=line.payee or "" if line.amount >= 0 else "",
                    creditor_name=line.payee or "" if line.amount < 0 else "",
                    bank_transaction_code=(line.type or "").upper(),
                )
            )
        statements.append(statement)
    if not statements:
        raise StatementParseError("no_statement", "The file contains no bank statement.")
    return statements
