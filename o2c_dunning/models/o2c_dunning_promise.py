from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount, format_date

from ..core import promise as promise_core


class O2cDunningPromise(models.Model):
    """A customer's promise to pay some invoices by a date: dunning of those invoices pauses until then."""

    _name = "o2c.dunning.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread"]
    _order = "promise_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, domain="[('parent_id', '=', False)]"
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    promise_date = fields.Date(string="Promised payment date", required=True, tracking=True)
    amount = fields.Monetary(string="Promised amount", required=True, tracking=True)
    residual_at_promise = fields.Monetary(
        string="Open amount when promised",
        readonly=True,
        help="Open amount of the invoices when the promise was logged.",
    )
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
    )
    note = fields.Text()
    user_id = fields.Many2one("res.users", string="Logged by", default=lambda self: self.env.user)

    @api.depends("partner_id", "amount", "currency_id", "promise_date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = _(
                "%(customer)s: %(amount)s by %(date)s",
                customer=promise.partner_id.display_name or "",
                amount=format_amount(self.env, promise.amount, promise.currency_id) if promise.currency_id else "",
                date=format_date(self.env, promise.promise_date),
            )

    def _creation_message(self):
        """The chatter line of a new promise (its own sentence, so that French can agree in gender)."""
        return _("Promise to pay created")

    @api.constrains("amount")
    def _check_amount(self):
        """A promise is for a positive amount."""
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(
                    _("The promised amount of %(customer)s must be positive.", customer=promise.partner_id.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Remember the open amount of the invoices, to tell later whether the promise was kept."""
        promises = super().create(vals_list)
        for promise in promises:
            promise.residual_at_promise = sum(promise.move_ids.mapped("amount_residual"))
        return promises

    @api.model
    def _o2c_close_due(self, company, run_date):
        """Close the open promises of `company` due before `run_date` (the dunning run does it first): kept
        when the promised amount was paid, else broken — their invoices then get the next level at once.
        Returns the promises closed."""
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "open"), ("promise_date", "<", run_date)]
        )
        if not promises:
            return promises
        promises.move_ids.fetch(["amount_residual"])
        kept = promises.filtered(
            lambda p: promise_core.promise_kept(
                p.residual_at_promise, p.move_ids.mapped("amount_residual"), p.amount, p.currency_id.rounding
            )
        )
        broken = promises - kept
        kept.write({"state": "kept"})
        broken.write({"state": "broken"})
        broken_moves = broken.move_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        broken_moves.write({"o2c_dunning_escalate": True})
        broken_moves._message_log_batch(
            bodies={
                move.id: escape(_("Promise to pay broken: dunning resumes at the next level.")) for move in broken_moves
            }
        )
        return promises
