"""Open items indexed for the matcher: by reference key, amount and customer, a few look-ups per line."""

from collections import defaultdict

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .fit import to_cents
from .references import item_keys, rf_references, text_windows

# Approximate references are looked for in texts of at least this many characters (with a digit), among the
# invoices of the payers most alike; a reference cut short has lost at most MAX_CUT characters.
MIN_FUZZY_KEY = 6
MAX_CUT = 5
FUZZY_PAYERS = 2


class ItemIndex:
    """The open items of a `Matcher` and their indexes; the references a line's texts name."""

    def _index_items(self, items):
        """Index the open items by id, customer, amount (and amount after discount) and reference key."""
        self.items = {item.id: item for item in items}
        self.residual = {item.id: to_cents(item.residual) for item in items}
        self.by_partner = defaultdict(list)
        self.by_key = defaultdict(set)
        self.by_amount = defaultdict(set)
        self.key_of = {}
        for item in items:
            cents = to_cents(item.residual)
            self.by_partner[item.partner_id].append(item.id)
            self.by_amount[cents].add(item.id)
            if item.discount_residual is not None:
                self.by_amount[to_cents(item.discount_residual)].add(item.id)
            keys = item_keys(item.number, item.payment_reference)
            self.key_of[item.id] = keys
            for key in keys:
                self.by_key[key].add(item.id)

    def _open(self, item_ids):
        """Those of `item_ids` still open in this batch."""
        return {i for i in item_ids if self.residual.get(i)}

    def _line_texts(self, line):
        """The texts of a line where a reference may be written."""
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
        windows = [w for w in all_windows if len(w) >= MIN_FUZZY_KEY and any(c.isdigit() for c in w)]
        tails = {w for w in all_tails if len(w) >= MIN_FUZZY_KEY}
        if not windows and not tails:
            return exact, fuzzy
        candidates = set(self.by_amount.get(amount, ()))
        closest = sorted(payers.items(), key=lambda kv: -kv[1][0])[:FUZZY_PAYERS]
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
                if tails and any(key[:cut] in tails for cut in range(max(MIN_FUZZY_KEY, len(key) - MAX_CUT), len(key))):
                    fuzzy.setdefault(item_id, "truncated")
        return exact, fuzzy
