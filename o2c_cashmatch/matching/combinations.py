"""Subsets of open items summing exactly to an amount (integer cents), stopping once two are found."""


def find_combinations(amounts, target, max_size=8, limit=2, budget=60000):
    """Up to `limit` index tuples of `amounts` (positive cents) whose sum is `target`, smallest first.

    The search explores at most `budget` nodes; returns (combinations, exhausted) where `exhausted`
    is False when the budget ran out, so that 'unique' is only claimed after a full search.
    """
    order = sorted(range(len(amounts)), key=lambda i: -amounts[i])
    values = [amounts[i] for i in order]
    suffix = [0] * (len(values) + 1)
    for i in range(len(values) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + values[i]
    found = []
    nodes = 0
    exhausted = True

    def walk(start, remaining, chosen):
        nonlocal nodes, exhausted
        if len(found) >= limit:
            return
        nodes += 1
        if nodes > budget:
            exhausted = False
            return
        if remaining == 0 and chosen:
            found.append(tuple(sorted(order[i] for i in chosen)))
            return
        if len(chosen) >= max_size or remaining < 0 or suffix[start] < remaining:
            return
        for i in range(start, len(values)):
            if values[i] > remaining:
                continue
            chosen.append(i)
            walk(i + 1, remaining - values[i], chosen)
            chosen.pop()
            if len(found) >= limit or not exhausted:
                return

    if target > 0:
        walk(0, target, [])
    return found, exhausted
