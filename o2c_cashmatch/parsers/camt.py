"""Streaming, strict reader of ISO 20022 camt.052 / camt.053 / camt.054 files (plain Python and lxml).

The file is streamed by o2c_base's `iterparse_untrusted` (size cap, no DTD nor entity anywhere, no network, no
huge trees), validated in the same pass when its schema is given, and each entry read is cleared (its tail kept)
but never removed from its parent: libxml2 may still be appending the text that follows it, and freeing that
under the parser corrupts the heap. Memory stays bounded whatever the file size.
"""

import re
import sys
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from odoo.addons.o2c_base.tools.safe_xml import XmlRefused, iterparse_untrusted

from .statement import Balance, Statement, StatementParseError, Transaction

CAMT_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.(\d{3}\.\d{2})$")
RECORD_TAGS = {"Stmt": "camt.053", "Rpt": "camt.052", "Ntfctn": "camt.054"}
BALANCE_KINDS = {
    "OPBD": "opening",
    "PRCD": "opening",
    "CLBD": "closing",
    "OPAV": "opening_available",
    "CLAV": "closing_available",
    "FWAV": "forward_available",
    "ITBD": "interim",
    "ITAV": "interim_available",
    "INFO": "information",
    "XPCD": "expected_credit",
}
INDICATORS = {"CRDT": 1, "DBIT": -1}
# The upload is capped by the Odoo side; this cap keeps the pure reader safe when called alone.
MAX_BYTES = 100 * 1024 * 1024


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(elem, *path):
    """The first descendant following `path` of local names, else None."""
    for name in path:
        if elem is None:
            return None
        found = None
        for sub in elem:
            if _local(sub.tag) == name:
                found = sub
                break
        elem = found
    return elem


def _children(elem, name):
    return [sub for sub in elem if _local(sub.tag) == name] if elem is not None else []


def _text(elem, *path):
    node = _child(elem, *path) if path else elem
    if node is None or node.text is None:
        return ""
    return " ".join(node.text.split())


def _code(elem, *path):
    """`_text` of an element holding a code (currency, status, bank transaction code): one string per value, shared
    by every entry of a file that repeats it, instead of one per entry."""
    return sys.intern(_text(elem, *path))


def _amount(elem, *path):
    """(Decimal amount, currency) of an amount element, (None, '') when absent."""
    node = _child(elem, *path) if path else elem
    if node is None:
        return None, ""
    try:
        value = Decimal((node.text or "").strip())
    except InvalidOperation:
        raise StatementParseError(
            "bad_amount", "The amount %(amount)r is not a number.", amount=(node.text or "").strip()
        )
    return value, sys.intern(node.get("Ccy", ""))


def _date(elem):
    """Date of an element holding <Dt> or <DtTm> (the local date of the bank's timestamp)."""
    if elem is None:
        return None
    raw = _text(elem, "Dt") or _text(elem, "DtTm")
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        raise StatementParseError("bad_date", "The date %(date)r is not an ISO date.", date=raw)


def _sign(elem, where):
    """+1 for CRDT, -1 for DBIT; anything else is refused, never guessed (a debit read as a credit flips money)."""
    indicator = _text(elem, "CdtDbtInd")
    if indicator not in INDICATORS:
        code = "missing_indicator" if not indicator else "unknown_indicator"
        raise StatementParseError(
            code,
            "%(where)s has no valid credit/debit indicator (CdtDbtInd %(indicator)r): refused rather than guessed.",
            where=where,
            indicator=indicator,
        )
    return INDICATORS[indicator]


def _where(entry, entry_index):
    """How an error names an entry: its statement, its rank and the bank's reference."""
    record = entry.getparent()
    reference = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    label = f"Statement {_text(record, 'Id') or '?'}, entry {entry_index + 1}"
    return f"{label} ({reference})" if reference else label


def _party(related, name):
    """Name of a related party (camt v2-v4 <Nm> or v8 <Pty><Nm>)."""
    party = _child(related, name)
    return _text(party, "Nm") or _text(party, "Pty", "Nm") or _text(party, "Agt", "FinInstnId", "Nm")


def _account(related, name):
    acct = _child(related, name, "Id")
    return _text(acct, "IBAN").replace(" ", "").upper(), _text(acct, "Othr", "Id")


