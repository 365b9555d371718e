"""Plain arithmetic of disputes, without Odoo: how a disputed or credited amount spreads over
the invoices of a case, and when a case falls due."""

from datetime import date, timedelta


def allocate(amount, invoices, priority=()):
    """Spread ``amount`` over ``invoices`` — ``[(invoice_id, due_date, residual), ...]`` — and return
    ``{invoice_id: share}``: the ids in ``priority`` first, then the oldest due first, each share
    capped at the invoice's residual. What cannot be placed is dropped (the amount then exceeds the
    residuals, which the caller forbids)."""
    priority = list(priority)
    order = sorted(
        invoices,
        key=lambda inv: (inv[0] not in priority, inv[1] or date.max, inv[0]),
    )
    shares = {}
    left = max(amount, 0.0)
    for invoice_id, _due, residual in order:
        share = min(left, max(residual, 0.0))
        shares[invoice_id] = shares.get(invoice_id, 0.0) + share
        left -= share
    return shares


def deadline(opened_on, sla_days):
    """Return the date a case opened on ``opened_on`` falls due with a service level of ``sla_days``
    calendar days, or None without an opening date."""
    if not opened_on:
        return None
    return opened_on + timedelta(days=max(sla_days or 0, 0))
