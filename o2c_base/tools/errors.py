"""How a pure core of the suite says no.

A core (bank-file parsers, safe XML reading, Factur-X PDF assembly, CDAR reading) that cannot do what it
is asked raises a subclass of `CoreError`: `code` names the problem, `params` holds its figures, and
`str()` gives an English sentence for logs and scripts. The core never words anything for a user: the
Odoo side catches `CoreError`, picks the translated sentence for `code` and fills it with `params`.

Checks that collect several findings (the checks before an e-invoice is issued, the reasons of a risk
grade) are results, not failures: they return a list of coded findings in the same shape (code, params).
"""


class CoreError(ValueError):
    """A core's refusal: `code` for the Odoo side, `params` its details, `str()` the English message.

    `message` is an old-style format string over `params` ("Entry %(index)s has no amount.").
    """

    def __init__(self, code, message="", **params):
        self.code = code
        self.params = params
        super().__init__((message % params if params else message) or code)
