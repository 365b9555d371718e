"""Plain data exchanged with the matching engine (no Odoo import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class OpenItem:
    """An open receivable: a posted customer invoice (residual > 0) or credit note (residual < 0)."""

    id: int
    partner_id: int
    number: str
    residual: Decimal
    payment_reference: str = ""
    currency: str = "EUR"
    due_date: date | None = None
    discount_residual: Decimal | None = None
    discount_date: date | None = None


@dataclass(frozen=True)
class Customer:
    """A customer (commercial partner) with the bank accounts it is known to pay from."""

    id: int
    name: str
    ibans: tuple = ()


@dataclass(frozen=True)
class BankLine:
    """A statement line as the engine sees it: amount signed (+ = money received), texts and payer."""

    id: int
    amount: Decimal
    currency: str = "EUR"
    date: date | None = None
    remittance: str = ""
    structured_reference: str = ""
    end_to_end_id: str = ""
    additional_info: str = ""
    payer_name: str = ""
    payer_iban: str = ""
    ultimate_payer_name: str = ""
    charges: Decimal = Decimal(0)
    is_return: bool = False


@dataclass(frozen=True)
class Allocation:
    """The part of a statement line applied to one open item (negative for a credit note)."""

    item_id: int
    amount: Decimal


@dataclass(frozen=True)
class Reason:
    """Why a proposal was made: `code` for translation, `params` for its placeholders, `text` in English."""

    code: str
    text: str
    params: tuple = ()

    def __str__(self):
        return self.text


@dataclass
class Proposal:
    """What a line settles: allocations, an optional write-off (fees or discount), a score in [0, 1]."""

    line_id: int
    allocations: tuple
    partner_id: int | None
    score: float
    kind: str
    reasons: list = field(default_factory=list)
    writeoff_amount: Decimal = Decimal(0)
    writeoff_kind: str = ""

    @property
    def item_ids(self):
        """Ids of the open items settled, in allocation order."""
        return tuple(a.item_id for a in self.allocations)

    @property
    def settled_amount(self):
        """Total applied to open items (credit notes count negative)."""
        return sum((a.amount for a in self.allocations), Decimal(0))

    @property
    def reasons_text(self):
        """The reasons in English words, one sentence each."""
        return " ".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class MatchSettings:
    """Knobs of the engine: fee tolerance, name similarity, auto threshold, combination size."""

    fee_limit: Decimal = Decimal("15.00")
    name_threshold: float = 86.0
    auto_threshold: float = 0.9
    max_combination: int = 8
    discount_grace_days: int = 3
    max_proposals: int = 5
    combination_budget: int = 20000


def make_reason(code, text, **params):
    """A `Reason` whose English text has its placeholders filled with `params`."""
    return Reason(code=code, text=text % params if params else text, params=tuple(sorted(params.items())))
