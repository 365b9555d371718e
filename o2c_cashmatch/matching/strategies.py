"""The ways a bank line finds its invoices: the references it names, references with a typo or cut short,
the open invoices of the customer the payer is or resembles, the amount alone."""

from .combinations import find_combinations, smallest_combinations
from .fit import to_cents, to_money
from .model import make_reason
from .scoring import (
    FEES_PENALTY,
    SCORE_AMOUNT_MANY,
    SCORE_AMOUNT_ONLY,
    SCORE_EXACT,
    SCORE_EXACT_ADJUSTED,
    SCORE_EXACT_NETTED,
    SCORE_EXACT_OVERPAID,
    SCORE_EXACT_PARTIAL,
    SCORE_EXACT_PARTIAL_CONFIRMED,
    SCORE_FEWEST_INVOICES,
    SCORE_FUZZY_AMOUNT,
    SCORE_FUZZY_CONFIRMED,
    SCORE_FUZZY_CUSTOMER,
    SCORE_LOOKALIKE,
    SCORE_NAME_AMOUNT,
    SCORE_NAME_AMOUNT_IBAN,
    SCORE_NAME_COMBINATION,
    SCORE_NAME_COMBINATION_UNSURE,
    SCORE_NAME_FEES,
    SCORE_PLUS_OTHERS,
    SCORE_PLUS_OTHERS_CONFIRMED,
    SCORE_SEVERAL_SETS,
    SCORE_SUBSET,
    SCORE_SUBSET_CONFIRMED,
    SCORE_TIE,
)

# A payer whose name is this close to a customer's (rapidfuzz ratio, 0-100) is that customer, for a unique set
# of its invoices adding up to the amount (of at most SURE_COMBINATION_SIZE invoices).
SURE_NAME_SIMILARITY = 92
SURE_COMBINATION_SIZE = 4
# The customers the payer resembles most are heard first: those within LOOKALIKE_SPREAD of the closest, among
# the LOOKALIKE_CUSTOMERS closest.
LOOKALIKE_CUSTOMERS = 3
LOOKALIKE_SPREAD = 4
# Invoices of the same amount proposed when the payer is unknown.
AMOUNT_ONLY_PROPOSALS = 3


