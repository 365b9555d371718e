from collections import defaultdict
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.money import ZERO, to_money
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..core import assess_risk
from .o2c_credit_exposure import NO_FIGURES, RISK_GRADES

# Fields only a credit manager may change: the credit policy of a customer.
CREDIT_POLICY_FIELDS = {
    "credit_limit",
    "use_partner_credit_limit",
    "o2c_credit_hold",
    "o2c_credit_hold_reason",
    "o2c_credit_review_date",
    "o2c_insurer_id",
    "o2c_insured_amount",
    "o2c_insurance_policy",
    "o2c_insurance_expiry",
}
MANAGER_GROUP = "o2c_credit.group_o2c_credit_manager"
# Odoo's own credit limit fields, which Odoo 18 lets accounting administrators change.
ODOO_LIMIT_FIELDS = {"credit_limit", "use_partner_credit_limit"}
ACCOUNT_MANAGER_GROUP = "account.group_account_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Tracked, like the suite's policy fields, so the chatter shows who changed the limit and from what.
    credit_limit = fields.Float(tracking=True)
    o2c_credit_hold = fields.Boolean(
        string="Manual Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Put every new order of this customer on credit hold, whatever its exposure.",
    )
    o2c_credit_hold_reason = fields.Char(string="Credit Hold Reason", company_dependent=True, tracking=True)
    o2c_credit_review_date = fields.Date(
        string="Credit Review Date",
        company_dependent=True,
        help="On this date the daily alert gives the credit manager an activity to review this customer.",
    )
    o2c_insurer_id = fields.Many2one("res.partner", string="Credit Insurer", company_dependent=True, tracking=True)
    o2c_insured_amount = fields.Float(string="Insured Amount", company_dependent=True, tracking=True)
    o2c_insurance_policy = fields.Char(string="Insurance Policy", company_dependent=True, tracking=True)
    o2c_insurance_expiry = fields.Date(string="Insurance Expiry", company_dependent=True, tracking=True)
    o2c_credit_checked_at = fields.Datetime(
        string="Last Credit Check", readonly=True, copy=False, help="Last time an order of this customer was checked."
    )
    o2c_temporary_limit_ids = fields.One2many(
        "o2c.credit.limit.temporary", "partner_id", string="Temporary Limits", groups=MANAGER_GROUP
    )

    o2c_exposure_not_due = fields.Monetary(string="Open, Not Due", compute="_compute_o2c_credit_figures")
    o2c_exposure_overdue = fields.Monetary(string="Overdue", compute="_compute_o2c_credit_figures")
    o2c_exposure_credits = fields.Monetary(string="Unapplied Credits", compute="_compute_o2c_credit_figures")
    o2c_days_past_due = fields.Integer(string="Oldest Days Past Due", compute="_compute_o2c_credit_figures")
    o2c_exposure_uninvoiced = fields.Monetary(
        string="Confirmed Orders Not Invoiced", compute="_compute_o2c_credit_figures"
    )
    o2c_exposure_draft = fields.Monetary(string="Draft Invoices", compute="_compute_o2c_credit_figures")
    o2c_exposure_total = fields.Monetary(string="Total Exposure", compute="_compute_o2c_credit_figures")
    o2c_credit_available = fields.Monetary(string="Available Credit", compute="_compute_o2c_credit_figures")
    o2c_credit_usage = fields.Float(string="Limit Used (%)", compute="_compute_o2c_credit_figures")
    o2c_avg_days_late = fields.Float(string="Average Days Late", compute="_compute_o2c_credit_figures")
    o2c_on_time_share = fields.Float(string="Paid On Time (%)", compute="_compute_o2c_credit_figures")
    o2c_dso = fields.Float(string="DSO (days)", compute="_compute_o2c_credit_figures")
    o2c_late_count = fields.Integer(string="Invoices Paid Late", compute="_compute_o2c_credit_figures")
    o2c_paid_count = fields.Integer(string="Invoices Paid", compute="_compute_o2c_credit_figures")
    o2c_last_payment_date = fields.Date(string="Last Payment", compute="_compute_o2c_credit_figures")
    o2c_risk_score = fields.Integer(string="Risk Score", compute="_compute_o2c_credit_figures")
    o2c_risk_grade = fields.Selection(RISK_GRADES, string="Risk Grade", compute="_compute_o2c_credit_figures")
    o2c_risk_reasons = fields.Text(string="Risk Reasons", compute="_compute_o2c_credit_figures")

    @api.depends_context("company")
    def _compute_o2c_credit_figures(self):
        company = self.env.company
        commercial = self.commercial_partner_id
        figures = self.env["o2c.credit.exposure"]._fetch_figures(company, commercial)
        for partner in self:
            entity = partner.commercial_partner_id
            exposure, behaviour, limit = figures.get(entity.id, NO_FIGURES)
            risk = entity._o2c_assess_risk(exposure, behaviour, limit)
            partner.o2c_exposure_not_due = exposure.not_due
            partner.o2c_exposure_overdue = exposure.overdue
            partner.o2c_exposure_credits = exposure.credits
            partner.o2c_days_past_due = exposure.days_past_due
            partner.o2c_exposure_uninvoiced = exposure.uninvoiced_orders
            partner.o2c_exposure_draft = exposure.draft_invoices
            partner.o2c_exposure_total = exposure.total
            partner.o2c_credit_available = limit - exposure.total if limit else 0.0
            partner.o2c_credit_usage = 100 * exposure.total / limit if limit else 0.0
            partner.o2c_avg_days_late = behaviour.avg_days_late
            partner.o2c_on_time_share = 100.0 * behaviour.on_time_share
            partner.o2c_dso = behaviour.dso(exposure.receivable)
            partner.o2c_late_count = behaviour.late_count
            partner.o2c_paid_count = behaviour.paid_count
            partner.o2c_last_payment_date = behaviour.last_payment_date
            partner.o2c_risk_score = risk.score
            partner.o2c_risk_grade = risk.grade
            partner.o2c_risk_reasons = "\n".join(self._o2c_reason_text(reason) for reason in risk.reasons) or _(
                "No warning sign."
            )

    def _o2c_assess_risk(self, exposure, behaviour, limit):
        """Return the core's risk assessment of this commercial partner in the current company."""
        self.ensure_one()
        return assess_risk(exposure, behaviour, limit, trust=self.trust or "normal", on_hold=self.o2c_credit_hold)

    def _o2c_insured_amount(self, today):
        """Return (insured, amount): whether the customer has a credit insurance policy, and the amount
        it covers today (zero once the policy has expired)."""
        self.ensure_one()
        insured = bool(self.o2c_insurer_id or self.o2c_insured_amount)
        valid = insured and (not self.o2c_insurance_expiry or self.o2c_insurance_expiry >= today)
        return insured, to_money(self.o2c_insured_amount) if valid else ZERO

    @api.model
    def _o2c_reason_text(self, reason):
        """Return the translated sentence of a core :class:`Reason`."""
        money = self.env.company.currency_id
        # The core's amounts are Decimals; Odoo formats floats.
        figures = {key: float(value) if isinstance(value, Decimal) else value for key, value in reason.params.items()}
        params = {
            key: money.format(value)
            if key in ("amount", "exposure", "limit", "excess", "insured")
            # Other figures (days late on average) in the reader's number format: "12,5" in French.
            else formatLang(self.env, value, digits=0 if value.is_integer() else 1)
            if isinstance(value, float)
            else value
            for key, value in figures.items()
        }
        if reason.code == "over_limit" and "threshold" in params or reason.code in ("overdue_amount", "order_amount"):
            params["threshold"] = money.format(figures["threshold"])
        templates = {
            "over_limit": _("Exposure %(exposure)s is over the credit limit %(limit)s by %(excess)s."),
            "near_limit": _("Exposure uses %(percent)s %% of the credit limit."),
            "limit_exceeded": _("Exposure is at %(percent)s %% of the credit limit."),
            "overdue_amount": _("Overdue amount %(amount)s is above %(threshold)s."),
            "overdue": _("%(amount)s overdue, the oldest for %(days)s days."),
            "overdue_days": _("Oldest overdue invoice is %(days)s days past due (more than %(threshold)s)."),
            "manual_hold": _("The customer is on manual credit hold."),
            "new_customer": _("New customer without payment history."),
            "no_history": _("No payment history over the last 12 months."),
            "risk_grade": _("Risk grade %(grade)s (rule from grade %(threshold)s)."),
            "order_amount": _("Order amount %(amount)s is above %(threshold)s."),
            "insured_exceeded": _("Exposure %(exposure)s is above the insured amount %(insured)s."),
            "avg_days_late": _("Pays %(days)s days late on average."),
            "on_time_share": _("Only %(percent)s %% of invoices paid on time."),
            "bad_debtor": _("Marked as a bad debtor."),
        }
        return templates.get(reason.code, reason.code) % params

    def _o2c_credit_policy_changes(self, vals):
        """Return the credit policy fields whose value in ``vals`` differs from the current one of a partner
        of ``self`` (Odoo's inverse of "Partner Limit" writes the unchanged limit on every new customer); on
        create (``self`` empty) every field given."""
        if not self:
            return CREDIT_POLICY_FIELDS.intersection(vals)
        changed = set()
        partners = self.sudo()  # the current value of a field the user may not read is still compared
        for fname in CREDIT_POLICY_FIELDS.intersection(vals):
            field = self._fields[fname]
            for partner in partners:
                if field.convert_to_record(field.convert_to_cache(vals[fname], partner), partner) != partner[fname]:
                    changed.add(fname)
                    break
        return changed

    def _o2c_check_credit_policy_access(self, vals):
        if self.env.su or not CREDIT_POLICY_FIELDS.intersection(vals) or self.env.user.has_group(MANAGER_GROUP):
            return
        changed = self._o2c_credit_policy_changes(vals)
        if self.env.user.has_group(ACCOUNT_MANAGER_GROUP):
            changed -= ODOO_LIMIT_FIELDS
        if changed:
            raise AccessError(
                _(
                    "Only a credit manager can change credit holds or credit insurance, and only a credit manager "
                    "or an accounting administrator can change credit limits (fields: %(fields)s).",
                    fields=", ".join(sorted(changed)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._o2c_check_credit_policy_access({key: value for key, value in vals.items() if value})
        return super().create(vals_list)

    def write(self, vals):
        self._o2c_check_credit_policy_access(vals)
        return super().write(vals)

    @api.constrains("credit_limit", "o2c_insured_amount")
    def _check_o2c_credit_amounts(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    _("The credit limit of %(partner)s cannot be negative.", partner=partner.display_name)
                )
            if partner.o2c_insured_amount < 0:
                raise ValidationError(
                    _("The insured amount of %(partner)s cannot be negative.", partner=partner.display_name)
                )

    def _o2c_lock_for_credit_check(self):
        """Lock the commercial partners while their orders are checked, and stamp the check.

        Writing the row (not only ``SELECT ... FOR UPDATE``) matters: a concurrent transaction
        that took its snapshot before our commit then fails with a serialization error and is
        retried, so it sees the order we confirmed instead of slipping under the limit with it.
        """
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET o2c_credit_checked_at = %s WHERE id IN %s",
                fields.Datetime.now(),
                tuple(sorted(self.ids)),
            )
        )
        self.invalidate_recordset(["o2c_credit_checked_at"])

    def action_o2c_view_credit_orders(self):
        """Open the orders of this customer waiting on a credit decision."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_credit.o2c_credit_hold_order_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.model
    def _cron_o2c_credit_alerts(self):
        """Daily alerts of every company: see :meth:`_o2c_credit_alerts`."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            self.with_company(company)._o2c_credit_alerts(company)

    def _o2c_credit_alerts(self, company):
        """Give the credit manager of ``company`` one activity per new warning sign.

        Customers crossing 90 % of their limit, invoices newly overdue above the threshold,
        insurance expiring within 30 days, review date reached. An open activity of the same kind
        on the customer is never doubled, so running twice a day changes nothing.
        """
        today = fields.Date.context_today(self)
        manager = company._o2c_credit_manager()
        if not manager:
            return
        exposures = (
            self.env["o2c.credit.exposure"]
            .with_company(company)
            .search([("company_id", "=", company.id), ("credit_limit", ">", 0), ("limit_usage", ">=", 90)])
        )
        alerts = {
            "o2c_credit.mail_activity_type_credit_limit": exposures.partner_id,
        }
        since = company.o2c_credit_alert_last_run or fields.Date.subtract(today, days=1)
        overdue_lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("date_maturity", ">=", since),
                ("date_maturity", "<", today),
                ("amount_residual", ">=", company.o2c_credit_overdue_alert_amount or 0.0),
                ("amount_residual", ">", 0),
            ]
        )
        alerts["o2c_credit.mail_activity_type_credit_overdue"] = overdue_lines.partner_id.commercial_partner_id
        alerts["o2c_credit.mail_activity_type_credit_insurance"] = self.search(
            [
                ("o2c_insurance_expiry", ">=", today),
                ("o2c_insurance_expiry", "<=", fields.Date.add(today, days=30)),
            ]
        )
        alerts["o2c_credit.mail_activity_type_credit_review"] = self.search(
            [("o2c_credit_review_date", "!=", False), ("o2c_credit_review_date", "<=", today)]
        )
        summaries = {
            "o2c_credit.mail_activity_type_credit_limit": _("Customer above 90 % of its credit limit"),
            "o2c_credit.mail_activity_type_credit_overdue": _("New overdue invoice above the alert threshold"),
            "o2c_credit.mail_activity_type_credit_insurance": _("Credit insurance expires within 30 days"),
            "o2c_credit.mail_activity_type_credit_review": _("Credit review date reached"),
        }
        all_partners = self.browse().union(*alerts.values())
        existing = self.env["mail.activity"].search_fetch(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", all_partners.ids),
                ("activity_type_id", "in", [self.env.ref(xmlid).id for xmlid in alerts]),
            ],
            ["res_id", "activity_type_id"],
        )
        done = {(activity.res_id, activity.activity_type_id.id) for activity in existing}
        model_id = self.env["ir.model"]._get_id("res.partner")
        # mail.activity.create subscribes the assignee once per record of a batch: a partner with two
        # alerts in the same batch would be subscribed twice (unique constraint), so the k-th alert of
        # each partner goes into the k-th batch.
        batches = defaultdict(list)
        alerts_per_partner = defaultdict(int)
        for xmlid, partners in alerts.items():
            activity_type = self.env.ref(xmlid)
            for partner in partners:
                if (partner.id, activity_type.id) in done:
                    continue
                batches[alerts_per_partner[partner.id]].append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": activity_type.id,
                        "summary": summaries[xmlid],
                        "user_id": manager.id,
                        "date_deadline": today,
                    }
                )
                alerts_per_partner[partner.id] += 1
        for values in batches.values():
            self.env["mail.activity"].create(values)
        company.o2c_credit_alert_last_run = today