def _bank_transaction_code(elem):
    code = _child(elem, "BkTxCd")
    domain = _text(code, "Domn", "Cd")
    family = _text(code, "Domn", "Fmly", "Cd")
    subfamily = _text(code, "Domn", "Fmly", "SubFmlyCd")
    structured = "-".join(part for part in (domain, family, subfamily) if part)
    return sys.intern(structured), _code(code, "Prtry", "Cd")


def _charges(elem):
    """Total charges of an entry or transaction, positive (camt v2 <Amt> list or v4+ records)."""
    chrgs = _child(elem, "Chrgs")
    if chrgs is None:
        return Decimal(0)
    total, _ccy = _amount(chrgs, "TtlChrgsAndTaxAmt")
    if total is not None:
        return total
    amounts = [_amount(rec, "Amt")[0] for rec in _children(chrgs, "Rcrd")]
    amounts += [_amount(node)[0] for node in _children(chrgs, "Amt")]
    return sum((a for a in amounts if a is not None), Decimal(0))


def _fill_details(tx, details, where):
    """Copy references, parties, remittance and return information of <TxDtls> into `tx`."""
    refs = _child(details, "Refs")
    tx.end_to_end_id = _text(refs, "EndToEndId")
    if tx.end_to_end_id.upper() == "NOTPROVIDED":
        tx.end_to_end_id = ""
    tx.instruction_id = _text(refs, "InstrId")
    tx.transaction_id = _text(refs, "TxId")
    tx.uetr = _text(refs, "UETR")
    tx.mandate_id = _text(refs, "MndtId")
    tx.payment_information_id = _text(refs, "PmtInfId")
    tx.account_servicer_reference = _text(refs, "AcctSvcrRef")

    related = _child(details, "RltdPties")
    tx.debtor_name = _party(related, "Dbtr")
    tx.ultimate_debtor_name = _party(related, "UltmtDbtr")
    tx.creditor_name = _party(related, "Cdtr")
    tx.ultimate_creditor_name = _party(related, "UltmtCdtr")
    tx.debtor_iban, tx.debtor_account = _account(related, "DbtrAcct")
    tx.creditor_iban, tx.creditor_account = _account(related, "CdtrAcct")

    remittance = _child(details, "RmtInf")
    tx.remittance_text = " ".join(t for t in (_text(u) for u in _children(remittance, "Ustrd")) if t)
    for structured in _children(remittance, "Strd"):
        ref_info = _child(structured, "CdtrRefInf")
        if ref_info is not None and not tx.creditor_reference:
            tx.creditor_reference = _text(ref_info, "Ref")
            tx.creditor_reference_type = _text(ref_info, "Tp", "CdOrPrtry", "Cd") or _text(
                ref_info, "Tp", "CdOrPrtry", "Prtry"
            )
        extra = " ".join(_text(a) for a in _children(structured, "AddtlRmtInf"))
        tx.additional_remittance = " ".join(t for t in (tx.additional_remittance, extra) if t)

    returned = _child(details, "RtrInf")
    if returned is not None:
        tx.return_reason = _text(returned, "Rsn", "Cd") or _text(returned, "Rsn", "Prtry") or "RTRN"
        tx.return_reason_info = " ".join(_text(a) for a in _children(returned, "AddtlInf"))
    tx.additional_transaction_info = _text(details, "AddtlTxInf")

    amount, currency = _amount(details, "Amt")
    if amount is None:
        amount, currency = _amount(details, "AmtDtls", "TxAmt", "Amt")
    if amount is not None:
        sign = _sign(details, where) if _child(details, "CdtDbtInd") is not None else None
        tx.detail_amount = amount * sign if sign else amount
        tx.detail_currency = currency
    code, proprietary = _bank_transaction_code(details)
    # The entry's code is the one banks fill reliably; a transaction's own code only fills a gap.
    tx.bank_transaction_code = tx.bank_transaction_code or code
    tx.proprietary_code = tx.proprietary_code or proprietary
    tx.charges = _charges(details) or tx.charges


