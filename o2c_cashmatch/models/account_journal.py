import base64
import re
from collections import defaultdict
from decimal import Decimal

from stdnum import iso11649

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..parsers import StatementParseError, import_ids, read_bank_file
from ..parsers.import_id import legacy_import_id

_lt = LazyTranslate(__name__)

MAX_FILE_SIZE = 100 * 1024 * 1024
PARSE_ERRORS = {
    "empty_file": _lt("The file is empty."),
    "too_large": _lt("The file has %(size)s bytes, more than the %(limit)s allowed."),
    "dtd_refused": _lt("The file declares a DTD or XML entities, which bank files never do: it is refused."),
    "malformed_xml": _lt("The file is not well-formed XML (truncated or damaged): %(error)s"),
    "malformed_ofx": _lt("The OFX file cannot be read: %(error)s"),
    "not_camt": _lt("The XML file is not an ISO 20022 camt statement (its root is %(root)s)."),
    "no_statement": _lt("The file contains no bank statement."),
    "unknown_format": _lt("The file is neither CAMT (ISO 20022 XML), CFONB 120 nor OFX."),
    "bad_zip": _lt("The zip file is damaged: %(error)s"),
    "zip_bomb": _lt("The zip member %(name)s inflates too much to be a bank file."),
    "zip_nested": _lt("The zip member %(name)s is itself a zip: refused."),
    "bad_amount": _lt("The amount %(amount)s is not a number."),
    "bad_date": _lt("The date %(date)s is not an ISO date."),
    "missing_amount": _lt("%(where)s has no amount."),
    "missing_indicator": _lt(
        "%(where)s has no credit/debit indicator (CdtDbtInd): refused rather than guessed as a credit."
    ),
    "unknown_indicator": _lt(
        "%(where)s has the credit/debit indicator %(indicator)s, neither CRDT nor DBIT: refused rather than guessed."
    ),
    "missing_booking_date": _lt("%(where)s is booked but has no booking date: refused."),
    "cfonb_line_length": _lt(
        "CFONB line %(line)s has %(length)s characters, not 120: the file is damaged or not CFONB 120."
    ),
    "cfonb_record_code": _lt("CFONB line %(line)s starts with record code %(record)s, not 01, 04, 05 or 07."),
    "cfonb_sequence": _lt("CFONB line %(line)s is out of order (a movement outside an opening and closing balance, "
                          "a complement without movement, or another account)."),
    "cfonb_bad_amount": _lt("CFONB line %(line)s: the amount %(amount)s cannot be read."),
    "cfonb_bad_date": _lt("CFONB line %(line)s: the date %(date)s is not a date (DDMMYY)."),
    "cfonb_unclosed": _lt("The CFONB file ends before the closing balance (07) of account %(account)s: truncated."),
}  # fmt: skip
BOOKED = ("", "BOOK")


def _sanitize(number):
    return re.sub(r"[^A-Za-z0-9]", "", number or "").upper()


class O2cUnknownAccounts(UserError):
    """A file holding statements of accounts that no bank journal has: `accounts` lists them (sanitized), so that
    the import wizard asks the user to pick a journal for each."""

    def __init__(self, message, accounts):
        super().__init__(message)
        self.accounts = accounts


