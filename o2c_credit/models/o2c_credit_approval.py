from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.money import to_money
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from ..core import ApprovalGrant


class O2cCreditApproval(models.Model):
    """A credit approval request on a sale order: who asked, who decided, why, and for how much."""

    _name = "o2c.credit.approval"
    _description = "Credit Approval"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    salesperson_id = fields.Many2one(related="order_id.user_id", string="Salesperson")
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected"), ("cancelled", "Cancelled")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    requested_by_id = fields.Many2one("res.users", readonly=True)
    requested_on = fields.Datetime(readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    decided_on = fields.Datetime(readonly=True)
    comment = fields.Text(readonly=True)
    rule_ids = fields.Many2many("o2c.credit.rule", string="Rules Fired", readonly=True)
    # Rule ids, codes and figures (as on the order): the approver reads them in his language.
    reason_data = fields.Json(string="Reason Codes", readonly=True)
    reasons = fields.Text(compute="_compute_reasons")
    approval_level = fields.Integer(string="Required Level", readonly=True)
    approval_group_id = fields.Many2one("res.groups", string="Approver Group", readonly=True)
    amount_covered = fields.Monetary(
        string="Covered Amount", readonly=True, help="Order amount (company currency) this approval covers."
    )
    credit_limit = fields.Monetary(readonly=True)
    exposure_not_due = fields.Monetary(string="Open, Not Due", readonly=True)
    exposure_overdue = fields.Monetary(string="Overdue", readonly=True)
    days_past_due = fields.Integer(string="Oldest Days Past Due", readonly=True)
    exposure_uninvoiced = fields.Monetary(string="Confirmed Orders Not Invoiced", readonly=True)
    exposure_draft = fields.Monetary(string="Draft Invoices", readonly=True)
    exposure_credits = fields.Monetary(string="Unapplied Credits", readonly=True)
    exposure_total = fields.Monetary(string="Total Exposure", readonly=True, help="Including this order.")
    can_decide = fields.Boolean(compute="_compute_can_decide")

    def _creation_message(self):
        """The chatter line of a new credit approval (its own sentence, so that French can agree in gender)."""
        return _("Credit approval created")

    @api.depends("reason_data", "company_id")
    @api.depends_context("lang")
    def _compute_reasons(self):
        Order = self.env["sale.order"]
        rule_names = Order._o2c_reason_rule_names(self.mapped("reason_data"))
        for approval in self:
            approval.reasons = Order.with_company(approval.company_id or self.env.company)._o2c_reasons_plain(
                approval.reason_data, rule_names
            )

    @api.depends("order_id.name")
    def _compute_name(self):
        for approval in self:
            approval.name = _("Credit approval %(order)s", order=approval.order_id.name)

    @api.depends_context("uid")
    @api.depends("state", "approval_group_id", "order_id.user_id", "requested_by_id")
    def _compute_can_decide(self):
        user = self.env.user
        for approval in self:
            approval.can_decide = (
                approval.state == "pending"
                and approval.approval_group_id in user.groups_id
                and user not in (approval.order_id.user_id | approval.requested_by_id)
            )

    def _o2c_grant(self):
        """Return the core :class:`ApprovalGrant` of an approved request, else ``None``."""
        if len(self) != 1 or self.state != "approved":
            return None
        return ApprovalGrant(level=self.approval_level, covered_amount=to_money(self.amount_covered))

    def _check_can_decide(self):
        user = self.env.user
        for approval in self:
            if approval.state != "pending":
                raise UserError(
                    _("The credit approval of %(order)s is no longer pending.", order=approval.order_id.name)
                )
            if approval.approval_group_id not in user.groups_id:
                raise AccessError(
                    _(
                        "Only members of %(group)s can decide on the credit of %(order)s.",
                        group=approval.approval_group_id.full_name,
                        order=approval.order_id.name,
                    )
                )
            if user in (approval.order_id.user_id | approval.requested_by_id):
                raise AccessError(
                    _(
                        "You cannot approve or reject the credit of your own order %(order)s: "
                        "another approver must decide.",
                        order=approval.order_id.name,
                    )
                )

    def _o2c_approve(self, comment=False):
        """Approve the requests and release their orders (quotations are confirmed at once)."""
        self._check_can_decide()
        for approval in self:
            order = approval.order_id
            amount = order._o2c_amount_company()
            if float_compare(amount, approval.amount_covered, precision_rounding=approval.currency_id.rounding) > 0:
                raise ValidationError(
                    _(
                        "The order %(order)s changed since the credit request: its amount went from %(old)s to "
                        "%(new)s. Confirm it again to request a new approval.",
                        order=order.name,
                        old=approval.currency_id.format(approval.amount_covered),
                        new=approval.currency_id.format(amount),
                    )
                )
        now = fields.Datetime.now()
        # sudo: the decider is a member of the rule's approver group, which need not have write access on
        # approvals or on the salesperson's order; _check_can_decide has just checked that they may decide.
        self.sudo().write(
            {"state": "approved", "decided_by_id": self.env.user.id, "decided_on": now, "comment": comment}
        )
        for approval in self:
            body = _("Credit approved by %(user)s.", user=self.env.user.name)
            if comment:
                body += "\n" + _("Comment: %(comment)s", comment=comment)
            approval.order_id.message_post(body=body)
        self._o2c_close_activities(_("Approved"))
        orders = self.order_id
        orders.sudo().write({"o2c_credit_state": "approved"})  # sudo: see above, the decider may not edit orders
        quotations = orders.filtered(lambda order: order.state in ("draft", "sent"))
        if quotations:
            # sudo: the approver confirms on the salesperson's behalf without sales rights; the context keeps who.
            quotations.sudo().with_context(o2c_credit_approver=self.env.uid).action_confirm()
        return True

    def _o2c_reject(self, comment):
        """Reject the requests: their orders stay quotations in the rejected credit state."""
        self._check_can_decide()
        if not comment:
            raise UserError(_("Give the reason of the rejection in the comment."))
        # sudo: as for approving, the decider need not have write access on approvals or orders (checked above).
        self.sudo().write(
            {
                "state": "rejected",
                "decided_by_id": self.env.user.id,
                "decided_on": fields.Datetime.now(),
                "comment": comment,
            }
        )
        self.order_id.sudo().write({"o2c_credit_state": "rejected"})  # sudo: the decider may not edit orders
        for approval in self:
            approval.order_id.message_post(
                body=_("Credit rejected by %(user)s: %(comment)s", user=self.env.user.name, comment=comment),
                partner_ids=approval.order_id.user_id.partner_id.ids,
            )
        self._o2c_close_activities(_("Rejected"))
        return True

    def _o2c_close_activities(self, feedback):
        activity_type = self.env.ref("o2c_credit.mail_activity_type_credit_approval")
        activities = (
            # sudo: the request's activities are assigned to every approver, and a user may only edit their own.
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "in", self.order_id.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        activities.action_feedback(feedback=feedback)

    def action_approve(self):
        """Open the dialog to approve with a comment."""
        return self._o2c_decision_dialog("approve")

    def action_reject(self):
        """Open the dialog to reject with a comment."""
        return self._o2c_decision_dialog("reject")

    def _o2c_decision_dialog(self, decision):
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve credit") if decision == "approve" else _("Reject credit"),
            "res_model": "o2c.credit.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_approval_ids": self.ids, "default_decision": decision},
        }

    def action_open_order(self):
        """Open the order of this request."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
        }
