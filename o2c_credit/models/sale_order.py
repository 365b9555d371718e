from dataclasses import replace
from decimal import Decimal

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.money import ZERO, to_money
from odoo.exceptions import UserError

from ..core import CreditFacts, Reason, evaluate
from .o2c_credit_exposure import NO_FIGURES


def _json_params(params):
    """Return a reason's figures as JSON-ready values: the core's Decimal amounts as floats."""
    return {key: float(value) if isinstance(value, Decimal) else value for key, value in params.items()}


CREDIT_STATES = [
    ("none", "Not checked"),
    ("ok", "Within policy"),
    ("warning", "Confirmed with warning"),
    ("hold", "Credit hold"),
    ("blocked", "Credit blocked"),
    ("approved", "Credit approved"),
    ("rejected", "Credit rejected"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Odoo's warning reads the customer's credit_limit, a field of invoicing users only: with credit
    # limits on, a salesperson opening a quotation got an access error.
    partner_credit_warning = fields.Text(compute_sudo=True)
    o2c_credit_state = fields.Selection(
        CREDIT_STATES, string="Credit Status", default="none", copy=False, readonly=True, tracking=True, index=True
    )
    # The reasons as rule ids, codes and figures: each reader reads them in his language, whoever ran the check.
    o2c_credit_reason_data = fields.Json(string="Credit Check Reason Codes", copy=False, readonly=True)
    o2c_credit_reasons = fields.Text(string="Credit Check Reasons", compute="_compute_o2c_credit_reasons")
    o2c_credit_approval_id = fields.Many2one(
        "o2c.credit.approval", string="Credit Approval", copy=False, readonly=True, index="btree_not_null"
    )
    o2c_credit_approval_ids = fields.One2many("o2c.credit.approval", "order_id", string="Credit Approvals", copy=False)
    o2c_credit_can_decide = fields.Boolean(related="o2c_credit_approval_id.can_decide", string="Can Decide Credit")
    o2c_company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    o2c_exposure_receivable = fields.Monetary(
        string="Open Invoices", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_exposure_overdue = fields.Monetary(
        string="Overdue", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_days_past_due = fields.Integer(string="Oldest Days Past Due", compute="_compute_o2c_exposure")
    o2c_exposure_uninvoiced = fields.Monetary(
        string="Other Confirmed Orders", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_exposure_draft = fields.Monetary(
        string="Draft Invoices", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_exposure_order = fields.Monetary(
        string="This Order", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_exposure_total = fields.Monetary(
        string="Total Exposure", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_credit_limit = fields.Monetary(
        string="Credit Limit", compute="_compute_o2c_exposure", currency_field="o2c_company_currency_id"
    )
    o2c_risk_grade = fields.Selection(related="partner_id.commercial_partner_id.o2c_risk_grade", string="Risk Grade")

    def _o2c_amount_company(self):
        """Return the order total in company currency."""
        self.ensure_one()
        amount = self.amount_total / self.currency_rate if self.currency_rate else self.amount_total
        return self.company_id.currency_id.round(amount)

    @api.depends("partner_id", "company_id", "amount_total", "state")
    def _compute_o2c_exposure(self):
        for company, orders in self.grouped("company_id").items():
            figures = (
                self.env["o2c.credit.exposure"]
                .with_company(company)
                ._fetch_figures(
                    company,
                    orders.partner_id.commercial_partner_id,
                    exclude_orders=orders.filtered("id"),
                    with_sales=False,
                )
            )
            for order in orders:
                entity = order.partner_id.commercial_partner_id
                exposure, _behaviour, limit = figures.get(entity.id, NO_FIGURES)
                amount = to_money(order._o2c_amount_company()) if order.state != "cancel" else ZERO
                exposure = exposure.with_order(amount)
                order.o2c_exposure_receivable = exposure.receivable
                order.o2c_exposure_overdue = exposure.overdue
                order.o2c_days_past_due = exposure.days_past_due
                order.o2c_exposure_uninvoiced = exposure.uninvoiced_orders
                order.o2c_exposure_draft = exposure.draft_invoices
                order.o2c_exposure_order = exposure.current_order
                order.o2c_exposure_total = exposure.total
                order.o2c_credit_limit = limit
        (self - self.filtered("company_id")).update(
            {
                "o2c_exposure_receivable": 0.0,
                "o2c_exposure_overdue": 0.0,
                "o2c_days_past_due": 0,
                "o2c_exposure_uninvoiced": 0.0,
                "o2c_exposure_draft": 0.0,
                "o2c_exposure_order": 0.0,
                "o2c_exposure_total": 0.0,
                "o2c_credit_limit": 0.0,
            }
        )

    def _o2c_credit_evaluate(self):
        """Lock the customers, evaluate the credit rules and return ``{order: (Decision, CreditFacts)}``.

        Orders of one customer checked together add up: each one sees the ones before it.
        The number of queries does not depend on the number of invoices or orders of the customer.
        """
        result = {}
        # Read only what the check needs: a cold fetch of all the columns of the user, orders,
        # customers, companies and rules would cost more than the exposure query itself.
        if "tz" not in self.env.context:
            self.env.user.fetch(["partner_id"])
            self.env.user.partner_id.fetch(["tz"])
        today = fields.Date.context_today(self)
        self.fetch(["company_id", "partner_id", "amount_total", "currency_rate", "o2c_credit_approval_id"])
        self.partner_id.fetch(["commercial_partner_id"])
        self.company_id.fetch(["account_use_credit_limit", "currency_id"])
        self.company_id.currency_id.fetch(["rounding", "decimal_places"])
        for company, orders in self.grouped("company_id").items():
            partners = orders.partner_id.commercial_partner_id.with_company(company)
            # sudo: Odoo lets only accounting users read credit_limit, and a salesperson's confirmation is checked.
            partners.sudo().fetch(
                [
                    "credit_limit",
                    "trust",
                    "o2c_credit_hold",
                    "o2c_insurer_id",
                    "o2c_insured_amount",
                    "o2c_insurance_expiry",
                ]
            )
            partners._o2c_lock_for_credit_check()
            figures = (
                self.env["o2c.credit.exposure"]
                .with_company(company)
                ._fetch_figures(company, partners, exclude_orders=orders, with_sales=False)
            )
            # sudo: the rules in force are the order's company's, whatever companies the confirming user has
            # selected; an e-commerce or portal confirmation has no access to rules at all.
            Rule = self.env["o2c.credit.rule"].sudo()
            rules = Rule.search_fetch([("company_id", "=", company.id)], Rule._o2c_spec_fields())
            specs = [rule._o2c_spec() for rule in rules]
            added = {}
            for order in orders:
                entity = order.partner_id.commercial_partner_id.with_company(company)
                exposure, behaviour, limit = figures.get(entity.id, NO_FIGURES)
                risk = entity._o2c_assess_risk(exposure, behaviour, limit)
                amount = to_money(order._o2c_amount_company())
                exposure = replace(
                    exposure,
                    uninvoiced_orders=exposure.uninvoiced_orders + added.get(entity.id, ZERO),
                    current_order=amount,
                )
                insured, insured_amount = entity._o2c_insured_amount(today)
                facts = CreditFacts(
                    exposure=exposure,
                    limit=limit,
                    insured=insured,
                    insured_amount=insured_amount,
                    on_hold=entity.o2c_credit_hold,
                    has_history=behaviour.has_history,
                    risk_grade=risk.grade,
                    order_amount=amount,
                )
                # sudo: the approval was decided by someone else; whoever confirms the order must see its grant.
                grant = order.o2c_credit_approval_id.sudo()._o2c_grant()
                decision = evaluate(specs, facts, grant=grant)
                if decision.confirms:
                    added[entity.id] = added.get(entity.id, ZERO) + amount
                result[order] = (decision, facts)
        return result

    def action_confirm(self):
        """Confirm the orders that pass the credit rules; put the others on credit hold."""
        to_check = self.filtered(
            lambda order: order.company_id.o2c_credit_hold_orders and order.state in ("draft", "sent")
        )
        if not to_check:
            return super().action_confirm()
        results = to_check._o2c_credit_evaluate()
        held = self.browse()
        for order, (decision, facts) in results.items():
            if decision.confirms:
                order._o2c_credit_record_pass(decision, facts)
            else:
                held |= order
        held._o2c_credit_hold(results)
        to_confirm = self - held
        res = super(SaleOrder, to_confirm).action_confirm() if to_confirm else True
        if held:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": _("Credit hold"),
                    "message": _(
                        "%(orders)s not confirmed: the credit rules hold it. The reasons are in the chatter.",
                        orders=", ".join(held.mapped("name")),
                    ),
                    "type": "warning",
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return res

    def _create_invoices(self, grouped=False, final=False, date=None):
        """Refuse to invoice a confirmed order that grew beyond its credit approval until it is approved again."""
        held = self.filtered(
            lambda order: order.state == "sale" and order.o2c_credit_state in ("hold", "blocked", "rejected")
        )
        if held:
            raise UserError(
                _(
                    "%(orders)s cannot be invoiced: the order grew beyond its credit approval and waits for a new "
                    "credit decision.",
                    orders=", ".join(held.mapped("name")),
                )
            )
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    @api.depends("o2c_credit_reason_data", "company_id")
    @api.depends_context("lang")
    def _compute_o2c_credit_reasons(self):
        rule_names = self._o2c_reason_rule_names(self.mapped("o2c_credit_reason_data"))
        for order in self:
            order.o2c_credit_reasons = order.with_company(order.company_id or self.env.company)._o2c_reasons_plain(
                order.o2c_credit_reason_data, rule_names
            )

    @api.model
    def _o2c_reasons_data(self, decision):
        """Return the reasons of a credit ``decision`` as JSON data: per fired rule, its id and its reasons' codes
        and figures."""
        return [
            {
                "rule_id": fired.rule.rule_id,
                "reasons": [{"code": reason.code, "params": _json_params(reason.params)} for reason in fired.reasons],
            }
            for fired in decision.fired
        ]

    @api.model
    def _o2c_reason_rule_names(self, data_list):
        """Return {rule id: name in the user's language} of the rules that reason data ``data_list`` name."""
        rule_ids = list({fired["rule_id"] for data in data_list for fired in data or ()})
        # sudo: the fired rules are named to the salesperson, whatever their companies or rights on rules.
        rules = self.env["o2c.credit.rule"].sudo().with_context(active_test=False)
        return {rule.id: rule.name for rule in rules.search_fetch([("id", "in", rule_ids)], ["name"])}

    @api.model
    def _o2c_reasons_render(self, data, rule_names=None):
        """Return reason ``data`` (see `_o2c_reasons_data`) in the user's language: [(rule name, [sentences])].

        ``rule_names``: the rules' names (`_o2c_reason_rule_names`), read here when not given."""
        if rule_names is None:
            rule_names = self._o2c_reason_rule_names([data])
        partner_model = self.env["res.partner"]
        return [
            (
                rule_names.get(fired["rule_id"], ""),
                [
                    partner_model._o2c_reason_text(Reason(reason["code"], reason.get("params") or {}))
                    for reason in fired["reasons"]
                ],
            )
            for fired in data or ()
        ]

    @api.model
    def _o2c_reasons_plain(self, data, rule_names=None):
        """Return reason ``data`` as plain text in the user's language, one line per rule."""
        return "\n".join(
            self.env._("%(rule)s: %(reasons)s", rule=name, reasons=" ".join(texts))
            for name, texts in self._o2c_reasons_render(data, rule_names)
        )

    def _o2c_reasons_text(self, decision):
        # sudo: the fired rules are named to the salesperson, whatever their companies or rights on rules.
        rules = self.env["o2c.credit.rule"].sudo().browse([fired.rule.rule_id for fired in decision.fired])
        names = {rule.id: rule.name for rule in rules}
        partner_model = self.env["res.partner"].with_company(self.company_id)
        return [
            (names.get(fired.rule.rule_id, ""), [partner_model._o2c_reason_text(reason) for reason in fired.reasons])
            for fired in decision.fired
        ]

    def _o2c_reasons_html(self, title, reasons):
        items = Markup().join(
            Markup("<li>%s</li>")
            % self.env._("%(rule)s: %(reasons)s", rule=Markup("<b>%s</b>") % name, reasons=" ".join(texts))
            for name, texts in reasons
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (title, items)

    def _o2c_credit_record_pass(self, decision, facts):
        self.ensure_one()
        state = {"pass": "ok", "warn": "warning", "approved": "approved"}[decision.outcome]
        reasons = self._o2c_reasons_text(decision)
        # sudo: the credit state is the system's verdict, written whoever triggered the check.
        self.sudo().write(
            {
                "o2c_credit_state": state,
                "o2c_credit_reason_data": self._o2c_reasons_data(decision),
            }
        )
        if decision.outcome == "warn":
            self.message_post(body=self._o2c_reasons_html(_("Credit warning:"), reasons))

    def _o2c_credit_hold(self, results):
        """Put the orders on credit hold (or block), record the approval requests and notify approvers."""
        # sudo: the salesperson may only read approvals; the request is recorded (and an older pending one
        # cancelled) by the system on their behalf, as is the order's credit state below.
        Approval = self.env["o2c.credit.approval"].sudo()
        now = fields.Datetime.now()
        activity_type = self.env.ref("o2c_credit.mail_activity_type_credit_approval")
        for order in self:
            decision, facts = results[order]
            reasons = order._o2c_reasons_text(decision)
            reason_data = order._o2c_reasons_data(decision)
            # sudo: as above, the system cancels the older pending request.
            pending = order.o2c_credit_approval_ids.sudo().filtered(lambda approval: approval.state == "pending")
            pending.write({"state": "cancelled"})
            if decision.outcome == "block":
                # sudo: the credit state is the system's verdict, written whoever triggered the check.
                order.sudo().write({"o2c_credit_state": "blocked", "o2c_credit_reason_data": reason_data})
                order.message_post(
                    body=order._o2c_reasons_html(_("Credit blocked: the order cannot be confirmed."), reasons)
                )
                continue
            exposure = facts.exposure
            approval = Approval.create(
                {
                    "order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "requested_by_id": self.env.user.id,
                    "requested_on": now,
                    "rule_ids": [fired.rule.rule_id for fired in decision.fired],
                    "reason_data": reason_data,
                    "approval_level": decision.required_level,
                    "approval_group_id": decision.approval_rule.approval_group_id,
                    "amount_covered": facts.order_amount,
                    "credit_limit": facts.limit,
                    "exposure_not_due": exposure.not_due,
                    "exposure_overdue": exposure.overdue,
                    "days_past_due": exposure.days_past_due,
                    "exposure_uninvoiced": exposure.uninvoiced_orders,
                    "exposure_draft": exposure.draft_invoices,
                    "exposure_credits": exposure.credits,
                    "exposure_total": exposure.total,
                }
            )
            # sudo: the credit state is the system's verdict, written whoever triggered the check.
            order.sudo().write(
                {
                    "o2c_credit_state": "hold",
                    "o2c_credit_reason_data": reason_data,
                    "o2c_credit_approval_id": approval.id,
                }
            )
            order.message_post(
                body=order._o2c_reasons_html(
                    _("Credit hold: approval by %(group)s needed.", group=approval.approval_group_id.full_name), reasons
                )
            )
            # sudo: a group's members are readable by administrators only; the salesperson notifies them.
            approvers = approval.approval_group_id.sudo().users.filtered(
                lambda user, order=order: (
                    user.active
                    and not user.share
                    and order.company_id in user.company_ids
                    and user not in (order.user_id | self.env.user)
                )
            )
            for approver in approvers:
                # Each approver reads the request in his own language, whoever confirmed the order.
                in_his_lang = order.with_company(order.company_id).with_context(lang=approver.lang)
                # sudo: a salesperson may not assign activities to other users.
                order.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=in_his_lang.env._("Approve the credit of %(order)s", order=order.name),
                    note=in_his_lang._o2c_reasons_plain(reason_data),
                    user_id=approver.id,
                )

    def _o2c_credit_recheck_grown(self):
        """Evaluate again the confirmed orders whose total grew beyond their approved amount."""
        grown = self.filtered(
            lambda order: (
                order.state == "sale"
                and order.o2c_credit_approval_id.state == "approved"
                and order.company_id.o2c_credit_hold_orders
                and order.company_id.currency_id.compare_amounts(
                    order._o2c_amount_company(), order.o2c_credit_approval_id.amount_covered
                )
                > 0
            )
        )
        if not grown:
            return
        results = grown._o2c_credit_evaluate()
        held = grown.filtered(lambda order: not results[order][0].confirms)
        for order in held:
            order.message_post(body=_("The order total grew beyond its credit approval: the credit rules apply again."))
        held._o2c_credit_hold(results)

    def action_o2c_credit_approve(self):
        """Open the dialog to approve the pending credit request of this order."""
        self.ensure_one()
        return self.o2c_credit_approval_id.action_approve()

    def action_o2c_credit_reject(self):
        """Open the dialog to reject the pending credit request of this order."""
        self.ensure_one()
        return self.o2c_credit_approval_id.action_reject()

    def action_o2c_credit_approvals(self):
        """Open the credit approvals of this order."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_credit.o2c_credit_approval_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        return action
