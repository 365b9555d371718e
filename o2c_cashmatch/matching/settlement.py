"""What a bank line leaves unsettled once it pays its invoices (pure Python, no Odoo import)."""

from decimal import ROUND_HALF_UP, Decimal


def settlement_rest(amount, allocated, writeoff=0, rounding="0.01"):
    """What is left of a bank line's ``amount`` once it pays ``allocated`` (the amounts applied to its invoices,
    credit notes negative) less ``writeoff`` (bank fees or a discount, part of the invoices not paid): a `Decimal`
    rounded to the currency's ``rounding``, >= 0; None when that settles nothing, or more than the line brings.
    """
    settled = sum((_rounded(value, rounding) for value in allocated), Decimal(0)) - _rounded(writeoff, rounding)
    rest = _rounded(amount, rounding) - settled
    if settled <= 0 or rest < 0:
        return None
    return rest


def _rounded(value, rounding):
    """``value`` (a float, Decimal or int) as a Decimal rounded half-up to a multiple of ``rounding``."""
    step = Decimal(str(rounding))
    return (Decimal(str(value)) / step).to_integral_value(ROUND_HALF_UP) * step
