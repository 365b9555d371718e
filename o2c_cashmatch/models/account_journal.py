import base64
import re
from collections import defaultdict

from stdnum import iso11649

from odoo import _, fields, models
from odoo.addons.o2c_base.tools.safe_xml import parse_untrusted_xml
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..parsers import StatementParseError, import_ids, read_bank_file

_lt = LazyTranslate(__name__)

MAX_FILE_SIZE = 100 * 1024 * 1024
PARSE_ERRORS = {
    "empty_file": _lt("The file is empty."),
    "dtd_refused": _lt("The file declares a DTD or XML entities, which bank files never do: it is refused."),
    "malformed_xml": _lt("The file is not well-formed XML (truncated or damaged): %(error)s"),
    "malformed_ofx": _lt("The OFX file cannot be read: %(error)s"),
    "not_camt": _lt("The XML file is not an ISO 20022 camt statement (its root is %(root)s)."),
    "no_statement": _lt("The file contains no bank statement."),
    "unknown_format": _lt("The file is neither CAMT (ISO 20022 XML) nor OFX."),
    "bad_zip": _lt("The zip file is damaged: %(error)s"),
    "zip_bomb": _lt("The zip member %(name)s inflates too much to be a bank file."),
    "bad_amount": _lt("The amount %(amount)s is not a number."),
    "bad_date": _lt("The date %(date)s is not an ISO date."),
    "missing_amount": _lt("Entry %(index)s has no amount."),
}


def _sanitize(number):
    return re.sub(r"[^A-Za-z0-9]", "", number or "").upper()


def _read_untrusted_xml(data):
    """The tree of an uploaded file for its schema check, read by the suite's one reader of untrusted XML (the
    upload is capped before, at MAX_FILE_SIZE)."""
    return parse_untrusted_xml(data, max_bytes=0)