class Strategies:
    """The proposals of a `Matcher` for one line, by what the line says (references, payer, amount)."""

    def _from_references(self, line, amount, exact, payers):
        """Proposals for the open invoices the line names exactly (`exact`), whatever the amount."""
        proposals = []
        if not exact or len(exact) > self.settings.max_combination:
            return proposals
        exact = sorted(exact)
        several = len(exact) > 1
        label = ", ".join(self.items[i].number for i in exact)
        base = [
            make_reason("reference", "The payment names %(refs)s.", refs=label)
            if not several
            else make_reason("references", "The payment names several invoices: %(refs)s.", refs=label)
        ]
        partners = {self.items[i].partner_id for i in exact}
        confirmed = any(self._confirms(line, p, payers) for p in partners)
        if not confirmed and (line.payer_name or line.payer_iban):
            base.append(make_reason("other_payer", "The payer is not the customer; the reference and amount decide."))
        kind = "multi" if several else "reference"
        fitted = self._fit_proposal(line, exact, amount, SCORE_EXACT, kind, base)
        if fitted is not None and not fitted.writeoff_kind:
            proposals.append(fitted)
            return proposals
        total = sum(self.residual[i] for i in exact)
        # An open credit note making up the difference exactly explains it better than bank fees.
        netted = self._credit_notes_netting(line, exact, amount, SCORE_EXACT_NETTED, kind, base)
        if netted is not None:
            proposals.append(netted)
            return proposals
        if fitted is not None:
            fitted.score = min(fitted.score, SCORE_EXACT_ADJUSTED)
            proposals.append(fitted)
            return proposals
        if several:
            combos, exhausted = find_combinations([self.residual[i] for i in exact], amount)
            if len(combos) == 1 and exhausted:
                subset = [exact[i] for i in combos[0]]
                proposals.append(
                    self._full(
                        line,
                        subset,
                        SCORE_SUBSET_CONFIRMED if confirmed else SCORE_SUBSET,
                        "multi",
                        base + [make_reason("subset", "Only some of the named invoices add up to the amount.")],
                    )
                )
                return proposals
        if amount < total:
            score = SCORE_EXACT_PARTIAL_CONFIRMED if confirmed else SCORE_EXACT_PARTIAL
            reasons = base + [
                make_reason(
                    "partial",
                    "Partial payment: %(paid)s of %(due)s, the rest stays open.",
                    paid=str(to_money(amount)),
                    due=str(to_money(total)),
                )
            ]
            proposals.append(self._partial(line, exact, amount, score, "partial", reasons))
        else:
            # More money than the named invoices: maybe other open invoices of the same customer.
            if len(partners) == 1:
                partner_id = next(iter(partners))
                others = [i for i in self.by_partner[partner_id] if self.residual.get(i, 0) > 0 and i not in exact]
                combos, exhausted = find_combinations(
                    [self.residual[i] for i in others],
                    amount - total,
                    max_size=self.settings.max_combination - len(exact),
                    budget=self.settings.combination_budget,
                )
                if len(combos) == 1 and exhausted:
                    chosen = exact + [others[i] for i in combos[0]]
                    reasons = base + [
                        make_reason("plus_others", "Other open invoices of the customer make up the rest.")
                    ]
                    score = SCORE_PLUS_OTHERS_CONFIRMED if confirmed else SCORE_PLUS_OTHERS
                    proposals.append(self._full(line, chosen, score, "multi", reasons))
                    return proposals
            reasons = base + [
                make_reason(
                    "overpaid",
                    "The amount exceeds the invoices by %(extra)s, which stays unreconciled.",
                    extra=str(to_money(amount - total)),
                )
            ]
            proposals.append(self._full(line, exact, SCORE_EXACT_OVERPAID, "overpaid", reasons))
        return proposals

    def _from_fuzzy(self, line, amount, fuzzy, payers):
        """Proposals for the invoices named with a typo or cut short (`fuzzy`), when amount or payer confirm."""
        proposals = []
        for item_id, how in sorted(fuzzy.items()):
            item = self.items[item_id]
            confirmed = self._confirms(line, item.partner_id, payers)
            reason = (
                make_reason("typo", "The payment names %(ref)s with a typo or a lost separator.", ref=item.number)
                if how == "typo"
                else make_reason("truncated", "The payment names %(ref)s, cut short.", ref=item.number)
            )
            reasons = [reason]
            if confirmed:
                reasons.append(make_reason("customer", "The payer is the customer."))
            fitted = self._fit_proposal(
                line, [item_id], amount, SCORE_FUZZY_CONFIRMED if confirmed else SCORE_FUZZY_AMOUNT, "fuzzy", reasons
            )
            if fitted is not None:
                if not confirmed:
                    fitted.reasons.append(
                        make_reason("unconfirmed", "The payer is not known as this customer: check before accepting.")
                    )
                    fitted.score = min(fitted.score, SCORE_FUZZY_AMOUNT)
                proposals.append(fitted)
            elif confirmed and 0 < amount < self.residual[item_id]:
                reasons.append(make_reason("partial_short", "Partial payment: the amount is below the invoice."))
                proposals.append(self._partial(line, [item_id], amount, SCORE_FUZZY_CUSTOMER, "fuzzy", reasons))
        return proposals

    def _from_payer(self, line, amount, payers):
        """Proposals among the open invoices of the customers the payer is (known IBAN) or resembles (name)."""
        ranked = sorted(payers.items(), key=lambda kv: -kv[1][0])[:LOOKALIKE_CUSTOMERS]
        best = ranked[0][1][0] if ranked else 0
        # The customers the payer resembles most first: a weaker look-alike must not win on a coincidence.
        close = [kv for kv in ranked if kv[1][0] >= best - LOOKALIKE_SPREAD]
        proposals = []
        for partner_id, (similarity, by_iban) in close:
            proposals += self._from_customer(line, amount, partner_id, similarity, by_iban)
        if any(p.score >= SCORE_TIE for p in proposals):
            return proposals
        # The closest explain nothing (a namesake, a name cut short): the other look-alikes are heard, for review.
        for partner_id, (similarity, by_iban) in ranked[len(close) :]:
            for proposal in self._from_customer(line, amount, partner_id, similarity, by_iban):
                if proposal.score > SCORE_LOOKALIKE:
                    proposal.score = SCORE_LOOKALIKE
                    text = "Another customer's name is closer to the payer's: check before accepting."
                    proposal.reasons.append(make_reason("lookalike", text))
                proposals.append(proposal)
        return proposals

    def _from_customer(self, line, amount, partner_id, similarity, by_iban):
        """Proposals among the open invoices of one customer the payer resembles: same amount, discount, sets."""
        who = (
            make_reason("iban", "The payer's account is known for %(name)s.", name=self.customers[partner_id].name)
            if by_iban
            else make_reason(
                "name",
                "The payer's name resembles %(name)s (%(similarity)s%%).",
                name=self.customers[partner_id].name,
                similarity=int(similarity),
            )
        )
        open_ids = [i for i in self.by_partner[partner_id] if self.residual.get(i, 0) > 0]
        same = [i for i in open_ids if self.residual[i] == amount]
        if len(same) == 1:
            score = SCORE_NAME_AMOUNT_IBAN if by_iban else SCORE_NAME_AMOUNT
            reasons = [who, make_reason("amount", "Only one open invoice of this customer has this amount.")]
            return [self._full(line, same, score, "amount_name", reasons)]
        if len(same) > 1:
            reasons = [who, make_reason("same_amount", "Several open invoices of this customer have this amount.")]
            same = same[: self.settings.max_proposals]
            return [self._full(line, [item_id], SCORE_TIE, "amount_name", reasons) for item_id in same]
        discounted = [i for i in open_ids if self._discounted(self.items[i], line) == amount]
        if len(discounted) == 1:
            proposal = self._fit_proposal(line, discounted, amount, SCORE_NAME_AMOUNT, "amount_name", [who])
            if proposal:
                return [proposal]
        combination = self._fewest_invoices(line, open_ids, amount, who, similarity, by_iban)
        if combination:
            return combination
        combos, exhausted = find_combinations(
            [self.residual[i] for i in open_ids],
            amount,
            max_size=self.settings.max_combination,
            budget=self.settings.combination_budget,
        )
        if combos and len(combos[0]) > 1:
            chosen = [open_ids[i] for i in combos[0]]
            if len(combos) == 1 and exhausted:
                reasons = [who, make_reason("combination", "Only one set of its open invoices adds up to the amount.")]
                # Large sets of many small amounts add up by chance more often: they need a person.
                sure = len(chosen) <= SURE_COMBINATION_SIZE and (by_iban or similarity >= SURE_NAME_SIMILARITY)
                score = SCORE_NAME_COMBINATION if sure else SCORE_NAME_COMBINATION_UNSURE
                return [self._full(line, chosen, score, "combination", reasons)]
            reasons = [who, make_reason("combinations", "Several sets of its open invoices add up to the amount.")]
            return [self._full(line, chosen, SCORE_SEVERAL_SETS, "combination", reasons)]
        proposals = []
        notes = [i for i in self.by_partner[partner_id] if self.residual.get(i, 0) < 0]
        if notes and open_ids:
            for item_id in open_ids:
                netted = self._credit_notes_netting(line, [item_id], amount, SCORE_NAME_COMBINATION, "netting", [who])
                if netted is not None:
                    proposals.append(netted)
        fee_fits = [i for i in open_ids if 0 < self.residual[i] - amount <= to_cents(self.settings.fee_limit)]
        if len(fee_fits) == 1:
            proposal = self._fit_proposal(line, fee_fits, amount, SCORE_NAME_FEES + FEES_PENALTY, "amount_name", [who])
            if proposal:
                proposals.append(proposal)
        return proposals

    def _fewest_invoices(self, line, open_ids, amount, who, similarity, by_iban):
        """Proposals for the pairs (else triples) of the customer's open invoices adding up to the amount.

        A customer pays two or three invoices together far more often than seven or eight, and with
        thirty open invoices a set of seven adds up to almost any amount by chance, while a pair that
        does is rare: the fewest invoices come first. Only a unique pair from a surely known payer, or a
        triple no other set of any size competes with, is sure enough to be applied without a person.
        """
        combos = smallest_combinations(
            [self.residual[i] for i in open_ids], amount, max_size=min(3, self.settings.max_combination)
        )
        if len(combos) != 1:
            reasons = [who, make_reason("combinations", "Several sets of its open invoices add up to the amount.")]
            sets = [[open_ids[i] for i in combo] for combo in combos]
            return [self._full(line, chosen, SCORE_SEVERAL_SETS, "combination", reasons) for chosen in sets]
        chosen = [open_ids[i] for i in combos[0]]
        sure_payer = by_iban or similarity >= SURE_NAME_SIMILARITY
        if len(chosen) == 2:
            text = "Only one pair of its open invoices adds up to the amount."
            score = SCORE_NAME_COMBINATION if sure_payer else SCORE_FEWEST_INVOICES
        else:
            text = "Only one set of three of its open invoices adds up to the amount, and no pair does."
            score = SCORE_FEWEST_INVOICES
            whole, exhausted = find_combinations(
                [self.residual[i] for i in open_ids],
                amount,
                max_size=self.settings.max_combination,
                budget=self.settings.combination_budget,
            )
            if sure_payer and len(whole) == 1 and exhausted:
                text = "Only one set of its open invoices adds up to the amount."
                score = SCORE_NAME_COMBINATION
        return [self._full(line, chosen, score, "combination", [who, make_reason("combination", text)])]

    def _from_amount(self, line, amount):
        """Proposals for the open invoices of exactly this amount, when nothing else explains the line."""
        same = sorted(self._open(self.by_amount.get(amount, ())), key=lambda i: self.residual[i] != amount)
        same = [i for i in same if self.residual[i] == amount]
        if len(same) == 1:
            reasons = [make_reason("amount_only", "Only one open invoice has this amount; the payer is unknown.")]
            return [self._full(line, same, SCORE_AMOUNT_ONLY, "amount_only", reasons)]
        reasons = [make_reason("amount_many", "Several open invoices have this amount; the payer is unknown.")]
        return [self._full(line, [i], SCORE_AMOUNT_MANY, "amount_only", reasons) for i in same[:AMOUNT_ONLY_PROPOSALS]]