def _drop_repeated_lines(prepared):
    """``prepared`` ([(journal, statement, line values)]) without the lines an earlier statement of the file holds
    already for the same journal, and {import label: the earlier entry} of the lines dropped: overlapping statements
    inside one file (a zip of consecutive days) repeat transactions."""
    seen = {}
    repeated = {}
    result = []
    for journal, statement, lines in prepared:
        kept = []
        for vals in lines:
            key = (journal.id, vals["o2c_import_id"])
            if key in seen:
                repeated[vals["o2c_entry_label"]] = seen[key]
                continue
            seen[key] = vals["o2c_entry_label"]
            kept.append(vals)
        result.append((journal, statement, kept))
    return result, repeated


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

    def o2c_import_statement(self, data, filename="", match=True, allow_unbalanced=False, journal_by_account=None):
        """Import a bank file into this bank journal and match its lines; for the wizard and for scripts.

        `data`: the file's bytes (CAMT .052/.053/.054 of any version, CFONB 120, OFX, or a zip of them). A file
        holding statements of several accounts puts each into the bank journal of its account (IBAN), or the one
        `journal_by_account` ({sanitized account: journal}) names. `allow_unbalanced`: import statements whose
        opening balance plus lines does not give the closing balance (they are flagged); refused otherwise.
        Returns a dict: ``statement_ids``, ``entries`` (transactions of the file), ``created`` (lines),
        ``skipped`` (already there), ``left_out`` (not booked), ``repeated`` ({entry: the earlier line}), ``auto``,
        ``proposed``, ``unmatched``, ``returns`` and ``warnings`` (list of sentences).
        Raises UserError, creating nothing, when the file is unreadable, misread or does not belong here.
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
            bank_file = read_bank_file(data, filename, xsd_dir=self.env.context.get("o2c_xsd_dir"))
        except StatementParseError as err:
            raise UserError(self._o2c_parse_error(err, filename))
        warnings = self._o2c_schema_warnings(bank_file.schema_checks, filename)
        assigned = self._o2c_assign_journals(bank_file.statements, journal_by_account or {})
        # Every check runs before anything is created: a refused file leaves nothing behind.
        prepared = []
        flagged = set()
        for journal, statement in assigned:
            currency = journal.currency_id or journal.company_id.currency_id
            journal._o2c_check_statement(statement, currency)
            if not statement.is_balanced:
                if not allow_unbalanced:
                    raise UserError(self._o2c_unbalanced_message(statement, refused=True))
                flagged.add(id(statement))
                warnings.append(self._o2c_unbalanced_message(statement, refused=False))
            prepared.append((journal, statement, journal._o2c_statement_lines(statement, currency, warnings)))
        entries = sum(len(statement.transactions) for _journal, statement in assigned)
        left_out = sum(
            1 for _journal, statement in assigned for tx in statement.transactions if tx.status not in BOOKED
        )
        prepared, repeated = _drop_repeated_lines(prepared)
        result = {
            "statement_ids": [],
            "entries": entries,
            "created": 0,
            "skipped": len(repeated),
            "left_out": left_out,
            "repeated": {label: _("%(entry)s of this file", entry=earlier) for label, earlier in repeated.items()},
            "auto": 0,
            "proposed": 0,
            "unmatched": 0,
            "returns": 0,
            "warnings": warnings,
        }
        by_journal = defaultdict(list)
        for journal, statement, lines in prepared:
            by_journal[journal].append((statement, lines))
        # Journals locked in one order (by id): two imports of multi-account files never wait on each other in a ring.
        for journal, statements in sorted(by_journal.items(), key=lambda item: item[0].id):
            done = journal._o2c_import_prepared(statements, filename, match, flagged, warnings)
            for key in ("created", "skipped", "auto", "proposed", "unmatched", "returns"):
                result[key] += done[key]
            result["statement_ids"] += done["statement_ids"]
            result["repeated"].update(done["repeated"])
        return result

    def _o2c_parse_error(self, err, filename):
        """The user's sentence for a file the parsers refused (`StatementParseError`)."""
        template = PARSE_ERRORS.get(err.code)
        message = str(template) % err.params if template and err.params else str(template or err)
        return _("%(file)s cannot be imported: %(problem)s", file=filename or _("The file"), problem=message)

    def _o2c_unbalanced_message(self, statement, refused):
        """The sentence for a statement whose opening balance plus its lines does not give its closing balance."""
        total = sum((tx.amount for tx in statement.transactions if tx.status in BOOKED), Decimal(0))
        values = {
            "statement": statement.identifier,
            "opening": statement.opening_balance,
            "total": total,
            "closing": statement.closing_balance,
        }
        if refused:
            return _(
                "Statement %(statement)s does not add up: opening balance %(opening)s plus its lines %(total)s does "
                'not give the closing balance %(closing)s. Nothing was imported; tick "Import even if the balances '
                'do not add up" to import it anyway (it is then flagged).',
                **values,
            )
        return _(
            "Statement %(statement)s: opening balance %(opening)s plus its lines %(total)s does not give the closing "
            "balance %(closing)s; imported on request and flagged.",
            **values,
        )

    def _o2c_assign_journals(self, statements, journal_by_account):
        """[(journal, statement)]: a file of one account goes into this journal (its account must be the journal's);
        a file of several accounts puts each statement into the bank journal of its account, or the one the user
        picked in `journal_by_account`. Raises O2cUnknownAccounts for accounts without a journal."""
        journal_account = _sanitize(self.bank_account_id.acc_number)
        if not journal_account:
            raise UserError(
                _("Bank journal %(journal)s has no account number: set its IBAN first.", journal=self.display_name)
            )
        accounts = list(dict.fromkeys(_sanitize(s.account_iban or s.account_number) for s in statements))
        if len(accounts) == 1 and accounts[0] not in journal_by_account:
            if accounts[0] != journal_account:
                raise UserError(
                    _(
                        "The statement %(statement)s is for account %(account)s, but journal %(journal)s is account "
                        "%(journal_account)s.",
                        statement=statements[0].identifier,
                        account=accounts[0] or _("(none)"),
                        journal=self.display_name,
                        journal_account=journal_account,
                    )
                )
            return [(self, statement) for statement in statements]
        journals = self.search(
            [
                ("type", "=", "bank"),
                ("bank_account_id.sanitized_acc_number", "in", accounts),
                *self._check_company_domain(self.company_id),
            ]
        )
        found = {_sanitize(journal.bank_account_id.acc_number): journal for journal in journals}
        found[journal_account] = self
        found.update({_sanitize(account): journal for account, journal in journal_by_account.items() if journal})
        unknown = [account for account in accounts if account not in found]
        if unknown:
            raise O2cUnknownAccounts(
                _(
                    "The file holds statements of accounts %(accounts)s, which no bank journal has: pick a journal for "
                    "each in the import wizard (or give the journals these accounts).",
                    accounts=", ".join(account or _("(none)") for account in unknown),
                ),
                unknown,
            )
        return [(found[_sanitize(s.account_iban or s.account_number)], s) for s in statements]

    def _o2c_import_prepared(self, statements, filename, match, flagged, warnings):
        """Create the statements ``statements`` ([(parsed statement, line values)]) of this journal and match them;
        the counts of `o2c_import_statement` for them."""
        # One import at a time per journal: writing the journal's row makes a concurrent import fail with a
        # serialization error, which Odoo retries on fresh data (lines already there, entry numbers taken).
        self.env.cr.execute(SQL("UPDATE account_journal SET write_date = write_date WHERE id = %s", self.id))
        StatementLine = self.env["account.bank.statement.line"]
        all_ids = [vals["o2c_import_id"] for _statement, lines in statements for vals in lines]
        legacy = {vals.pop("o2c_legacy_import_id"): vals for _statement, lines in statements for vals in lines}
        legacy.pop("", None)
        labels = {
            vals["o2c_import_id"]: vals.pop("o2c_entry_label") for _statement, lines in statements for vals in lines
        }
        earlier = StatementLine.search_fetch(
            [("journal_id", "=", self.id), ("o2c_import_id", "in", all_ids + list(legacy))],
            ["o2c_import_id", "amount", "date", "display_name"],
        )
        existing = {}
        for line in earlier:
            vals = legacy.get(line.o2c_import_id)
            if vals is not None:
                # A line imported by an earlier version under its bank reference alone: the same payment only when
                # its amount and date are the same too.
                if vals["amount"] == line.amount and vals["date"] == line.date:
                    existing[vals["o2c_import_id"]] = line
            else:
                existing[line.o2c_import_id] = line
        repeated = {labels[import_id]: line.display_name for import_id, line in existing.items() if import_id in labels}
        created_lines = StatementLine
        statement_ids = []
        prematched = None
        settle = {}
        settled_pairs = {}
        currency = self.currency_id or self.company_id.currency_id
        if match:
            # Matched on their values first, so the sure lines are created with their customer.
            to_create = [
                vals for _statement, lines in statements for vals in lines if vals["o2c_import_id"] not in existing
            ]
            prematched = StatementLine._o2c_prematch(to_create, self.company_id, currency)
            settle = StatementLine._o2c_settlements(prematched, to_create)
        for statement, lines in statements:
            new = [vals for vals in lines if vals["o2c_import_id"] not in existing]
            if not new:
                continue
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
                        "o2c_balance_mismatch": id(statement) in flagged,
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
            "skipped": sum(
                1 for _statement, lines in statements for vals in lines if vals["o2c_import_id"] in existing
            ),
            "repeated": repeated,
            "auto": counts["auto"],
            "proposed": counts["proposed"],
            "unmatched": counts["unmatched"],
            "returns": counts["return"],
        }

    def _o2c_check_statement(self, statement, currency):
        """Raise UserError unless every amount of ``statement`` (parsed) is in this journal's ``currency`` and fits
        its decimals: nothing is converted, rounded or guessed."""
        codes = {statement.currency} | {tx.currency for tx in statement.transactions}
        codes |= {bal.currency for bal in statement.balances}
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
        quantum = Decimal(1).scaleb(-currency.decimal_places)
        for tx in statement.transactions:
            amounts = [tx.amount, tx.entry_amount, tx.detail_amount]
            if any(amount is not None and amount != amount.quantize(quantum) for amount in amounts):
                raise UserError(
                    _(
                        "%(entry)s: the amount %(amount)s has more decimals than %(currency)s allows (%(digits)s): "
                        "refused rather than rounded.",
                        entry=self._o2c_entry_label(statement, tx),
                        amount=next(a for a in amounts if a is not None and a != a.quantize(quantum)),
                        currency=currency.name,
                        digits=currency.decimal_places,
                    )
                )

    def _o2c_entry_label(self, statement, tx):
        """How the user is told which entry of a file is meant: statement, rank and the bank's reference."""
        reference = tx.bank_reference or tx.end_to_end_id
        if reference:
            return _(
                "Statement %(statement)s, entry %(entry)s (%(reference)s)",
                statement=statement.identifier,
                entry=tx.entry_index + 1,
                reference=reference,
            )
        return _("Statement %(statement)s, entry %(entry)s", statement=statement.identifier, entry=tx.entry_index + 1)

    def _o2c_statement_lines(self, statement, currency, warnings):
        """Statement line values of a parsed statement: one per transaction, batch sums checked."""
        booked = [tx for tx in statement.transactions if tx.status in BOOKED]
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
                    "o2c_legacy_import_id": legacy_import_id(tx),
                    "o2c_entry_label": self._o2c_entry_label(statement, tx),
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

    def _o2c_schema_warnings(self, checks, filename):
        """The warnings of the schema checks of a file (`parsers.SchemaCheck` of each camt file in it): a break of
        the schema's structure refuses the file; the deviations banks are known to send pass with a warning, unless
        the company refuses them too (strict validation); a schema not shipped is said, not validated."""
        warnings = []
        strict = self.company_id.o2c_cashmatch_xsd_strict
        for name, check in checks:
            file_name = name or filename or _("The file")
            if check.violation:
                raise UserError(
                    _(
                        "%(file)s cannot be imported: it breaks the structure of schema %(schema)s: %(detail)s",
                        file=file_name,
                        schema=check.violation.schema,
                        detail=check.violation.detail,
                    )
                )
            if check.name and not check.shipped:
                warnings.append(
                    _(
                        "%(file)s names schema %(schema)s, which this addon does not ship: it was read without "
                        "schema validation.",
                        file=file_name,
                        schema=check.name,
                    )
                )
            if "bic_for_bicfi" in check.deviations:
                warnings.append(
                    _(
                        "%(file)s gives %(count)s bank identifier(s) as BIC where schema %(schema)s wants BICFI, a "
                        "deviation banks are known to send: read all the same.",
                        file=file_name,
                        count=len(check.deviations["bic_for_bicfi"]),
                        schema=check.name,
                    )
                )
            if "country_code" in check.deviations:
                warnings.append(
                    _(
                        "%(file)s gives country codes %(codes)s that are not two capital letters as schema %(schema)s "
                        "wants, a deviation banks are known to send: read all the same.",
                        file=file_name,
                        codes=", ".join(check.deviations["country_code"]),
                        schema=check.name,
                    )
                )
            if strict and check.deviations:
                raise UserError(
                    _(
                        "%(file)s cannot be imported: it does not validate against schema %(schema)s and strict "
                        "schema validation is on. %(warnings)s",
                        file=file_name,
                        schema=check.name,
                        warnings=" ".join(warnings),
                    )
                )
        return warnings
