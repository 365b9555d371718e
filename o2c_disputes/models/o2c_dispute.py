from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..core import service_level
from .o2c_dispute_reason import DISPUTE_TEAMS

DISPUTE_OUTCOMES = [("accepted", "Accepted in full"), ("partial", "Accepted in part"), ("rejected", "Rejected")]


class O2cDispute(models.Model):
    _name = "o2c.dispute"
    _description = "Dispute"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_open desc, id desc"
    _check_company_auto = True
    # Customers reply from the portal: reading the case is enough to post in its chatter.
    _mail_post_access = "read"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default=lambda self: _("New"))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, string="Commercial entity"
    )
    contact_partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        help="Person who raised the dispute; receives the acknowledgment. Empty: the customer itself.",
    )
    source = fields.Selection(
        [("backoffice", "Back office"), ("portal", "Customer portal")],
        required=True,
        default="backoffice",
        readonly=True,
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "o2c_dispute_account_move_rel",
        "dispute_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', commercial_partner_id)]",
    )
    invoice_names = fields.Char(compute="_compute_invoice_names", string="Invoice numbers")
    invoice_line_ids = fields.Many2many(
        "account.move.line",
        "o2c_dispute_account_move_line_rel",
        "dispute_id",
        "line_id",
        string="Disputed lines",
        domain="[('move_id', 'in', invoice_ids), ('display_type', '=', 'product')]",
        help="Optional: the invoice lines the customer contests; a credit note then reverses these lines only.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id", store=True)
    amount_residual = fields.Monetary(
        compute="_compute_amount_residual", string="Amount due", help="What is still due on the disputed invoices."
    )
    amount_disputed = fields.Monetary(string="Disputed amount", required=True, tracking=True)
    amount_open = fields.Monetary(
        compute="_compute_amount_open",
        store=True,
        string="Open disputed amount",
        help="The disputed amount while the case is open, zero once resolved.",
    )
    amount_disputed_company = fields.Monetary(
        compute="_compute_amount_disputed_company",
        store=True,
        currency_field="company_currency_id",
        string="Disputed amount (company currency)",
    )
    reason_id = fields.Many2one("o2c.dispute.reason", required=True, tracking=True, index=True)
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    team = fields.Selection(DISPUTE_TEAMS, compute="_compute_team", store=True, readonly=False, tracking=True)
    stage_id = fields.Many2one(
        "o2c.dispute.stage",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        default=lambda self: self.env["o2c.dispute.stage"].search([("state", "=", "open")], limit=1),
        group_expand="_read_group_expand_stage_id",
    )
    state = fields.Selection(related="stage_id.state", store=True, string="Status", index=True)
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    date_open = fields.Date(string="Opened on", required=True, default=fields.Date.context_today, tracking=True)
    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="Opening date plus the service level of the reason.",
    )
    date_resolved = fields.Date(string="Resolved on", readonly=True, copy=False)
    resolution_days = fields.Integer(
        compute="_compute_resolution_days",
        store=True,
        aggregator="avg",
        string="Resolution time (days)",
    )
    outcome = fields.Selection(DISPUTE_OUTCOMES, tracking=True, copy=False, readonly=True)
    amount_resolution = fields.Monetary(
        string="Credited amount", copy=False, readonly=True, help="Amount credited to the customer at resolution."
    )
    root_cause_id = fields.Many2one("o2c.dispute.root.cause", string="Root cause", tracking=True, copy=False)
    resolution_note = fields.Text(copy=False)
    credit_note_ids = fields.Many2many(
        "account.move",
        "o2c_dispute_credit_note_rel",
        "dispute_id",
        "move_id",
        string="Credit notes",
        copy=False,
        readonly=True,
    )
    credit_note_count = fields.Integer(compute="_compute_credit_note_count")

    # ------------------------------------------------------------------ computes

    @api.depends("invoice_ids")
    def _compute_invoice_names(self):
        for dispute in self:
            dispute.invoice_names = ", ".join(dispute.invoice_ids.mapped("name"))

    @api.depends("invoice_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for dispute in self:
            dispute.currency_id = dispute.invoice_ids[:1].currency_id or dispute.company_id.currency_id

    @api.depends("invoice_ids.amount_residual")
    def _compute_amount_residual(self):
        for dispute in self:
            dispute.amount_residual = sum(dispute.invoice_ids.mapped("amount_residual"))

    @api.depends("amount_disputed", "state")
    def _compute_amount_open(self):
        for dispute in self:
            dispute.amount_open = dispute.amount_disputed if dispute.state == "open" else 0.0

    @api.depends("amount_disputed", "invoice_ids.amount_total", "invoice_ids.amount_total_signed")
    def _compute_amount_disputed_company(self):
        for dispute in self:
            invoice = dispute.invoice_ids[:1]
            rate = abs(invoice.amount_total_signed) / invoice.amount_total if invoice.amount_total else 1.0
            dispute.amount_disputed_company = dispute.company_currency_id.round(dispute.amount_disputed * rate)

    @api.depends("reason_id", "invoice_ids")
    def _compute_user_id(self):
        for dispute in self:
            dispute.user_id = (
                dispute.reason_id.user_id
                or dispute.user_id
                or (self.env.user if self.env.user._is_internal() and not self.env.user._is_superuser() else False)
                or dispute.invoice_ids[:1].invoice_user_id
                or dispute.company_id.o2c_dispute_user_id
            )

    @api.depends("reason_id")
    def _compute_team(self):
        for dispute in self:
            dispute.team = dispute.reason_id.team or dispute.team or "sales_admin"

    @api.depends("date_open", "reason_id.sla_days")
    def _compute_date_deadline(self):
        for dispute in self:
            dispute.date_deadline = service_level.deadline(dispute.date_open, dispute.reason_id.sla_days)

    @api.depends("date_open", "date_resolved")
    def _compute_resolution_days(self):
        for dispute in self:
            if dispute.date_resolved and dispute.date_open:
                dispute.resolution_days = (dispute.date_resolved - dispute.date_open).days
            else:
                dispute.resolution_days = 0

    @api.depends("credit_note_ids")
    def _compute_credit_note_count(self):
        for dispute in self:
            dispute.credit_note_count = len(dispute.credit_note_ids)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for dispute in self:
            dispute.access_url = f"/my/disputes/{dispute.id}"
        return res

    @api.model
    def _read_group_expand_stage_id(self, stages, domain):
        """Show every stage as a kanban column, even empty ones."""
        # Every stage is a kanban column, and stages are a handful of records.
        # pylint: disable-next=no-search-all
        return stages.search([], order=stages._order)

    # ------------------------------------------------------------------ constraints

    @api.constrains("invoice_ids", "partner_id", "company_id")
    def _check_invoices(self):
        # sudo: the check must name what a portal user may not read (another customer's invoice).
        for dispute in self.sudo():
            if not dispute.invoice_ids:
                raise ValidationError(_("Dispute %(case)s must concern at least one invoice.", case=dispute.name))
            for invoice in dispute.invoice_ids:
                if invoice.move_type != "out_invoice" or invoice.state != "posted":
                    raise ValidationError(
                        _(
                            "Only posted customer invoices can be disputed: %(invoice)s is not one.",
                            invoice=invoice.display_name,
                        )
                    )
                if invoice.commercial_partner_id != dispute.commercial_partner_id:
                    raise ValidationError(
                        _(
                            "Invoice %(invoice)s belongs to %(owner)s, not to %(customer)s, the disputing customer.",
                            invoice=invoice.name,
                            owner=invoice.commercial_partner_id.name,
                            customer=dispute.partner_id.name,
                        )
                    )
            if len(dispute.invoice_ids.currency_id) > 1:
                raise ValidationError(_("The invoices of dispute %(case)s must share one currency.", case=dispute.name))

    @api.constrains("invoice_ids", "state")
    def _check_one_open_dispute_per_invoice(self):
        open_disputes = self.filtered(lambda d: d.state == "open")
        if not open_disputes:
            return
        others = self.search(
            [
                ("id", "not in", open_disputes.ids),
                ("state", "=", "open"),
                ("invoice_ids", "in", open_disputes.invoice_ids.ids),
            ]
        )
        taken = {invoice: other for other in others for invoice in other.invoice_ids}
        for dispute in open_disputes:
            for invoice in dispute.invoice_ids:
                if invoice in taken:
                    raise ValidationError(
                        _(
                            "Invoice %(name)s is already in dispute %(case)s: add to that case instead.",
                            name=invoice.name,
                            case=taken[invoice].name,
                        )
                    )

    @api.constrains("amount_disputed", "invoice_ids")
    def _check_amount_disputed(self):
        for dispute in self:
            rounding = dispute.currency_id.rounding
            if float_compare(dispute.amount_disputed, 0.0, precision_rounding=rounding) <= 0:
                raise ValidationError(_("The disputed amount of %(case)s must be positive.", case=dispute.name))
            if (
                dispute.state == "open"
                and float_compare(dispute.amount_disputed, dispute.amount_residual, precision_rounding=rounding) > 0
            ):
                raise ValidationError(
                    _(
                        "The disputed amount %(amount)s is above what is still due on %(invoices)s (%(residual)s).",
                        amount=dispute.currency_id.format(dispute.amount_disputed),
                        invoices=dispute.invoice_names,
                        residual=dispute.currency_id.format(dispute.amount_residual),
                    )
                )

    @api.constrains("invoice_line_ids", "invoice_ids")
    def _check_invoice_lines(self):
        for dispute in self:
            if dispute.invoice_line_ids.move_id - dispute.invoice_ids:
                raise ValidationError(
                    _("The disputed lines of %(case)s must belong to its invoices.", case=dispute.name)
                )

    # ------------------------------------------------------------------ CRUD and stages

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()  # sudo: sequences are for administrators; portal customers number too
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = sequence.with_company(vals.get("company_id") or self.env.company).next_by_code(
                    "o2c.dispute"
                ) or _("New")
        disputes = super().create(vals_list)
        for dispute in disputes.filtered(
            lambda d: d.source == "backoffice" and d.user_id and d.user_id != self.env.user
        ):
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=dispute.date_deadline,
                summary=_("Handle dispute %(case)s", case=dispute.name),
                user_id=dispute.user_id.id,
            )
        disputes._o2c_on_dispute_opened()
        return disputes

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        was_open = self.filtered(lambda d: d.state == "open")
        new_stage = self.env["o2c.dispute.stage"].browse(vals["stage_id"])
        if new_stage.state == "open":
            reopened = self - was_open
            if reopened.credit_note_ids:
                raise UserError(
                    _(
                        "Dispute %(case)s already issued a credit note: open a new dispute instead of reopening it.",
                        case=reopened.filtered("credit_note_ids")[:1].name,
                    )
                )
            if reopened:
                vals = {**vals, "outcome": False, "date_resolved": False, "amount_resolution": 0.0}
            res = super().write(vals)
            if reopened:
                reopened._o2c_on_dispute_opened()
            return res
        outcome = vals.get("outcome")
        missing = was_open.filtered(lambda d: not (outcome or d.outcome))
        if missing:
            raise UserError(
                _(
                    "Dispute %(case)s has no outcome yet: use the Resolve button to record it.",
                    case=missing[:1].name,
                )
            )
        if was_open and "date_resolved" not in vals:
            vals = {**vals, "date_resolved": fields.Date.context_today(self)}
        res = super().write(vals)
        if was_open:
            was_open._o2c_on_dispute_resolved()
        return res

    # ------------------------------------------------------------------ hooks (contract 3)

    def _o2c_on_dispute_opened(self):
        """Hook called on the disputes just created (or reopened), all in state ``open``.

        Empty here: glue addons (e.g. ``o2c_disputes_einvoice``) extend it to react to a new
        dispute, such as marking the invoices "in dispute" in their e-invoicing lifecycle.
        """

    def _o2c_on_dispute_resolved(self):
        """Hook called on the disputes that just left the ``open`` state with an ``outcome``.

        Empty here: glue addons extend it to report the resolution (``outcome``,
        ``amount_resolution``, ``credit_note_ids``) elsewhere.
        """

    # ------------------------------------------------------------------ actions

    def action_resolve(self):
        """Open the resolution wizard of this dispute (outcome, credited amount, root cause)."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(_("Dispute %(case)s is already resolved.", case=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Resolve %(case)s", case=self.name),
            "res_model": "o2c.dispute.resolve",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_id": self.id},
        }

    def action_close(self):
        """Move resolved disputes to the first closed stage."""
        stage = self.env["o2c.dispute.stage"].search([("state", "=", "closed")], limit=1)
        if not stage:
            raise UserError(_("No stage is marked as closed: add one under Disputes > Configuration > Stages."))
        self.write({"stage_id": stage.id})

    def action_view_credit_notes(self):
        """Open the credit notes issued by this dispute."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_refund_type")
        action["domain"] = [("id", "in", self.credit_note_ids.ids)]
        action["context"] = {"default_move_type": "out_refund"}
        if len(self.credit_note_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.credit_note_ids.id)
        return action

    def action_view_invoices(self):
        """Open the disputed invoices."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        if len(self.invoice_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.invoice_ids.id)
        return action

    # ------------------------------------------------------------------ resolution

    def _o2c_resolve(self, outcome, amount=None, root_cause=None, note=None, credit_note_date=None):
        """Resolve this open dispute from code as the Resolve wizard does (``o2c.dispute.resolve``: outcome,
        credit note for the accepted amount dated ``credit_note_date`` or today, resolved stage). Returns the
        credit notes issued."""
        return self.env["o2c.dispute.resolve"]._o2c_resolve(
            self, outcome, amount, root_cause, note, credit_note_date=credit_note_date
        )
