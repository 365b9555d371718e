"""Order-to-cash figures of one month, from plain numbers (no database, no Odoo).

The Odoo side (``models/o2c_cockpit_figure.py``) reads, in a fixed number of queries whatever the
number of customers, the month-end receivables, the month's sales and the other addons' counts,
and hands them here. Every figure below is defined in its docstring exactly as the README and the
views state it.

Amounts are ``Decimal`` (``o2c_base/tools/money.py``: the Odoo side hands them over with ``to_money``);
the figures made of them (days, percentages) are floats.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.o2c_base.tools.money import ZERO


@dataclass
class MonthData:
    """What one month of a company measures, amounts (Decimal) in company currency.

    ``receivable_*`` are the open amounts of customer invoices (debit items of receivable
    accounts) at the end of the month, as they stood that day (reconciliations dated later are
    ignored); ``receivable_start`` is the same at the end of the month before. ``sales`` is the
    month's invoiced amount, taxes included (what the receivable grows by), credit notes deducted.
    """

    month: datetime.date
    sales: Decimal = ZERO
    receivable_start: Decimal = ZERO
    receivable_end: Decimal = ZERO
    receivable_end_not_due: Decimal = ZERO
    invoices: int = 0
    disputed_invoices: int = 0
    disputes_resolved: int = 0
    resolution_days_total: float = 0.0
    bank_lines: int = 0
    bank_lines_auto: int = 0
    days: int | None = None  # days measured: the days of the month, or those elapsed in the current month


@dataclass
class MonthFigures:
    """The figures of one month (None where the month gives nothing to measure)."""

    month: datetime.date
    dso: float | None = None
    best_dso: float | None = None
    days_delinquent: float | None = None
    cei: float | None = None
    overdue_share: float | None = None
    dispute_rate: float | None = None
    resolution_days: float | None = None
    auto_match_share: float | None = None
    extra: dict = field(default_factory=dict)


def month_start(day):
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def month_end(day):
    """The last day of the month of ``day``."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, count):
    """The first day of the month ``count`` months after (or before, if negative) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_months(today, count=12):
    """The first days of the ``count`` months ending with the month of ``today``, oldest first."""
    return [add_months(today, offset) for offset in range(1 - count, 1)]


def days_in_month(day):
    """Number of days of the month of ``day``."""
    return calendar.monthrange(day.year, day.month)[1]


def share(part, whole):
    """``part`` as a percentage of ``whole`` (counts, or Decimal amounts), a float; None when there is no whole."""
    if not whole:
        return None
    return float(100 * part / whole)


def dso_countback(receivable, monthly_sales):
    """Days of sales outstanding by the countback method.

    ``monthly_sales`` lists (days in month, sales) from the latest month backwards, amounts Decimal. The receivable
    is matched against the sales of each month in turn: a month wholly covered counts all its days,
    the month where the receivable runs out counts its days pro rata. Returns None when there is no
    receivable to explain; a receivable larger than every sales month given counts all their days. Days
    are a float.
    """
    if receivable <= 0:
        return 0.0 if receivable == 0 and monthly_sales else None
    days = 0
    left = receivable
    for month_days, sales in monthly_sales:
        if sales <= 0:
            days += month_days
            continue
        if left <= sales:
            return float(days + month_days * left / sales)
        left -= sales
        days += month_days
    return float(days)


def collection_effectiveness(receivable_start, sales, receivable_end, receivable_end_not_due):
    """Collection effectiveness index (%): what was collected over what could have been collected.

    (receivable at start + sales − receivable at end) / (receivable at start + sales − receivable at end
    not yet due) × 100, a float; None when nothing was collectable (denominator zero or negative).
    """
    collectable = receivable_start + sales - receivable_end_not_due
    if collectable <= 0:
        return None
    return float(100 * (receivable_start + sales - receivable_end) / collectable)


def month_figures(months):
    """Figures of each month of ``months`` (MonthData, oldest first, contiguous).

    The countback of a month uses that month's sales and the months before it in the list.
    """
    result = []
    history = []
    for data in months:
        history.insert(0, (data.days or days_in_month(data.month), data.sales))
        dso = dso_countback(data.receivable_end, history)
        best = dso_countback(data.receivable_end_not_due, history)
        figures = MonthFigures(month=data.month, dso=dso, best_dso=best)
        if dso is not None and best is not None:
            figures.days_delinquent = max(dso - best, 0.0)
        figures.cei = collection_effectiveness(
            data.receivable_start, data.sales, data.receivable_end, data.receivable_end_not_due
        )
        figures.overdue_share = share(data.receivable_end - data.receivable_end_not_due, data.receivable_end)
        figures.dispute_rate = share(data.disputed_invoices, data.invoices)
        if data.disputes_resolved:
            figures.resolution_days = data.resolution_days_total / data.disputes_resolved
        figures.auto_match_share = share(data.bank_lines_auto, data.bank_lines)
        result.append(figures)
    return result


def level_effect(reminded, paid_within):
    """Share (%) of the invoices reminded at a level that were paid in full within N days after it."""
    return share(paid_within, reminded)


def week_start(day):
    """The Monday of the week of ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def weekly_forecast(today, entries, weeks=13):
    """Expected cash-in per week: {(Monday, source): amount} over ``weeks`` weeks from today's week.

    ``entries`` are (expected date, source, amount as Decimal). A date before today's week (an overdue
    amount that is still expected) counts in today's week; dates after the horizon are left out.
    """
    first = week_start(today)
    last = first + datetime.timedelta(weeks=weeks)
    totals = {}
    for expected, source, amount in entries:
        monday = max(week_start(expected), first)
        if monday >= last or not amount:
            continue
        totals[monday, source] = totals.get((monday, source), ZERO) + amount
    return totals
