"""Money in the suite's pure cores is `decimal.Decimal`.

Why Decimal, and not Odoo's floats or integer cents: the cores read and write amounts that other programs
read back to the cent (bank files, Factur-X XML, CDAR, e-reporting) and compare amounts with thresholds
(credit limits, minimum reminder amounts, write-off tolerances), where a float's 0.1 + 0.2 would decide
a case; a Decimal holds exactly the amount written and carries the number of places the currency has, which
integer cents do not (JPY has none, TND three). Odoo stores amounts as floats rounded to the currency: the
Odoo side turns them into Decimal when it hands them to a core (`to_money`) and back into floats when it
writes a core's result (`float()`, which Odoo's fields do themselves). Ratios and days (a DSO, a usage
percentage, days late on average) are not money and stay floats. Inside the matching engine's combination
search, amounts are scaled to integer cents for speed only; they come out as Decimal.
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo.tools.float_utils import float_repr, float_round

ZERO = Decimal(0)


def to_money(value, digits=2):
    """Return `value` (an Odoo float amount, an int, a Decimal or a numeric string) as a Decimal rounded to
    `digits` places half away from zero, as Odoo rounds amounts; None stays None."""
    if value is None:
        return None
    if isinstance(value, float):
        # Odoo's own rounding, so that the Decimal is the amount Odoo shows: it corrects the float's representation
        # error by its magnitude (773094113.3249992 is taken for ...113.325 and gives ...113.33, where the float's
        # shortest text would give ...113.32).
        value = float_repr(float_round(value, precision_digits=digits), digits)
    amount = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return amount if amount else abs(amount)  # no "-0.00" (a float of -0.0, or -0.004 rounded)
