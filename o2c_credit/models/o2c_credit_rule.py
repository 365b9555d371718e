from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.money import to_money
from odoo.exceptions import ValidationError

from ..core import RuleSpec
from .o2c_credit_exposure import RISK_GRADES

# The conditions a rule can combine (each `use_*` switch and its threshold).
CONDITION_FIELDS = (
    "use_over_limit",
    "over_limit_mode",
    "over_limit_value",
    "use_overdue_amount",
    "overdue_amount_min",
    "use_overdue_days",
    "overdue_days_min",
    "use_manual_hold",
    "use_new_customer",
    "use_risk_grade",
    "risk_grade_min",
    "use_order_amount",
    "order_amount_min",
    "use_insured_exceeded",
)


class O2cCreditRule(models.Model):
    """A credit rule of a company: conditions combined with AND, and what happens when they all hold."""

    _name = "o2c.credit.rule"
    _description = "Credit Rule"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    action = fields.Selection(
        [("block", "Block"), ("approval", "Require approval"), ("warn", "Warn only")],
        required=True,
        default="approval",
        tracking=True,
    )
    approval_group_id = fields.Many2one(
        "res.groups",
        string="Approver Group",
        tracking=True,
        help="Members of this group approve the orders this rule holds.",
    )
    approval_level = fields.Integer(
        default=1,
        tracking=True,
        help="When several rules hold an order, the approver of the highest level decides; "
        "stack rules with growing thresholds and levels to build amount bands.",
    )
    use_over_limit = fields.Boolean(string="Exposure over the credit limit", tracking=True)
    over_limit_mode = fields.Selection(
        [("percent", "% of the limit"), ("amount", "Amount")], string="Over Limit By", default="percent"
    )
    over_limit_value = fields.Float(string="More Than", help="0 means any excess over the limit.")
    use_overdue_amount = fields.Boolean(string="Overdue amount above", tracking=True)
    overdue_amount_min = fields.Monetary(string="Overdue Amount Above", currency_field="currency_id")
    use_overdue_days = fields.Boolean(string="Oldest overdue above (days)", tracking=True)
    overdue_days_min = fields.Integer(string="Days Past Due Above")
    use_manual_hold = fields.Boolean(string="Customer on manual credit hold", tracking=True)
    use_new_customer = fields.Boolean(string="New customer without payment history", tracking=True)
    use_risk_grade = fields.Boolean(string="Risk grade", tracking=True)
    risk_grade_min = fields.Selection(RISK_GRADES, string="Grade or Worse", default="C")
    use_order_amount = fields.Boolean(string="Order amount above", tracking=True)
    order_amount_min = fields.Monetary(string="Order Amount Above", currency_field="currency_id")
    use_insured_exceeded = fields.Boolean(string="Exposure above the insured amount", tracking=True)
    condition_summary = fields.Char(string="Conditions", compute="_compute_condition_summary")

    def _creation_message(self):
        """The chatter line of a new credit rule (its own sentence, so that French can agree in gender)."""
        return _("Credit rule created")

    @api.depends(*CONDITION_FIELDS)
    def _compute_condition_summary(self):
        for rule in self:
            parts = []
            if rule.use_over_limit:
                if rule.over_limit_mode == "percent":
                    parts.append(_("exposure > limit + %(value)s %%", value=rule.over_limit_value))
                else:
                    parts.append(
                        _("exposure > limit + %(value)s", value=rule.currency_id.format(rule.over_limit_value))
                    )
            if rule.use_overdue_amount:
                parts.append(_("overdue > %(value)s", value=rule.currency_id.format(rule.overdue_amount_min)))
            if rule.use_overdue_days:
                parts.append(_("oldest overdue > %(days)s days", days=rule.overdue_days_min))
            if rule.use_manual_hold:
                parts.append(_("manual hold"))
            if rule.use_new_customer:
                parts.append(_("new customer"))
            if rule.use_risk_grade:
                parts.append(_("grade %(grade)s or worse", grade=rule.risk_grade_min))
            if rule.use_order_amount:
                parts.append(_("order > %(value)s", value=rule.currency_id.format(rule.order_amount_min)))
            if rule.use_insured_exceeded:
                parts.append(_("exposure > insured amount"))
            rule.condition_summary = _(" and ").join(parts)

    @api.constrains(
        "name",
        "use_over_limit",
        "use_overdue_amount",
        "use_overdue_days",
        "use_manual_hold",
        "use_new_customer",
        "use_risk_grade",
        "use_order_amount",
        "use_insured_exceeded",
    )
    def _check_has_condition(self):
        for rule in self:
            if not rule._o2c_spec().has_condition():
                raise ValidationError(
                    _("The credit rule %(rule)s has no condition: tick at least one condition.", rule=rule.name)
                )

    @api.constrains("over_limit_value", "overdue_amount_min", "overdue_days_min", "order_amount_min")
    def _check_thresholds(self):
        for rule in self:
            if min(rule.over_limit_value, rule.overdue_amount_min, rule.overdue_days_min, rule.order_amount_min) < 0:
                raise ValidationError(
                    _("The thresholds of the credit rule %(rule)s cannot be negative.", rule=rule.name)
                )

    @api.constrains("action", "approval_group_id", "approval_level")
    def _check_approval_group(self):
        for rule in self.filtered(lambda rule: rule.action == "approval"):
            if not rule.approval_group_id:
                raise ValidationError(
                    _("The credit rule %(rule)s requires an approval: choose the approver group.", rule=rule.name)
                )
            # sudo: a group's members are readable by administrators only; the credit manager saving the rule
            # only learns whether someone can approve.
            if not rule.approval_group_id.sudo().users.filtered("active"):
                raise ValidationError(
                    _(
                        "No active user belongs to the group %(group)s of the credit rule %(rule)s: "
                        "nobody could approve its orders.",
                        group=rule.approval_group_id.full_name,
                        rule=rule.name,
                    )
                )
            if rule.approval_level < 1:
                raise ValidationError(
                    _("The approval level of the credit rule %(rule)s must be 1 or more.", rule=rule.name)
                )

    @api.model
    def _o2c_spec_fields(self):
        """The fields `_o2c_spec` reads."""
        return ["action", "approval_level", "approval_group_id", *CONDITION_FIELDS]

    def _o2c_spec(self):
        """Return the core :class:`RuleSpec` of this rule."""
        self.ensure_one()
        return RuleSpec(
            rule_id=self.id,
            action=self.action,
            approval_level=self.approval_level if self.action == "approval" else 0,
            approval_group_id=self.approval_group_id.id or None,
            over_limit_mode=self.over_limit_mode or "percent" if self.use_over_limit else None,
            over_limit_value=to_money(self.over_limit_value),
            overdue_amount_min=to_money(self.overdue_amount_min) if self.use_overdue_amount else None,
            overdue_days_min=self.overdue_days_min if self.use_overdue_days else None,
            manual_hold=self.use_manual_hold,
            new_customer=self.use_new_customer,
            risk_grade_min=self.risk_grade_min or "C" if self.use_risk_grade else None,
            order_amount_min=to_money(self.order_amount_min) if self.use_order_amount else None,
            insured_exceeded=self.use_insured_exceeded,
        )
