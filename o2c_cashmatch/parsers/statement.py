"""Plain data read from a bank file: statements, their balances and transactions (no Odoo import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from odoo.addons.o2c_base.tools.errors import CoreError


class StatementParseError(CoreError):
    """A bank file that cannot be read; `code` names the problem, `params` its details.

    The Odoo shell turns the code into a translated message; `str()` gives an English one.
    """


@dataclass(slots=True)
class Balance:
    """One balance of a statement: `kind` is opening, closing, opening_available, ... amount signed."""

    kind: str
    code: str
    amount: Decimal
    currency: str
    date: date | None


@dataclass(slots=True)
class Transaction:
    """One movement on the account (one per transaction of a batch entry); amount signed (+ = money in)."""

    amount: Decimal
    currency: str
    booking_date: date | None = None
    value_date: date | None = None
    entry_index: int = 0
    tx_index: int = 0
    status: str = ""
    reversal: bool = False
    entry_reference: str = ""
    account_servicer_reference: str = ""
    entry_account_servicer_reference: str = ""
    end_to_end_id: str = ""
    instruction_id: str = ""
    transaction_id: str = ""
    uetr: str = ""
    mandate_id: str = ""
    payment_information_id: str = ""
    remittance_text: str = ""
    creditor_reference: str = ""
    creditor_reference_type: str = ""
    additional_remittance: str = ""
    debtor_name: str = ""
    debtor_iban: str = ""
    debtor_account: str = ""
    ultimate_debtor_name: str = ""
    creditor_name: str = ""
    creditor_iban: str = ""
    creditor_account: str = ""
    ultimate_creditor_name: str = ""
    bank_transaction_code: str = ""
    proprietary_code: str = ""
    charges: Decimal = Decimal(0)
    return_reason: str = ""
    return_reason_info: str = ""
    additional_entry_info: str = ""
    additional_transaction_info: str = ""
    batch_size: int = 1
    batch_amount: Decimal | None = None
    entry_amount: Decimal | None = None
    detail_amount: Decimal | None = None
    detail_currency: str = ""

    @property
    def counterparty_name(self):
        """Name of the other party: the debtor for money in, the creditor for money out."""
        if self.amount >= 0:
            return self.debtor_name or self.ultimate_debtor_name
        return self.creditor_name or self.ultimate_creditor_name

    @property
    def counterparty_account(self):
        """Account (IBAN or other id) of the other party."""
        if self.amount >= 0:
            return self.debtor_iban or self.debtor_account
        return self.creditor_iban or self.creditor_account

    @property
    def bank_reference(self):
        """The bank's own reference of the transaction (its servicer's, else its entry's), '' when it gives none."""
        return self.account_servicer_reference or self.entry_account_servicer_reference or self.entry_reference

    @property
    def is_return(self):
        """True for a returned or reversed payment: it must never be matched to an invoice."""
        return bool(self.return_reason) or self.reversal

    @property
    def label(self):
        """The most telling free text of the transaction, for the statement line's label."""
        return (
            self.remittance_text
            or self.creditor_reference
            or self.additional_transaction_info
            or self.additional_entry_info
            or self.end_to_end_id
            or "/"
        )


@dataclass(slots=True)
class Statement:
    """A statement (camt.053), report (camt.052), notification (camt.054) or OFX account statement."""

    kind: str
    version: str
    identifier: str
    account_iban: str = ""
    account_number: str = ""
    currency: str = ""
    created: str = ""
    from_date: date | None = None
    to_date: date | None = None
    balances: list = field(default_factory=list)
    transactions: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    message_id: str = ""

    def balance(self, *kinds):
        """The first balance of one of `kinds` (in that order of preference), else None."""
        for kind in kinds:
            for bal in self.balances:
                if bal.kind == kind:
                    return bal
        return None

    @property
    def opening_balance(self):
        """Opening booked balance (or previously closed booked), None when the file has none."""
        bal = self.balance("opening", "interim")
        return bal.amount if bal else None

    @property
    def closing_balance(self):
        """Closing booked balance, None when the file has none."""
        bal = self.balance("closing", "closing_available")
        return bal.amount if bal else None

    @property
    def statement_date(self):
        """Date of the statement: closing balance date, else the last booking date, else the end of period."""
        bal = self.balance("closing")
        if bal and bal.date:
            return bal.date
        dates = [t.booking_date for t in self.transactions if t.booking_date]
        if dates:
            return max(dates)
        return self.to_date

    @property
    def is_balanced(self):
        """True when opening + transactions = closing (or the file carries no balances to check)."""
        if self.opening_balance is None or self.closing_balance is None:
            return True
        # Entries not booked yet (pending ones of a camt.052/054) are not in the booked balances.
        total = sum((t.amount for t in self.transactions if t.status in ("", "BOOK")), Decimal(0))
        return self.opening_balance + total == self.closing_balance