def _read_entry(entry, entry_index):
    """Transactions of one <Ntry>: one per <TxDtls> (a batch), or one for the whole entry."""
    where = _where(entry, entry_index)
    amount, currency = _amount(entry, "Amt")
    if amount is None:
        raise StatementParseError("missing_amount", "%(where)s has no amount.", where=where)
    sign = _sign(entry, where)
    status = _code(entry, "Sts", "Cd") or _code(entry, "Sts")
    booking_date = _date(_child(entry, "BookgDt"))
    if booking_date is None and status in ("", "BOOK"):
        raise StatementParseError(
            "missing_booking_date", "%(where)s is booked but has no booking date: refused.", where=where
        )
    code, proprietary = _bank_transaction_code(entry)
    base = {
        "currency": currency,
        "booking_date": booking_date,
        "value_date": _date(_child(entry, "ValDt")),
        "entry_index": entry_index,
        "status": status,
        "reversal": _text(entry, "RvslInd").lower() == "true",
        "entry_reference": _text(entry, "NtryRef"),
        "entry_account_servicer_reference": _text(entry, "AcctSvcrRef"),
        "bank_transaction_code": code,
        "proprietary_code": proprietary,
        "charges": _charges(entry),
        "additional_entry_info": _text(entry, "AddtlNtryInf"),
    }
    all_details = []
    batch_amount = None
    for entry_details in _children(entry, "NtryDtls"):
        all_details += _children(entry_details, "TxDtls")
        batch = _child(entry_details, "Btch")
        if batch is not None and _child(batch, "TtlAmt") is not None:
            batch_amount = _amount(batch, "TtlAmt")[0]
    if not all_details:
        return [Transaction(amount=amount * sign, entry_amount=amount * sign, **base)]
    transactions = []
    for tx_index, details in enumerate(all_details):
        tx = Transaction(amount=amount * sign, tx_index=tx_index, **base)
        _fill_details(tx, details, where)
        tx.batch_size = len(all_details)
        tx.batch_amount = batch_amount
        tx.entry_amount = amount * sign
        if len(all_details) > 1 and tx.detail_amount is not None:
            # Transaction amounts of a batch carry the entry's direction unless they say otherwise.
            tx_sign = _sign(details, where) if _child(details, "CdtDbtInd") is not None else sign
            tx.amount = abs(tx.detail_amount) * tx_sign
        transactions.append(tx)
    return transactions


def _read_header(record, kind, version):
    statement = Statement(kind=kind, version=version, identifier=_text(record, "Id"))
    acct = _child(record, "Acct")
    statement.account_iban = _text(acct, "Id", "IBAN").replace(" ", "").upper()
    statement.account_number = (
        statement.account_iban or _text(acct, "Id", "Othr", "Id") or _text(acct, "Id", "PrtryAcct", "Id")
    )
    statement.currency = _text(acct, "Ccy")
    statement.created = _text(record, "CreDtTm")
    period = _child(record, "FrToDt")
    if period is not None:
        for attr, tag in (("from_date", "FrDtTm"), ("to_date", "ToDtTm")):
            raw = _text(period, tag)
            if raw:
                setattr(statement, attr, datetime.fromisoformat(raw.replace("Z", "+00:00")).date())
    for bal in _children(record, "Bal"):
        code = _text(bal, "Tp", "CdOrPrtry", "Cd") or _text(bal, "Tp", "CdOrPrtry", "Prtry")
        amount, currency = _amount(bal, "Amt")
        if amount is None:
            continue
        statement.balances.append(
            Balance(
                kind=BALANCE_KINDS.get(code, code.lower()),
                code=code,
                amount=amount * _sign(bal, f"Balance {code} of statement {statement.identifier or '?'}"),
                currency=currency,
                date=_date(_child(bal, "Dt")),
            )
        )
    return statement


def sniff_camt(head):
    """True when the first bytes of a file look like an ISO 20022 camt document."""
    return b"urn:iso:std:iso:20022:tech:xsd:camt." in head


def parse_camt(source, schema=None):
    """Statements read from a camt.052/053/054 file (`source`: path, bytes or binary file object).

    Raises StatementParseError for a DTD/entity, malformed or truncated XML, a non-camt document, a file without
    any statement, or an entry that cannot be read without guessing. See `read_camt` for the schema check.
    """
    return read_camt(source, schema)[0]


def _check_well_formed(data, max_bytes):
    try:
        for _event, elem in iterparse_untrusted(data, max_bytes=max_bytes, events=("end",), tag="{*}Ntry"):
            elem.clear(keep_tail=True)
    except etree.XMLSyntaxError as err:
        raise StatementParseError(
            "malformed_xml", "The file is not well-formed XML (truncated or damaged): %(error)s", error=str(err)
        )


