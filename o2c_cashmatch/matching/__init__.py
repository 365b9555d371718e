"""Pure-Python matching engine of o2c_cashmatch: bank lines in, ranked proposals out.

No Odoo import here: the Odoo models read records in bulk, build `OpenItem`/`Customer`/`BankLine`
values, call `Matcher(items, customers, settings).match_batch(lines)` and write the results back.
"""

from .combinations import find_combinations, smallest_combinations
from .engine import Matcher
from .model import Allocation, BankLine, Customer, MatchSettings, OpenItem, Proposal, Reason
from .references import abbreviations, canonical, item_keys, normalized_name, rf_references, text_windows
from .settlement import settlement_rest

__all__ = [
    "Allocation",
    "BankLine",
    "Customer",
    "MatchSettings",
    "Matcher",
    "OpenItem",
    "Proposal",
    "Reason",
    "abbreviations",
    "canonical",
    "find_combinations",
    "item_keys",
    "normalized_name",
    "rf_references",
    "settlement_rest",
    "smallest_combinations",
    "text_windows",
]
