"""When a dispute case falls due, without Odoo. (How a disputed or credited amount spreads over the
invoices of a case is the suite's oldest-first rule: ``o2c_base.tools.allocation``.)"""

from datetime import timedelta


def deadline(opened_on, sla_days):
    """Return the date a case opened on ``opened_on`` falls due with a service level of ``sla_days``
    calendar days, or None without an opening date."""
    if not opened_on:
        return None
    return opened_on + timedelta(days=max(sla_days or 0, 0))
