"""Writes generated bank lines (`labelled_set.GenLine`) as a camt.053.001.02 file, as a bank would send them
(pure Python, no Odoo import): used by the addon's tests and by the benchmarks."""

from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape


def camt053(
    lines, iban, statement_id="BENCH-1", opening=Decimal(0), currency="EUR", day=date(2025, 6, 30), bank_ref="TX"
):
    """A camt.053.001.02 document (bytes) holding one booked entry per line (bank reference `bank_ref-index`)."""
    closing = opening + sum((ln.amount for ln in lines), Decimal(0))

    def balance(code, amount):
        indicator = "CRDT" if amount >= 0 else "DBIT"
        return (
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="{currency}">{abs(amount):.2f}</Amt>'
            f"<CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
        )

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>',
        f"<GrpHdr><MsgId>{statement_id}</MsgId><CreDtTm>{day.isoformat()}T20:00:00</CreDtTm></GrpHdr>",
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>{day.isoformat()}T20:00:00</CreDtTm>",
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>",
        balance("OPBD", opening),
        balance("CLBD", closing),
    ]
    for line in lines:
        incoming = line.amount >= 0
        tag, account = ("Dbtr", "DbtrAcct") if incoming else ("Cdtr", "CdtrAcct")
        family = ("RCDT", "ESCT") if incoming else ("RDDT", "UPDD")
        refs = f"<EndToEndId>{escape(line.end_to_end_id or 'NOTPROVIDED')}</EndToEndId>"
        remittance = f"<Ustrd>{escape(line.remittance[:140])}</Ustrd>" if line.remittance else ""
        if line.structured_reference:
            remittance += (
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                f"<Ref>{escape(line.structured_reference)}</Ref></CdtrRefInf></Strd>"
            )
        charges = f'<Chrgs><Amt Ccy="{currency}">{line.charges:.2f}</Amt></Chrgs>' if line.charges else ""
        returned = f"<RtrInf><Rsn><Cd>{line.return_reason}</Cd></Rsn></RtrInf>" if line.return_reason else ""
        iban_xml = f"<{account}><Id><IBAN>{line.payer_iban}</IBAN></Id></{account}>" if line.payer_iban else ""
        party = f"<{tag}><Nm>{escape(line.payer_name)}</Nm></{tag}>" if line.payer_name else ""
        entry_info = f"<AddtlNtryInf>{escape(line.entry_info[:500])}</AddtlNtryInf>" if line.entry_info else ""
        parts.append(
            f'<Ntry><Amt Ccy="{currency}">{abs(line.amount):.2f}</Amt>'
            f"<CdtDbtInd>{'CRDT' if incoming else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>{line.booking_date.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{line.booking_date.isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{bank_ref}-{line.index:06d}</AcctSvcrRef>"
            f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family[0]}</Cd><SubFmlyCd>{family[1]}</SubFmlyCd></Fmly>"
            f"</Domn></BkTxCd>{charges}<NtryDtls><TxDtls><Refs>{refs}</Refs>"
            f"<RltdPties>{party}{iban_xml}</RltdPties>"
            f"{'<RmtInf>' + remittance + '</RmtInf>' if remittance else ''}{returned}</TxDtls></NtryDtls>"
            f"{entry_info}</Ntry>"
        )
    parts.append("</Stmt></BkToCstmrStmt></Document>")
    return "".join(parts).encode()
