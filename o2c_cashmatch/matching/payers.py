"""Customers indexed by name and known IBAN: who the payer of a bank line may be."""

from bisect import bisect_left
from collections import defaultdict
from itertools import islice, product

from rapidfuzz import fuzz, process

from .references import abbreviations, normalized_name

# A payer paying from a customer's known IBAN is that customer as surely as an identical name.
IBAN_SIMILARITY = 100.0
# A word of the payer's name is a word of the customer's give or take a typo (rapidfuzz ratio, 0-100).
WORD_SIMILARITY = 85
# An abbreviation is spelled out only when at most this many words of the customers' names start with it,
# and a name with abbreviations is compared in at most this many spellings besides its own.
MAX_EXPANSIONS = 3
MAX_SPELLINGS = 4


class PayerIndex:
    """The customers of a `Matcher` by IBAN and name; which of them the payer of a line is or resembles."""

    def _index_customers(self, customers):
        """Index the customers by known IBAN and by name (words sorted, and every word for abbreviations)."""
        self.customers = {c.id: c for c in customers}
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

    def _expansions(self, abbreviation):
        """Words of the customers' names that start with `abbreviation`; none when more than three do."""
        start = bisect_left(self.vocabulary, abbreviation)
        found = []
        for word in islice(self.vocabulary, start, None):
            if not word.startswith(abbreviation):
                break
            if len(word) > len(abbreviation):
                found.append(word)
            if len(found) > MAX_EXPANSIONS:
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
            for spelled in islice(product(*options), 1, 1 + MAX_SPELLINGS):
                queries.append(" ".join(sorted(spelled)))
        return queries

    def _payer_partners(self, line):
        """{partner id: (similarity 0-100, by_iban)} of customers the payer looks like."""
        found = {}
        iban = (line.payer_iban or "").replace(" ", "").upper()
        for partner_id in self.iban_owner.get(iban, ()):
            found[partner_id] = (IBAN_SIMILARITY, True)
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
            fuzz.ratio(word, other) >= WORD_SIMILARITY or (abbreviated and other.startswith(word))
            for other in customer_words
        )
