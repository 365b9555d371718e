"""Buckets of the aged balance: plain Python, no ORM.

An item falls in a bucket by its age in days at the chosen date (the date minus its due date, or
minus its invoice date): 0 or less is "not due", then one bucket per period up to each limit, and
the last bucket holds everything older than the last limit. The default limits, 30, 60 and 90 days,
give not due / 1-30 / 31-60 / 61-90 / over 90.
"""

from dataclasses import dataclass

DEFAULT_LIMITS = (30, 60, 90)


@dataclass(frozen=True)
class Bucket:
    """One column of the aged balance: ages from ``low`` to ``high`` days, both included (None: open)."""

    index: int
    low: int | None
    high: int | None


def check_limits(limits):
    """Return ``limits`` as a tuple of ints when they are positive and strictly increasing; raise
    ``ValueError`` naming what is wrong otherwise."""
    limits = tuple(limits)
    if not limits:
        raise ValueError("at least one limit is needed")
    for limit in limits:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"a limit must be a whole number of days of at least 1, not {limit!r}")
    for previous, limit in zip(limits, limits[1:], strict=False):
        if limit <= previous:
            raise ValueError(f"the limits must grow: {limit} comes after {previous}")
    return limits


def buckets(limits=DEFAULT_LIMITS):
    """Return the buckets for ``limits``: not due, one per period, then older than the last limit."""
    limits = check_limits(limits)
    result = [Bucket(0, None, 0)]
    low = 1
    for index, high in enumerate(limits, start=1):
        result.append(Bucket(index, low, high))
        low = high + 1
    result.append(Bucket(len(limits) + 1, low, None))
    return result


def bucket_index(age_days, limits=DEFAULT_LIMITS):
    """Return the index of the bucket an item ``age_days`` old falls in (0: not due)."""
    if age_days <= 0:
        return 0
    for index, limit in enumerate(limits, start=1):
        if age_days <= limit:
            return index
    return len(limits) + 1


def spread_over_items(amount, items):
    """Spread a document's ``amount`` (its disputed amount) over its open items ``[(item_id, residual),
    ...]`` in the given order, each taking at most its residual (a credit item takes nothing); return
    ``{item_id: part}`` for the items that take something."""
    parts = {}
    left = max(amount, 0)
    for item_id, residual in items:
        part = min(left, max(residual, 0))
        if part > 0:
            parts[item_id] = part
            left -= part
    return parts
