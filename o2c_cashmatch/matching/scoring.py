"""The scores of the matcher, in one place, and the ranking of a line's proposals."""

from .model import make_reason

# Scores: a sure reference with a fitting amount is near 1; anything needing a person stays
# below the default auto threshold (0.9).
SCORE_EXACT = 0.99
SCORE_EXACT_ADJUSTED = 0.96
SCORE_EXACT_PARTIAL_CONFIRMED = 0.92
SCORE_EXACT_PARTIAL = 0.82
SCORE_EXACT_OVERPAID = 0.7
SCORE_FUZZY_CONFIRMED = 0.94
SCORE_FUZZY_AMOUNT = 0.78
SCORE_FUZZY_CUSTOMER = 0.6
SCORE_NAME_AMOUNT_IBAN = 0.96
SCORE_NAME_AMOUNT = 0.93
SCORE_NAME_COMBINATION = 0.91
SCORE_NAME_FEES = 0.85
SCORE_FEWEST_INVOICES = 0.82
SCORE_LOOKALIKE = 0.8
SCORE_AMOUNT_ONLY = 0.7
SCORE_TIE = 0.6
TIE_MARGIN = 0.03
# Scores of the other proposals, from the named invoices to the amount alone.
SCORE_EXACT_NETTED = SCORE_EXACT_ADJUSTED + 0.01
SCORE_SUBSET_CONFIRMED = 0.9
SCORE_SUBSET = 0.85
SCORE_PLUS_OTHERS_CONFIRMED = 0.9
SCORE_PLUS_OTHERS = 0.8
SCORE_NAME_COMBINATION_UNSURE = 0.8
SCORE_SEVERAL_SETS = SCORE_TIE - 0.05
SCORE_AMOUNT_MANY = SCORE_TIE - 0.1
# What an adjustment costs a proposal: an early-payment discount, bank fees, credit notes netted.
DISCOUNT_PENALTY = 0.02
FEES_PENALTY = 0.03
NETTING_PENALTY = 0.03
# Named invoices needing an adjustment rank this far below an invoice one typo away that the amount settles.
TYPO_FITS_MARGIN = 0.1


class Scoring:
    """The ranking of a `Matcher`'s proposals: best first, ties capped so that a person chooses."""

    def _rank(self, proposals):
        """The best of `proposals` per set of items, best first, ties capped; at most `max_proposals`."""
        best = {}
        for proposal in proposals:
            key = (frozenset(proposal.item_ids), proposal.writeoff_kind)
            if key not in best or best[key].score < proposal.score:
                best[key] = proposal
        ranked = sorted(best.values(), key=lambda p: (-p.score, p.item_ids))
        if len(ranked) > 1 and ranked[0].score - ranked[1].score < TIE_MARGIN:
            cap = min(ranked[0].score, SCORE_TIE)
            for proposal in ranked:
                if ranked[0].score - proposal.score < TIE_MARGIN:
                    proposal.score = min(proposal.score, cap)
                    proposal.reasons.append(
                        make_reason("tie", "Another candidate is just as good: a person must choose.")
                    )
        for proposal in ranked:
            proposal.score = round(max(0.0, min(1.0, proposal.score)), 4)
        return ranked[: self.settings.max_proposals]
