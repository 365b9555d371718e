"""French statutory late-payment charges over plain data: who owes them, at which rate, for which days.

* A business customer owes, per late invoice, the fixed recovery indemnity of €40 (Code de commerce
  art. D441-5) and late interest from the day after the due date (art. L441-10) at the European Central
  Bank main refinancing rate in force on the first day of each half-year (1 January, 1 July) plus the
  company's points, never below three times the legal interest rate for professionals of that half-year.
* A consumer owes neither: only, once given formal notice, interest at the legal rate for individuals
  (Code civil art. 1231-6), from the date of the notice.

Interest is simple interest on a 365-day year, computed half-year by half-year at the rate in force in each,
each half-year's amount rounded to the cent (half up). Amounts are Decimal (o2c_base/tools/money.py); rates
are percentages a year, floats.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from odoo.addons.o2c_base.tools.errors import CoreError
from odoo.addons.o2c_base.tools.money import ZERO, to_money

#: Fixed recovery indemnity per late invoice, Code de commerce art. D441-5 (euros).
RECOVERY_INDEMNITY = Decimal("40.00")
#: Points added to the ECB main refinancing rate when the company sets none other (art. L441-10).
DEFAULT_POINTS = 10.0
#: The late-payment rate may not be below three times the legal interest rate (art. L441-10).
LEGAL_RATE_MULTIPLIER = 3.0
DAYS_IN_YEAR = 365


class MissingRatesError(CoreError):
    """No published rates cover the half-year starting `half_year` (the table starts later)."""

    def __init__(self, half_year):
        super().__init__(
            "missing_rates", "No interest rates for the half-year starting %(half_year)s.", half_year=half_year
        )
        self.half_year = half_year


@dataclass(frozen=True)
class HalfYearRates:
    """The published rates of one half-year, starting on 1 January or 1 July (percent a year)."""

    start: date
    ecb_rate: float
    legal_rate_professional: float
    legal_rate_individual: float


@dataclass(frozen=True)
class InterestPeriod:
    """The interest of one half-year: from `start` to `end` included, at `rate` percent a year."""

    start: date
    end: date
    rate: float
    interest: Decimal

    @property
    def days(self):
        """Number of days of interest in the period."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Charges:
    """Charges of one late invoice: the recovery indemnity, the interest and its half-years."""

    indemnity: Decimal
    interest: Decimal
    periods: tuple[InterestPeriod, ...] = ()


def is_half_year_start(day):
    """True when `day` is 1 January or 1 July."""
    return day.day == 1 and day.month in (1, 7)


def half_year_start(day):
    """First day (1 January or 1 July) of the half-year of `day`."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year_start(day):
    """First day of the half-year after the one of `day`."""
    start = half_year_start(day)
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def rates_in_force(table, day):
    """The rates of the half-year of `day`: its own row, else the latest earlier one (rates not yet
    published are carried over); raises MissingRatesError when the table starts after that half-year."""
    start = half_year_start(day)
    earlier = [rates for rates in table if rates.start <= start]
    if not earlier:
        raise MissingRatesError(start)
    return max(earlier, key=lambda rates: rates.start)


def missing_half_years(table, day):
    """First days of the half-years from the table's first one up to the one of `day` that have no rates of
    their own (rates_in_force carries the latest earlier ones over them), oldest first; empty when the table
    is empty or starts later."""
    starts = {rates.start for rates in table}
    if not starts:
        return []
    missing, start, last = [], min(starts), half_year_start(day)
    while start <= last:
        if start not in starts:
            missing.append(start)
        start = next_half_year_start(start)
    return missing


def commercial_rate(rates, points=DEFAULT_POINTS):
    """Late-payment rate between businesses for a half-year: ECB rate plus `points`, floored at three
    times the legal rate for professionals."""
    return round(max(rates.ecb_rate + points, rates.legal_rate_professional * LEGAL_RATE_MULTIPLIER), 4)


def individual_rate(rates):
    """Interest rate a consumer owes after a formal notice: the legal rate for individuals of the half-year."""
    return rates.legal_rate_individual


def interest_periods(amount, since, until, table, rate_of):
    """Interest on `amount` (Decimal) for each day after `since` up to `until` included, one InterestPeriod per
    half-year at the rate `rate_of(HalfYearRates)` of that half-year; empty when `until` is not after `since`."""
    periods = []
    amount = to_money(amount)
    if amount <= 0:
        return periods
    start = since + timedelta(days=1)
    while start <= until:
        end = min(next_half_year_start(start) - timedelta(days=1), until)
        rate = rate_of(rates_in_force(table, start))
        days = (end - start).days + 1
        interest = to_money(amount * Decimal(repr(rate)) * days / (100 * DAYS_IN_YEAR))
        periods.append(InterestPeriod(start, end, rate, interest))
        start = end + timedelta(days=1)
    return periods


def invoice_charges(amount, due_date, run_date, table, business, points=DEFAULT_POINTS, notice_date=None):
    """Charges of an invoice of open `amount` (Decimal) due on `due_date`, on `run_date`.

    A business customer: the €40 indemnity and commercial interest from the due date. A consumer: no
    indemnity, and interest at the legal rate for individuals only from `notice_date` (the formal notice;
    none without one). Returns None when the invoice is not late on `run_date` or nothing is open.
    """
    amount = to_money(amount)
    if amount <= 0 or due_date >= run_date:
        return None
    if business:
        periods = interest_periods(amount, due_date, run_date, table, lambda rates: commercial_rate(rates, points))
        indemnity = RECOVERY_INDEMNITY
    else:
        since = max(notice_date, due_date) if notice_date else run_date
        periods = interest_periods(amount, since, run_date, table, individual_rate)
        indemnity = ZERO
    interest = sum((period.interest for period in periods), ZERO)
    return Charges(indemnity, interest, tuple(periods))


def statutory_charges(invoices, run_date, table, business, points=DEFAULT_POINTS, notice_date=None):
    """{invoice id: Charges} of the late ones among `invoices`, (id, due_date, open amount) tuples of one
    customer, on `run_date` (see invoice_charges)."""
    charges = {}
    for invoice_id, due_date, amount in invoices:
        invoice = invoice_charges(amount, due_date, run_date, table, business, points, notice_date)
        if invoice is not None:
            charges[invoice_id] = invoice
    return charges
