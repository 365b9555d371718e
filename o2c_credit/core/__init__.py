"""Pure-Python credit core: exposure figures, payment behaviour, risk grade and rule evaluation.

Nothing here imports Odoo: the models read the database in bulk, build these plain objects and
hand them to the functions of this package, which are unit-tested without a database.
"""

from .exposure import Behaviour, Exposure, Reason, RiskAssessment, assess_risk
from .rules import ACTIONS, ApprovalGrant, CreditFacts, Decision, FiredRule, RuleSpec, check_rule, evaluate
