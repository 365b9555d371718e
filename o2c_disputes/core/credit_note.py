"""How a credit note is brought down to the credited amount, without Odoo.

A partial acceptance credits less than the invoice: each product line of the full reversal gets
quantity 1 and its amount scaled by the same factor, and the largest line takes the rounding cent
so that the credit note's total, taxes included, is the credited amount to the cent. The taxes and
the roundings are the caller's (Odoo's tax engine and decimal precisions): they come in as functions.
Amounts are Decimals (the suite's money type, ``o2c_base.tools.money``).
"""


def scale_lines(amounts, target, total, line_total, round_price, is_zero, step):
    """Scale ``amounts`` (``{line: untaxed amount}``, in the credit note's order) so that the lines at
    quantity 1 total ``target`` with taxes, from a credit note totalling ``total``.

    ``line_total(line, price)`` is a line's total with taxes at unit price ``price``; ``round_price``
    rounds a unit price, ``step`` is its smallest increment and ``is_zero`` says whether an amount of
    the currency is nil. Returns ``(prices, largest, extra)``: the unit price of each line, the line
    that settled the cent, and the price of a second line of ``largest`` needed to reach the cent
    (zero when none is)."""
    factor = target / total
    prices = {line: round_price(amount * factor) for line, amount in amounts.items()}
    largest = max(prices, key=lambda line: abs(prices[line]))
    fixed_part = sum(line_total(line, price) for line, price in prices.items() if line != largest)
    prices[largest], extra = settle_cent(
        lambda price: line_total(largest, price), prices[largest], target - fixed_part, round_price, is_zero, step
    )
    return prices, largest, extra


def settle_cent(total_of, price, target, round_price, is_zero, step, spread=20):
    """Return ``(price, extra)``: a unit price near ``price`` whose total (``total_of(price)``) is
    ``target`` to the cent, else a split into two lines ``price + extra`` that reaches it, else the
    nearest price and no extra. Candidates are tried up to ``spread`` steps away, nearest first."""
    candidates = sorted(
        (round_price(price + k * step) for k in range(-spread, spread + 1)),
        key=lambda p: abs(p - price),
    )
    for candidate in candidates:
        if is_zero(total_of(candidate) - target):
            return candidate, price * 0
    for extra_steps in range(1, spread + 1):
        extra = round_price(extra_steps * step)
        for candidate in candidates:
            if is_zero(total_of(candidate - extra) + total_of(extra) - target):
                return round_price(candidate - extra), extra
    return min(candidates, key=lambda p: abs(total_of(p) - target)), price * 0
