"""The promise-to-pay rule: a promise is kept when the promised amount was paid by its date.

Plain data in, plain data out (no Odoo import).
"""


def promise_kept(residual_at_promise, residuals_now, amount, rounding=0.01):
    """Whether a promise of `amount` on invoices open for `residual_at_promise` when it was given is kept,
    their open amounts being `residuals_now` (an iterable) on its date: what was paid since covers the
    promised amount, to the currency's `rounding`."""
    paid = residual_at_promise - sum(residuals_now)
    return paid >= amount - rounding
