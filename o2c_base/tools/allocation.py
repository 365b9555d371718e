"""How an amount spreads over invoices, oldest due first: plain Python, no ORM.

One rule for the suite: a promise to pay (dunning), a disputed or credited amount (disputes) and a
partial payment (cash matching) all settle the oldest invoice first. The amounts may be floats,
``Decimal`` or integer cents, as long as amount and residuals are of one kind.
"""


def allocate_oldest_first(amount, invoices, priority=()):
    """Spread ``amount`` over ``invoices`` — ``[(invoice_id, due_date, residual), ...]`` — and return
    ``{invoice_id: part}`` for every invoice given: the ids in ``priority`` first, then the oldest due
    (an invoice without due date — None or Odoo's False — last), then the lowest id; each part is at most the invoice's
    residual (a negative residual takes nothing). What no residual can take is left unplaced."""
    first = set(priority)
    # Tuples compare item by item with ==: a missing due date (0 here) only meets another missing one.
    order = sorted(invoices, key=lambda inv: (inv[0] not in first, not inv[1], inv[1] or 0, inv[0]))
    zero = type(amount)(0)
    left = max(amount, zero)
    parts = {}
    for invoice_id, _due, residual in order:
        part = min(left, max(residual, zero))
        parts[invoice_id] = parts.get(invoice_id, zero) + part
        left -= part
    return parts
