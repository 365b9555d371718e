from . import o2c_credit_decision_wizard