def read_camt(source, schema=None, max_bytes=MAX_BYTES):
    """(statements, schema errors) of a camt file, validated against `schema` (an `etree.XMLSchema`) in the same
    streaming pass when one is given; the schema errors are lxml log entries (empty when it validates)."""
    if isinstance(source, str):
        with open(source, "rb") as handle:
            data = handle.read()
    elif hasattr(source, "read"):
        data = source.read()
    else:
        data = bytes(source)
    statements = []
    current = None
    namespace_checked = False
    kind = version = None
    options = {
        "events": ("start", "end"),
        # Only the elements the reader acts on raise events: the rest streams through libxml2 alone.
        "tag": ("{*}Document", "{*}GrpHdr", "{*}Stmt", "{*}Rpt", "{*}Ntfctn", "{*}Ntry"),
        "remove_comments": True,
    }
    if schema is not None:
        options["schema"] = schema
    entry_index = 0
    message_id = ""
    schema_errors = []
    closed = False
    try:
        for event, elem in iterparse_untrusted(data, max_bytes=max_bytes, **options):
            name = _local(elem.tag)
            if not namespace_checked:
                namespace = elem.tag[1:].split("}", 1)[0] if elem.tag.startswith("{") else ""
                match = CAMT_NAMESPACE.match(namespace)
                if name != "Document" or not match:
                    raise StatementParseError(
                        "not_camt", "The XML file is not an ISO 20022 camt document (root %(root)s).", root=elem.tag
                    )
                version = match.group(2)
                namespace_checked = True
                continue
            if name == "Document":
                closed = event == "end"
                continue
            if event == "start":
                if name in RECORD_TAGS and current is None and elem.getparent() is not None:
                    current = []
                    kind = RECORD_TAGS[name]
                continue
            if name == "Ntry" and current is not None:
                current.extend(_read_entry(elem, entry_index))
                entry_index += 1
                elem.clear(keep_tail=True)
            elif name in RECORD_TAGS and current is not None:
                statement = _read_header(elem, kind, version)
                statement.transactions = current
                if not statement.currency:
                    # No <Ccy> on the account: the currency its entries (else its balances) are in.
                    currencies = {tx.currency for tx in current} or {
                        b.currency for b in statement.balances if b.kind in ("opening", "closing")
                    }
                    if len(currencies) == 1:
                        statement.currency = currencies.pop()
                statements.append(statement)
                current = None
                entry_index = 0
                elem.clear(keep_tail=True)
            elif name == "GrpHdr":
                message_id = _text(elem, "MsgId")
                elem.clear(keep_tail=True)
    except XmlRefused as err:
        if err.reason == "dtd":
            raise StatementParseError(
                "dtd_refused", "The file declares a DTD or XML entities, which bank files never do: refused."
            )
        if err.reason == "too_large":
            raise StatementParseError(
                "too_large",
                "The file has %(size)s bytes, more than the %(limit)s allowed.",
                size=err.size,
                limit=err.limit,
            )
        raise StatementParseError("empty_file", "The file is empty.")
    except etree.XMLSyntaxError as err:
        errors = err.run_errors if hasattr(err, "run_errors") else []
        # Schema errors alone let the whole file stream through (libxml2 goes on and lxml raises at the end); a fatal
        # error (truncated, garbage after the root) is not in the parser's log, whatever the schema said before it.
        schema_only = (
            schema is not None
            and closed
            and errors
            and all(e.domain_name == "SCHEMASV" for e in errors)
            and any(e.message in str(err) for e in errors)
        )
        if not schema_only:
            raise StatementParseError(
                "malformed_xml", "The file is not well-formed XML (truncated or damaged): %(error)s", error=str(err)
            )
        # Schema errors are reported once the whole file has streamed through: every entry has been read. But then
        # lxml may swallow a fatal error after them (garbage after the root): a second pass, without the schema,
        # says whether the file is well-formed.
        schema_errors = errors
        _check_well_formed(data, max_bytes)
    if not namespace_checked:
        raise StatementParseError(
            "not_camt", "The XML file is not an ISO 20022 camt document (root %(root)s).", root="?"
        )
    if not closed:
        # With a schema, lxml may end the stream of a truncated file without raising: the root must have ended.
        raise StatementParseError(
            "malformed_xml",
            "The file is not well-formed XML (truncated or damaged): %(error)s",
            error="the document ends before its root element closes",
        )
    if not statements:
        raise StatementParseError("no_statement", "The file contains no bank statement.")
    for statement in statements:
        statement.message_id = message_id
    return statements, schema_errors
