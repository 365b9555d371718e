from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount, format_date


class O2cCreditLimitTemporary(models.Model):
    """A credit limit raised until an end date: the customer's limit goes back by itself afterwards."""

    _name = "o2c.credit.limit.temporary"
    _description = "Temporary Credit Limit"
    _inherit = ["mail.thread"]
    _order = "date_end desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Temporary Limit", required=True, tracking=True)
    previous_limit = fields.Monetary(string="Limit Before", readonly=True)
    date_end = fields.Date(string="Until", required=True, tracking=True)
    reason = fields.Char(required=True, tracking=True)
    state = fields.Selection(
        [("active", "Active"), ("reverted", "Reverted")], default="active", required=True, readonly=True, tracking=True
    )

    @api.depends("partner_id", "amount", "currency_id", "date_end")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for limit in self:
            limit.display_name = _(
                "%(customer)s: limit %(amount)s until %(date)s",
                customer=limit.partner_id.display_name or "",
                amount=format_amount(self.env, limit.amount, limit.currency_id) if limit.currency_id else "",
                date=format_date(self.env, limit.date_end),
            )

    def _creation_message(self):
        """The chatter line of a new temporary limit (its own sentence, so that French can agree in gender)."""
        return _("Temporary credit limit created")

    @api.constrains("amount", "date_end")
    def _check_values(self):
        today = fields.Date.context_today(self)
        for limit in self:
            if limit.amount < 0:
                raise ValidationError(_("A temporary credit limit cannot be negative."))
            if limit.state == "active" and limit.date_end < today:
                raise ValidationError(_("The end date of a temporary credit limit cannot be in the past."))

    @api.model_create_multi
    def create(self, vals_list):
        limits = super().create(vals_list)
        for limit in limits:
            partner = limit.partner_id.commercial_partner_id.with_company(limit.company_id)
            if limit.partner_id != partner:
                limit.partner_id = partner
            others = self.search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", limit.company_id.id),
                    ("state", "=", "active"),
                    ("id", "!=", limit.id),
                ]
            )
            if others:
                raise ValidationError(
                    _(
                        "%(partner)s already has an active temporary limit until %(date)s: revert it first.",
                        partner=partner.display_name,
                        date=others[0].date_end,
                    )
                )
            limit.previous_limit = partner.credit_limit
            partner.credit_limit = limit.amount
            partner.message_post(
                body=_(
                    "Credit limit raised to %(amount)s until %(date)s: %(reason)s",
                    amount=limit.currency_id.format(limit.amount),
                    date=limit.date_end,
                    reason=limit.reason,
                )
            )
        return limits

    def action_revert(self):
        """Put back the limit each customer had before, unless someone changed it since."""
        for limit in self.filtered(lambda limit: limit.state == "active"):
            partner = limit.partner_id.with_company(limit.company_id)
            if limit.company_id.currency_id.compare_amounts(partner.credit_limit, limit.amount) == 0:
                partner.credit_limit = limit.previous_limit
                body = _(
                    "Temporary credit limit ended: the limit is back to %(amount)s.",
                    amount=limit.currency_id.format(limit.previous_limit),
                )
            else:
                body = _("Temporary credit limit ended; the limit was changed meanwhile and stays as it is.")
            limit.state = "reverted"
            partner.message_post(body=body)
        return True

    @api.model
    def _cron_revert_expired(self):
        """Revert the temporary limits whose end date has passed."""
        expired = self.search([("state", "=", "active"), ("date_end", "<", fields.Date.context_today(self))])
        # sudo: the end of a temporary limit is the system's decision, not the user's who may run the cron by hand;
        # reverting writes the customer's credit limit, which only credit managers may change.
        expired.sudo().action_revert()