def _drop_repeated_lines(prepared):
    """``prepared`` ([(statement, line values)]) without the lines an earlier statement of the file holds already, and
    how many were dropped: overlapping statements inside one file (a zip of consecutive days) repeat transactions."""
    seen = set()
    in_file_twice = 0
    result = []
    for statement, lines in prepared:
        kept = []
        for vals in lines:
            if vals["o2c_import_id"] in seen:
                in_file_twice += 1
                continue
            seen.add(vals["o2c_import_id"])
            kept.append(vals)
        result.append((statement, kept))
    return result, in_file_twice


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def action_o2c_open_import(self):
        """Open the bank file import wizard on this journal."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Import bank statement"),
            "res_model": "o2c.cashmatch.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_journal_id": self.id},
        }

    def o2c_import_statement(self, data, filename="", match=True):
        """Import a bank file into this bank journal and match its lines; for the wizard and for scripts.

        `data`: the file's bytes (CAMT .052/.053/.054 of any version, OFX, or a zip of them).
        Returns a dict: ``statement_ids``, ``created`` (lines), ``skipped`` (lines already imported),
        ``auto``, ``proposed``, ``unmatched``, ``returns`` and ``warnings`` (list of sentences).
        Raises UserError, creating nothing, when the file is unreadable or does not belong here.
        """
        self.ensure_one()
        if self.type != "bank":
            raise UserError(_("Journal %(journal)s is not a bank journal.", journal=self.display_name))
        if isinstance(data, str):
            data = base64.b64decode(data)
        if len(data) > MAX_FILE_SIZE:
            raise UserError(
                _("The file %(name)s is larger than %(size)s MB: split it.", name=filename, size=MAX_FILE_SIZE >> 20)
            )
        try:
            bank_file = read_bank_file(
                data, filename, xsd_dir=self.env.context.get("o2c_xsd_dir"), read_xml=_read_untrusted_xml
            )
        except StatementParseError as err:
            template = PARSE_ERRORS.get(err.code)
            message = str(template) % err.params if template and err.params else str(template or err)
            raise UserError(
                _("%(file)s cannot be imported: %(problem)s", file=filename or _("The file"), problem=message)
            )
        statements = bank_file.statements
        warnings = self._o2c_schema_warnings(bank_file.schema_violation)
        journal_account = _sanitize(self.bank_account_id.acc_number)
        if not journal_account:
            raise UserError(
                _("Bank journal %(journal)s has no account number: set its IBAN first.", journal=self.display_name)
            )
        currency = self.currency_id or self.company_id.currency_id
        prepared = []
        for statement in statements:
            self._o2c_check_statement(statement, journal_account, currency)
            prepared.append((statement, self._o2c_statement_lines(statement, currency, warnings)))

        prepared, in_file_twice = _drop_repeated_lines(prepared)
        # One import at a time per journal: writing the journal's row makes a concurrent import fail with a
        # serialization error, which Odoo retries on fresh data (lines already there, entry numbers taken).
        self.env.cr.execute(SQL("UPDATE account_journal SET write_date = write_date WHERE id = %s", self.id))
        all_ids = [vals["o2c_import_id"] for _statement, lines in prepared for vals in lines]
        existing = set(
            self.env["account.bank.statement.line"]
            .search_fetch([("journal_id", "=", self.id), ("o2c_import_id", "in", all_ids)], ["o2c_import_id"])
            .mapped("o2c_import_id")
        )
        created_lines = self.env["account.bank.statement.line"]
        statement_ids = []
        skipped = in_file_twice + sum(
            1 for _statement, lines in prepared for vals in lines if vals["o2c_import_id"] in existing
        )
        prematched = None
        StatementLine = self.env["account.bank.statement.line"]
        settle = {}
        settled_pairs = {}
        if match:
            # Matched on their values first, so the sure lines are created with their customer.
            to_create = [
                vals for _statement, lines in prepared for vals in lines if vals["o2c_import_id"] not in existing
            ]
            prematched = StatementLine._o2c_prematch(to_create, self.company_id, currency)
            settle = StatementLine._o2c_settlements(prematched, to_create)
        for statement, lines in prepared:
            new = [vals for vals in lines if vals["o2c_import_id"] not in existing]
            if not new:
                continue
            mismatch = not statement.is_balanced
            if mismatch:
                warnings.append(
                    _(
                        "Statement %(statement)s: opening balance %(opening)s plus its lines does not give the closing "
                        "balance %(closing)s.",
                        statement=statement.identifier,
                        opening=statement.opening_balance,
                        closing=statement.closing_balance,
                    )
                )
            new_total = sum(vals["amount"] for vals in new)
            closing = statement.closing_balance
            balance_vals = {}
            if closing is not None:
                balance_vals = {"balance_end_real": float(closing), "balance_start": float(closing) - new_total}
                if len(new) == len(lines) and statement.opening_balance is not None:
                    balance_vals["balance_start"] = float(statement.opening_balance)
            # A bank file is the record of its lines: no chatter message per entry created.
            bank_statement = (
                self.env["account.bank.statement"]
                .with_context(tracking_disable=True)
                .create(
                    {
                        "name": statement.identifier or filename,
                        "reference": filename,
                        "journal_id": self.id,
                        "o2c_file_name": filename,
                        "o2c_balance_mismatch": mismatch,
                        "o2c_import_warnings": "\n".join(warnings) or False,
                        **balance_vals,
                    }
                )
            )
            lines, pairs = StatementLine._o2c_create_batch(self, bank_statement, new, settle)
            statement_ids.append(bank_statement.id)
            created_lines |= lines
            settled_pairs.update(pairs)
        counts = {"auto": 0, "proposed": 0, "unmatched": 0, "return": 0}
        if match and created_lines:
            created_lines._o2c_sync_move_partner()
            counts = created_lines.with_context(o2c_settled_pairs=tuple(settled_pairs.items()))._o2c_run_matching(
                prematched=prematched
            )
            # An entry created settled that the reconciliation left open would be wrong: refuse the import.
            ours = self.env["account.move.line"].browse(
                [item for pairs in settled_pairs.values() for item, _invoice_item in pairs]
            )
            unsettled = ours.filtered(lambda item: not item.reconciled).statement_line_id
            if unsettled:
                names = ", ".join(unsettled.mapped("display_name"))
                raise UserError(_("Bank lines %(lines)s could not be reconciled.", lines=names))
        return {
            "statement_ids": statement_ids,
            "created": len(created_lines),
            "skipped": skipped,
            "auto": counts["auto"],
            "proposed": counts["proposed"],
            "unmatched": counts["unmatched"],
            "returns": counts["return"],
            "warnings": warnings,
        }

    def _o2c_check_statement(self, statement, journal_account, currency):
        """Raise UserError unless ``statement`` (parsed) is of this journal's account (``journal_account``,
        sanitized) and in its ``currency``."""
        account = _sanitize(statement.account_iban or statement.account_number)
        if account != journal_account:
            raise UserError(
                _(
                    "The statement %(statement)s is for account %(account)s, but journal %(journal)s is account "
                    "%(journal_account)s.",
                    statement=statement.identifier,
                    account=account or _("(none)"),
                    journal=self.display_name,
                    journal_account=journal_account,
                )
            )
        codes = {statement.currency} | {tx.currency for tx in statement.transactions}
        codes.discard("")
        known = self.env["res.currency"].with_context(active_test=False).search([("name", "in", list(codes))])
        unknown = codes - set(known.mapped("name"))
        if unknown:
            raise UserError(_("The file uses the unknown currency %(codes)s.", codes=", ".join(sorted(unknown))))
        if codes - {currency.name}:
            raise UserError(
                _(
                    "The statement %(statement)s is in %(codes)s but journal %(journal)s is in %(currency)s.",
                    statement=statement.identifier,
                    codes=", ".join(sorted(codes)),
                    journal=self.display_name,
                    currency=currency.name,
                )
            )

    def _o2c_statement_lines(self, statement, currency, warnings):
        """Statement line values of a parsed statement: one per transaction, batch sums checked."""
        booked = [tx for tx in statement.transactions if tx.status in ("", "BOOK")]
        if len(booked) != len(statement.transactions):
            warnings.append(
                _(
                    "Statement %(statement)s: %(count)s entries not booked yet (pending) were left out.",
                    statement=statement.identifier,
                    count=len(statement.transactions) - len(booked),
                )
            )
        by_entry = defaultdict(list)
        for tx in booked:
            by_entry[tx.entry_index].append(tx)
        rows = []
        for entry_index, txs in sorted(by_entry.items()):
            if len(txs) > 1:
                if any(tx.detail_amount is None for tx in txs):
                    # A batch without the amount of each transaction: one line for the entry, texts joined.
                    first = txs[0]
                    first.amount = first.entry_amount
                    first.remittance_text = " / ".join(t.remittance_text for t in txs if t.remittance_text)[:500]
                    txs = [first]
                    warnings.append(
                        _(
                            "Statement %(statement)s: batch entry %(entry)s gives no amount per transaction and was "
                            "imported as one line.",
                            statement=statement.identifier,
                            entry=entry_index + 1,
                        )
                    )
                elif sum(tx.amount for tx in txs) != txs[0].entry_amount:
                    raise UserError(
                        _(
                            "Statement %(statement)s: the %(count)s transactions of entry %(entry)s add up to "
                            "%(total)s, not to the entry amount %(amount)s.",
                            statement=statement.identifier,
                            count=len(txs),
                            entry=entry_index + 1,
                            total=sum(tx.amount for tx in txs),
                            amount=txs[0].entry_amount,
                        )
                    )
            rows.extend(txs)
        lines = []
        for tx, import_id in zip(rows, import_ids(statement, rows), strict=True):
            bank_reference = tx.bank_reference
            creditor_reference = tx.creditor_reference
            lines.append(
                {
                    "date": tx.booking_date or tx.value_date or statement.statement_date or fields.Date.today(),
                    "payment_ref": tx.label[:500],
                    "amount": currency.round(float(tx.amount)),
                    "partner_name": tx.counterparty_name or False,
                    "account_number": tx.counterparty_account or False,
                    "transaction_type": tx.bank_transaction_code or tx.proprietary_code or False,
                    "journal_id": self.id,
                    "o2c_import_id": import_id,
                    "o2c_remittance_text": tx.remittance_text or False,
                    "o2c_creditor_reference": creditor_reference or False,
                    "o2c_creditor_reference_valid": bool(creditor_reference) and iso11649.is_valid(creditor_reference),
                    "o2c_end_to_end_id": tx.end_to_end_id or False,
                    "o2c_bank_reference": bank_reference or False,
                    "o2c_debtor_name": tx.debtor_name or False,
                    "o2c_debtor_iban": tx.debtor_iban or tx.debtor_account or False,
                    "o2c_ultimate_debtor_name": tx.ultimate_debtor_name or False,
                    "o2c_bank_transaction_code": " / ".join(
                        c for c in (tx.bank_transaction_code, tx.proprietary_code) if c
                    )
                    or False,
                    "o2c_charges": float(tx.charges),
                    "o2c_return_reason": tx.return_reason or False,
                    "o2c_is_return": tx.is_return,
                }
            )
        return lines

    def _o2c_schema_warnings(self, violation):
        """The warning of a file that breaks its schema (`parsers.SchemaViolation`), none for None; strict mode
        raises it instead."""
        if violation is None:
            return []
        message = _(
            "The file does not validate against schema %(schema)s: %(detail)s",
            schema=violation.schema,
            detail=violation.detail,
        )
        if self.company_id.o2c_cashmatch_xsd_strict:
            raise UserError(message)
        return [message]
