"""How an amount settles open items: exactly, after an early-payment discount, short by bank fees, or net of
credit notes; and the proposals saying so."""

from datetime import timedelta
from decimal import Decimal

# The suite's one oldest-first rule: a plain module (no ORM), the only import of Odoo's namespace in the core.
from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first

from .combinations import find_combinations
from .model import Allocation, Proposal, make_reason
from .scoring import DISCOUNT_PENALTY, FEES_PENALTY, NETTING_PENALTY

CENT = Decimal("0.01")


def to_cents(value):
    """An amount in whole cents."""
    return int((Decimal(value) / CENT).to_integral_value())


def to_money(cents):
    """Whole cents as an amount."""
    return (Decimal(cents) * CENT).quantize(CENT)


class Fitting:
    """Proposals of a `Matcher` that settle items in full or in part, with the write-off they need."""

    def _discounted(self, item, line):
        """Residual after the early-payment discount when the line is paid in time, else None."""
        if item.discount_residual is None or item.discount_date is None or line.date is None:
            return None
        if line.date > item.discount_date + timedelta(days=self.settings.discount_grace_days):
            return None
        if to_cents(item.residual) != self.residual[item.id]:
            return None
        return to_cents(item.discount_residual)

    def _full(self, line, item_ids, score, kind, reasons, writeoff=0, writeoff_kind=""):
        """A proposal settling the items' whole residuals, with the write-off (cents) the line leaves."""
        allocations = tuple(Allocation(i, to_money(self.residual[i])) for i in item_ids)
        partners = {self.items[i].partner_id for i in item_ids}
        return Proposal(
            line_id=line.id,
            allocations=allocations,
            partner_id=partners.pop() if len(partners) == 1 else None,
            score=score,
            kind=kind,
            reasons=list(reasons),
            writeoff_amount=to_money(writeoff),
            writeoff_kind=writeoff_kind,
        )

    def _partial(self, line, item_ids, amount, score, kind, reasons):
        """Spread `amount` cents over the items, oldest due first; never more than each residual."""
        # An item without due date is as old as the bank line that pays it.
        invoices = [(i, self.items[i].due_date or line.date, self.residual[i]) for i in item_ids]
        parts = allocate_oldest_first(amount, invoices)
        allocations = [Allocation(item_id, to_money(part)) for item_id, part in parts.items() if part > 0]
        partners = {self.items[a.item_id].partner_id for a in allocations}
        return Proposal(
            line_id=line.id,
            allocations=tuple(allocations),
            partner_id=partners.pop() if len(partners) == 1 else None,
            score=score,
            kind=kind,
            reasons=list(reasons),
        )

    def _fit(self, line, item_ids, amount):
        """How `amount` settles the items exactly: ('exact'|'discount'|'fees', write-off cents) or None."""
        total = sum(self.residual[i] for i in item_ids)
        if total == amount:
            return "exact", 0
        discounted = [self._discounted(self.items[i], line) for i in item_ids]
        if all(d is not None for d in discounted) and sum(discounted) == amount:
            return "discount", total - amount
        mixed = sum(d if d is not None else self.residual[i] for d, i in zip(discounted, item_ids, strict=True))
        if any(d is not None for d in discounted) and mixed == amount:
            return "discount", total - amount
        gap = total - amount
        if 0 < gap <= to_cents(self.settings.fee_limit):
            return "fees", gap
        return None

    def _fit_proposal(self, line, item_ids, amount, score, kind, reasons):
        """A proposal settling the items in full when `amount` fits them (see `_fit`), else None."""
        fit = self._fit(line, item_ids, amount)
        if fit is None:
            return None
        how, writeoff = fit
        if how == "exact":
            return self._full(line, item_ids, score, kind, reasons)
        if how == "discount":
            reasons = reasons + [
                make_reason("discount", "Early-payment discount of %(amount)s taken.", amount=str(to_money(writeoff)))
            ]
            return self._full(line, item_ids, score - DISCOUNT_PENALTY, kind, reasons, writeoff, "discount")
        text = "Bank fees of %(amount)s written off."
        if line.charges and to_cents(line.charges) == writeoff:
            text = "Bank fees of %(amount)s written off (the bank reports these charges)."
        reasons = reasons + [make_reason("fees", text, amount=str(to_money(writeoff)))]
        return self._full(line, item_ids, score - FEES_PENALTY, kind, reasons, writeoff, "fees")

    def _credit_notes_netting(self, line, item_ids, amount, score, kind, reasons):
        """Invoices minus open credit notes of the same customer equal to the amount, when unique."""
        partners = {self.items[i].partner_id for i in item_ids}
        if len(partners) != 1:
            return None
        partner_id = partners.pop()
        gap = sum(self.residual[i] for i in item_ids) - amount
        notes = [i for i in self.by_partner[partner_id] if self.residual.get(i, 0) < 0 and i not in item_ids]
        if gap <= 0 or not notes:
            return None
        combos, exhausted = find_combinations([-self.residual[i] for i in notes], gap, max_size=3)
        if len(combos) != 1 or not exhausted:
            return None
        chosen = list(item_ids) + [notes[i] for i in combos[0]]
        reasons = reasons + [make_reason("credit_note", "Open credit notes of the customer netted.")]
        return self._full(line, chosen, score - NETTING_PENALTY, kind, reasons)
