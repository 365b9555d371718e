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


def smallest_combinations(amounts, target, limit=2, max_size=3):
    """Up to `limit` index tuples of `amounts` (positive cents) summing to `target` with the fewest items:
    the pairs if any, else the triples (when `max_size` allows), else []. Exhaustive (quadratic), unlike
    the bounded search above."""
    if max_size < 2:
        return []
    positions = {}
    for index, value in enumerate(amounts):
        positions.setdefault(value, []).append(index)
    found = []
    for i, value in enumerate(amounts):
        found.extend((i, j) for j in positions.get(target - value, ()) if j > i)
        if len(found) >= limit:
            return found[:limit]
    if found or max_size < 3:
        return found
    for i, first in enumerate(amounts):
        for j in range(i + 1, len(amounts)):
            rest = target - first - amounts[j]
            if rest > 0:
                found.extend((i, j, k) for k in positions.get(rest, ()) if k > j)
                if len(found) >= limit:
                    return found[:limit]
    return found
