"""The matching engine: statement lines in, ranked proposals out (pure Python, no Odoo import).

A `Matcher` indexes the open items once per batch (exact keys, one-deletion neighbourhoods for
typos, prefixes for truncated text, amounts; `index`) and the customers (names, known IBANs;
`payers`); `propose` then costs a few dictionary look-ups per line, whatever the number of open
items, tries the ways a line finds its invoices (`strategies`), each settling them exactly or with
a write-off (`fit`), and ranks what they found (`scoring`).
"""

from .fit import Fitting, to_cents, to_money
from .index import ItemIndex
from .model import MatchSettings, make_reason
from .payers import PayerIndex
from .scoring import SCORE_EXACT_PARTIAL_CONFIRMED, SCORE_FUZZY_CONFIRMED, TYPO_FITS_MARGIN, Scoring
from .strategies import Strategies


class Matcher(Strategies, Fitting, Scoring, PayerIndex, ItemIndex):
    """Proposals for statement lines against a fixed set of open items and customers."""

    def __init__(self, items, customers, settings=None):
        self.settings = settings or MatchSettings()
        self._index_items(items)
        self._index_customers(customers)

    # ------------------------------------------------------------------ public API

    def propose(self, line):
        """Ranked proposals for one line (best first); empty for returns, payments out and unknowns."""
        if line.is_return or line.amount <= 0:
            return []
        amount = to_cents(line.amount)
        payers = self._payer_partners(line)
        exact, fuzzy = self._reference_hits(line, amount, payers)
        references = self._from_references(line, amount, exact, payers)
        if self._reference_is_sure(line, amount, references, exact, payers):
            return self._rank(references)
        typos = self._from_fuzzy(line, amount, fuzzy, payers)
        self._weigh_against_typos(line, references, typos)
        proposals = references + typos
        if not any(p.score >= SCORE_EXACT_PARTIAL_CONFIRMED for p in references) and not any(
            p.score >= SCORE_FUZZY_CONFIRMED for p in typos
        ):
            proposals += self._from_payer(line, amount, payers)
        if not proposals:
            proposals += self._from_amount(line, amount)
        return self._rank(proposals)

    def _reference_is_sure(self, line, amount, references, exact, payers):
        """True when the invoices the line names settle it beyond doubt: a good proposal, and either they add up
        to the amount, or the payer is their customer, or the line does not say who paid."""
        if not any(p.score >= SCORE_EXACT_PARTIAL_CONFIRMED for p in references):
            return False
        if sum(self.residual[i] for i in exact) == amount or not (line.payer_name or line.payer_iban):
            return True
        return any(self._confirms(line, partner_id, payers) for partner_id in {self.items[i].partner_id for i in exact})

    def _weigh_against_typos(self, line, references, typos):
        """Rank the named invoices below an invoice one typo away that the amount settles exactly.

        Called only when the named invoices need an adjustment (fees, discount, partial payment) and the
        payer is not their customer: an exact amount on a near-identical number is then the likelier story.
        """
        exact_fits = [p for p in typos if not p.writeoff_kind and p.settled_amount == to_money(to_cents(line.amount))]
        if not exact_fits:
            return
        best = max(exact_fits, key=lambda p: p.score)
        for proposal in references:
            if proposal.score > best.score - TYPO_FITS_MARGIN:
                proposal.score = best.score - TYPO_FITS_MARGIN
                proposal.reasons.append(
                    make_reason(
                        "typo_fits",
                        "%(ref)s, one character away from the reference, has exactly this amount.",
                        ref=self.items[best.item_ids[0]].number,
                    )
                )

    def commit(self, proposal):
        """Consume the residuals a proposal settles (so later lines of the batch cannot reuse them)."""
        for allocation in proposal.allocations:
            self.residual[allocation.item_id] -= to_cents(allocation.amount)

    def match_batch(self, lines, auto_threshold=None):
        """{line id: (proposals, auto)} for a batch; the surest lines claim their invoices first.

        A line whose invoices were claimed by a surer line of the batch is matched again against
        what is left, so no invoice is ever settled twice.
        """
        threshold = self.settings.auto_threshold if auto_threshold is None else auto_threshold
        first = {line.id: self.propose(line) for line in lines}
        by_id = {line.id: line for line in lines}
        order = sorted(lines, key=lambda ln: (-(first[ln.id][0].score if first[ln.id] else 0), ln.id))
        claimed = set()
        results = {}
        for line in order:
            proposals = first[line.id]
            if proposals and any(i in claimed for p in proposals for i in p.item_ids):
                proposals = self.propose(by_id[line.id])
            auto = bool(proposals) and proposals[0].score >= threshold
            if auto:
                self.commit(proposals[0])
                claimed.update(proposals[0].item_ids)
            results[line.id] = (proposals, auto)
        return results
