"""The matching engine: statement lines in, ranked proposals out (pure Python, no Odoo import).

A `Matcher` indexes the open items once per batch (exact keys, one-deletion neighbourhoods for
typos, prefixes for truncated text, amounts) and the customers (names, known IBANs); `propose`
then costs a few dictionary look-ups per line, whatever the number of open items.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from itertools import islice, product

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .combinations import find_combinations, smallest_combinations
from .model import Allocation, MatchSettings, Proposal, Reason
from .references import abbreviations, item_keys, normalized_name, rf_references, text_windows

CENT = Decimal("0.01")

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


def _cents(value):
    return int((Decimal(value) / CENT).to_integral_value())


def _money(cents):
    return (Decimal(cents) * CENT).quantize(CENT)


def _reason(code, text, **params):
    return Reason(code=code, text=text % params if params else text, params=tuple(sorted(params.items())))


class Matcher:
    """Proposals for statement lines against a fixed set of open items and customers."""

    def __init__(self, items, customers, settings=None):
        self.settings = settings or MatchSettings()
        self.items = {item.id: item for item in items}
        self.residual = {item.id: _cents(item.residual) for item in items}
        self.customers = {c.id: c for c in customers}
        self.by_partner = defaultdict(list)
        self.by_key = defaultdict(set)
        self.by_amount = defaultdict(set)
        self.key_of = {}
        for item in items:
            cents = _cents(item.residual)
            self.by_partner[item.partner_id].append(item.id)
            self.by_amount[cents].add(item.id)
            if item.discount_residual is not None:
                self.by_amount[_cents(item.discount_residual)].add(item.id)
            keys = item_keys(item.number, item.payment_reference)
            self.key_of[item.id] = keys
            for key in keys:
                self.by_key[key].add(item.id)
        # Sorted positive amounts, for the items a payment short by bank fees could settle.
        self.sorted_amounts = sorted(self.by_amount)
        self.iban_owner = defaultdict(set)
        for customer in customers:
            for iban in customer.ibans:
                self.iban_owner[iban.replace(" ", "").upper()].add(customer.id)
        self.name_ids = [c.id for c in customers]
        self.normalized = {c.id: normalized_name(c.name) for c in customers}
        # Words sorted once: fuzz.ratio on them is token_sort_ratio without re-sorting each customer per line.
        self.names = [" ".join(sorted(self.normalized[i].split())) for i in self.name_ids]
        # Every word of the customers' names, sorted, to spell out a bank's abbreviations ('BOUL.').
        self.vocabulary = sorted({word for name in self.normalized.values() for word in name.split()})
        self._name_cache = {}

    # ------------------------------------------------------------------ lookups

    def _open(self, item_ids):
        return {i for i in item_ids if self.residual.get(i)}

    def _line_texts(self, line):
        return [line.structured_reference, line.remittance, line.end_to_end_id, line.additional_info]

    def _reference_hits(self, line, amount, payers):
        """(exact item ids, fuzzy {item id: kind}) referenced by any text field of the line.

        Approximate references (one typo, a lost or extra character, a cut) are only looked for among
        the items the amount or the payer could confirm: the engine never trusts them otherwise. A text
        naming an open invoice exactly is searched too, since a typo can land on another invoice's number.
        """
        exact, fuzzy = set(), {}
        all_windows, all_tails = set(), set()
        for text in self._line_texts(line):
            if not text:
                continue
            for rf in rf_references(text):
                exact |= self.by_key.get(rf, set())
            windows, tails = text_windows(text)
            all_windows |= windows
            all_tails |= tails
        for window in all_windows:
            exact |= self.by_key.get(window, set())
        exact = self._open(exact)
        windows = [w for w in all_windows if len(w) >= 6 and any(c.isdigit() for c in w)]
        tails = {w for w in all_tails if len(w) >= 6}
        if not windows and not tails:
            return exact, fuzzy
        candidates = set(self.by_amount.get(amount, ()))
        closest = sorted(payers.items(), key=lambda kv: -kv[1][0])[:2]
        for partner_id, _score in closest:
            candidates.update(self.by_partner.get(partner_id, ()))
        for item_id in candidates:
            if item_id in exact or not self.residual.get(item_id):
                continue
            for key in self.key_of[item_id]:
                if not key[0].isdigit():
                    continue
                if windows and process.extractOne(key, windows, scorer=OSA.distance, score_cutoff=1) is not None:
                    fuzzy[item_id] = "typo"
                    break
                if tails and any(key[:cut] in tails for cut in range(max(6, len(key) - 5), len(key))):
                    fuzzy.setdefault(item_id, "truncated")
        return exact, fuzzy

    def _amount_candidates(self, amount):
        """Open items the amount could settle alone: equal, after discount, or short by bank fees at most."""
        found = set()
        low = bisect_left(self.sorted_amounts, amount)
        high = bisect_right(self.sorted_amounts, amount + _cents(self.settings.fee_limit))
        for cents in self.sorted_amounts[low:high]:
            found |= self.by_amount[cents]
        return found

    def _expansions(self, abbreviation):
        """Words of the customers' names that start with `abbreviation`; none when more than three do."""
        start = bisect_left(self.vocabulary, abbreviation)
        found = []
        for word in islice(self.vocabulary, start, None):
            if not word.startswith(abbreviation):
                break
            if len(word) > len(abbreviation):
                found.append(word)
            if len(found) > 3:
                return []
        return found

    def _name_queries(self, name):
        """The payer's name as compared with the customers': words sorted, and once more with each word the
        bank cut short with a full stop ('BOUL. SIMON') spelled out as a customer's name spells it."""
        words = normalized_name(name).split()
        if not words:
            return []
        queries = [" ".join(sorted(words))]
        cut = abbreviations(name)
        if cut:
            options = [[word, *self._expansions(word)] if word in cut else [word] for word in words]
            for spelled in islice(product(*options), 1, 5):
                queries.append(" ".join(sorted(spelled)))
        return queries

    def _payer_partners(self, line):
        """{partner id: (similarity 0-100, by_iban)} of customers the payer looks like."""
        found = {}
        iban = (line.payer_iban or "").replace(" ", "").upper()
        for partner_id in self.iban_owner.get(iban, ()):
            found[partner_id] = (100.0, True)
        names = (line.payer_name, line.ultimate_payer_name) if self.names else ()
        for query in [query for name in names for query in self._name_queries(name)]:
            if query not in self._name_cache:
                self._name_cache[query] = [
                    (self.name_ids[index], score)
                    for _match, score, index in process.extract(
                        query, self.names, scorer=fuzz.ratio, limit=3, score_cutoff=self.settings.name_threshold
                    )
                ]
            for partner_id, score in self._name_cache[query]:
                if partner_id not in found or found[partner_id][0] < score:
                    found[partner_id] = (score, found.get(partner_id, (0, False))[1])
        return found

    def _confirms(self, line, partner_id, payers):
        """True when the payer is this customer: known IBAN, close name, or every word of the payer's name
        found in the customer's ('DUPONT' for 'Boulangerie Dupont SARL', not 'HOLDING DUPONT')."""
        if partner_id in payers:
            return True
        customer_words = self.normalized.get(partner_id, "").split()
        for name in (line.payer_name, line.ultimate_payer_name):
            words = [w for w in normalized_name(name).split() if len(w) > 1]
            cut = abbreviations(name)
            if words and all(self._word_in(word, customer_words, word in cut) for word in words):
                return True
        return False

    @staticmethod
    def _word_in(word, customer_words, abbreviated):
        """True when a customer's word is `word` give or take a typo, or starts with it when the bank cut it."""
        return any(
            fuzz.ratio(word, other) >= 85 or (abbreviated and other.startswith(word)) for other in customer_words
        )

    def _discounted(self, item, line):
        """Residual after the early-payment discount when the line is paid in time, else None."""
        if item.discount_residual is None or item.discount_date is None or line.date is None:
            return None
        if line.date > item.discount_date + timedelta(days=self.settings.discount_grace_days):
            return None
        if _cents(item.residual) != self.residual[item.id]:
            return None
        return _cents(item.discount_residual)

    # ------------------------------------------------------------------ proposal builders

    def _full(self, line, item_ids, score, kind, reasons, writeoff=0, writeoff_kind=""):
        allocations = tuple(Allocation(i, _money(self.residual[i])) for i in item_ids)
        partners = {self.items[i].partner_id for i in item_ids}
        return Proposal(
            line_id=line.id,
            allocations=allocations,
            partner_id=partners.pop() if len(partners) == 1 else None,
            score=score,
            kind=kind,
            reasons=list(reasons),
            writeoff_amount=_money(writeoff),
            writeoff_kind=writeoff_kind,
        )

    def _partial(self, line, item_ids, amount, score, kind, reasons):
        """Spread `amount` cents over the items, oldest due first; never more than each residual."""
        ordered = sorted(item_ids, key=lambda i: (self.items[i].due_date or line.date or 0, i))
        allocations = []
        remaining = amount
        for item_id in ordered:
            if remaining <= 0:
                break
            part = min(remaining, self.residual[item_id])
            if part > 0:
                allocations.append(Allocation(item_id, _money(part)))
                remaining -= part
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
        if 0 < gap <= _cents(self.settings.fee_limit):
            return "fees", gap
        return None

    def _fit_proposal(self, line, item_ids, amount, score, kind, reasons):
        fit = self._fit(line, item_ids, amount)
        if fit is None:
            return None
        how, writeoff = fit
        if how == "exact":
            return self._full(line, item_ids, score, kind, reasons)
        if how == "discount":
            reasons = reasons + [
                _reason("discount", "Early-payment discount of %(amount)s taken.", amount=str(_money(writeoff)))
            ]
            return self._full(line, item_ids, score - 0.02, kind, reasons, writeoff, "discount")
        text = "Bank fees of %(amount)s written off."
        if line.charges and _cents(line.charges) == writeoff:
            text = "Bank fees of %(amount)s written off (the bank reports these charges)."
        reasons = reasons + [_reason("fees", text, amount=str(_money(writeoff)))]
        return self._full(line, item_ids, score - 0.03, kind, reasons, writeoff, "fees")

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
        reasons = reasons + [_reason("credit_note", "Open credit notes of the customer netted.")]
        return self._full(line, chosen, score - 0.03, kind, reasons)

    def _note_sums(self, notes):
        """Every sum (cents, positive) of up to three of these credit notes."""
        values = [-self.residual[i] for i in notes[:12]]
        sums = set()
        for a in range(len(values)):
            sums.add(values[a])
            for b in range(a + 1, len(values)):
                sums.add(values[a] + values[b])
                for c in range(b + 1, len(values)):
                    sums.add(values[a] + values[b] + values[c])
        return sums

    def _from_references(self, line, amount, exact, payers):
        proposals = []
        if not exact or len(exact) > self.settings.max_combination:
            return proposals
        exact = sorted(exact)
        several = len(exact) > 1
        label = ", ".join(self.items[i].number for i in exact)
        base = [
            _reason("reference", "The payment names %(refs)s.", refs=label)
            if not several
            else _reason("references", "The payment names several invoices: %(refs)s.", refs=label)
        ]
        partners = {self.items[i].partner_id for i in exact}
        confirmed = any(self._confirms(line, p, payers) for p in partners)
        if not confirmed and (line.payer_name or line.payer_iban):
            base.append(_reason("other_payer", "The payer is not the customer; the reference and amount decide."))
        kind = "multi" if several else "reference"
        fitted = self._fit_proposal(line, exact, amount, SCORE_EXACT, kind, base)
        if fitted is not None and not fitted.writeoff_kind:
            proposals.append(fitted)
            return proposals
        total = sum(self.residual[i] for i in exact)
        # An open credit note making up the difference exactly explains it better than bank fees.
        netted = self._credit_notes_netting(line, exact, amount, SCORE_EXACT_ADJUSTED + 0.01, kind, base)
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
                        0.9 if confirmed else 0.85,
                        "multi",
                        base + [_reason("subset", "Only some of the named invoices add up to the amount.")],
                    )
                )
                return proposals
        if amount < total:
            score = SCORE_EXACT_PARTIAL_CONFIRMED if confirmed else SCORE_EXACT_PARTIAL
            reasons = base + [
                _reason(
                    "partial",
                    "Partial payment: %(paid)s of %(due)s, the rest stays open.",
                    paid=str(_money(amount)),
                    due=str(_money(total)),
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
                    reasons = base + [_reason("plus_others", "Other open invoices of the customer make up the rest.")]
                    proposals.append(self._full(line, chosen, 0.9 if confirmed else 0.8, "multi", reasons))
                    return proposals
            reasons = base + [
                _reason(
                    "overpaid",
                    "The amount exceeds the invoices by %(extra)s, which stays unreconciled.",
                    extra=str(_money(amount - total)),
                )
            ]
            proposals.append(self._full(line, exact, SCORE_EXACT_OVERPAID, "overpaid", reasons))
        return proposals

    def _from_fuzzy(self, line, amount, fuzzy, payers):
        proposals = []
        for item_id, how in sorted(fuzzy.items()):
            item = self.items[item_id]
            confirmed = self._confirms(line, item.partner_id, payers)
            reason = (
                _reason("typo", "The payment names %(ref)s with a typo or a lost separator.", ref=item.number)
                if how == "typo"
                else _reason("truncated", "The payment names %(ref)s, cut short.", ref=item.number)
            )
            reasons = [reason]
            if confirmed:
                reasons.append(_reason("customer", "The payer is the customer."))
            fitted = self._fit_proposal(
                line, [item_id], amount, SCORE_FUZZY_CONFIRMED if confirmed else SCORE_FUZZY_AMOUNT, "fuzzy", reasons
            )
            if fitted is not None:
                if not confirmed:
                    fitted.reasons.append(
                        _reason("unconfirmed", "The payer is not known as this customer: check before accepting.")
                    )
                    fitted.score = min(fitted.score, SCORE_FUZZY_AMOUNT)
                proposals.append(fitted)
            elif confirmed and 0 < amount < self.residual[item_id]:
                reasons.append(_reason("partial_short", "Partial payment: the amount is below the invoice."))
                proposals.append(self._partial(line, [item_id], amount, SCORE_FUZZY_CUSTOMER, "fuzzy", reasons))
        return proposals

    def _from_payer(self, line, amount, payers):
        """Proposals among the open invoices of the customers the payer is (known IBAN) or resembles (name)."""
        ranked = sorted(payers.items(), key=lambda kv: -kv[1][0])[:3]
        best = ranked[0][1][0] if ranked else 0
        # The customers the payer resembles most first: a weaker look-alike must not win on a coincidence.
        close = [kv for kv in ranked if kv[1][0] >= best - 4]
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
                    proposal.reasons.append(_reason("lookalike", text))
                proposals.append(proposal)
        return proposals

    def _from_customer(self, line, amount, partner_id, similarity, by_iban):
        """Proposals among the open invoices of one customer the payer resembles: same amount, discount, sets."""
        who = (
            _reason("iban", "The payer's account is known for %(name)s.", name=self.customers[partner_id].name)
            if by_iban
            else _reason(
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
            reasons = [who, _reason("amount", "Only one open invoice of this customer has this amount.")]
            return [self._full(line, same, score, "amount_name", reasons)]
        if len(same) > 1:
            reasons = [who, _reason("same_amount", "Several open invoices of this customer have this amount.")]
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
                reasons = [who, _reason("combination", "Only one set of its open invoices adds up to the amount.")]
                # Large sets of many small amounts add up by chance more often: they need a person.
                score = SCORE_NAME_COMBINATION if len(chosen) <= 4 and (by_iban or similarity >= 92) else 0.8
                return [self._full(line, chosen, score, "combination", reasons)]
            reasons = [who, _reason("combinations", "Several sets of its open invoices add up to the amount.")]
            return [self._full(line, chosen, SCORE_TIE - 0.05, "combination", reasons)]
        proposals = []
        notes = [i for i in self.by_partner[partner_id] if self.residual.get(i, 0) < 0]
        if notes and open_ids:
            for item_id in open_ids:
                netted = self._credit_notes_netting(line, [item_id], amount, SCORE_NAME_COMBINATION, "netting", [who])
                if netted is not None:
                    proposals.append(netted)
        fee_fits = [i for i in open_ids if 0 < self.residual[i] - amount <= _cents(self.settings.fee_limit)]
        if len(fee_fits) == 1:
            proposal = self._fit_proposal(line, fee_fits, amount, SCORE_NAME_FEES + 0.03, "amount_name", [who])
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
            reasons = [who, _reason("combinations", "Several sets of its open invoices add up to the amount.")]
            sets = [[open_ids[i] for i in combo] for combo in combos]
            return [self._full(line, chosen, SCORE_TIE - 0.05, "combination", reasons) for chosen in sets]
        chosen = [open_ids[i] for i in combos[0]]
        sure_payer = by_iban or similarity >= 92
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
        return [self._full(line, chosen, score, "combination", [who, _reason("combination", text)])]

    def _from_amount(self, line, amount):
        same = sorted(self._open(self.by_amount.get(amount, ())), key=lambda i: self.residual[i] != amount)
        same = [i for i in same if self.residual[i] == amount]
        if len(same) == 1:
            reasons = [_reason("amount_only", "Only one open invoice has this amount; the payer is unknown.")]
            return [self._full(line, same, SCORE_AMOUNT_ONLY, "amount_only", reasons)]
        reasons = [_reason("amount_many", "Several open invoices have this amount; the payer is unknown.")]
        return [self._full(line, [i], SCORE_TIE - 0.1, "amount_only", reasons) for i in same[:3]]

    # ------------------------------------------------------------------ public API

    def propose(self, line):
        """Ranked proposals for one line (best first); empty for returns, payments out and unknowns."""
        if line.is_return or line.amount <= 0:
            return []
        amount = _cents(line.amount)
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
        exact_fits = [p for p in typos if not p.writeoff_kind and p.settled_amount == _money(_cents(line.amount))]
        if not exact_fits:
            return
        best = max(exact_fits, key=lambda p: p.score)
        for proposal in references:
            if proposal.score > best.score - 0.1:
                proposal.score = best.score - 0.1
                proposal.reasons.append(
                    _reason(
                        "typo_fits",
                        "%(ref)s, one character away from the reference, has exactly this amount.",
                        ref=self.items[best.item_ids[0]].number,
                    )
                )

    def _rank(self, proposals):
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
                    proposal.reasons.append(_reason("tie", "Another candidate is just as good: a person must choose."))
        for proposal in ranked:
            proposal.score = round(max(0.0, min(1.0, proposal.score)), 4)
        return ranked[: self.settings.max_proposals]

    def commit(self, proposal):
        """Consume the residuals a proposal settles (so later lines of the batch cannot reuse them)."""
        for allocation in proposal.allocations:
            self.residual[allocation.item_id] -= _cents(allocation.amount)

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
