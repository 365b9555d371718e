import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import channel as channel_core
from .o2c_dunning_run import RUN_BATCH_SIZE

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("to_send", "To send"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
CHANNELS = [
    ("email", "Email"),
    ("email_letter", "Email and letter"),
    ("letter", "Letter"),
    ("phone", "Phone call"),
    ("litigation", "Litigation hand-over"),
]
OPEN_PAYMENT_STATES = ("not_paid", "partial")


class O2cDunningCommunication(models.Model):
    """One reminder to one customer at one level: the reminded invoices, the customer's statement of open
    items with its net balance, the channel used and the delivery state."""

    _name = "o2c.dunning.communication"
    _description = "Dunning Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "run_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    contact_id = fields.Many2one(
        "res.partner", string="Dunning contact", help="Person the reminder is addressed to and the collector calls."
    )
    user_id = fields.Many2one("res.users", string="Collector", index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("o2c.dunning.level", required=True, index=True, readonly=True)
    ladder_id = fields.Many2one(related="level_id.ladder_id")
    tone = fields.Selection(related="level_id.tone")
    is_formal_notice = fields.Boolean(related="level_id.is_formal_notice")
    run_date = fields.Date(string="Dunning date", required=True, index=True, readonly=True)
    run_id = fields.Many2one("o2c.dunning.run", string="Dunning run", readonly=True, index=True, ondelete="set null")
    sent_date = fields.Datetime(readonly=True)
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="email")
    call_planned = fields.Boolean(
        string="Phone call", help="A phone-call activity is planned for the collector when the reminder is sent."
    )
    dunned_line_ids = fields.One2many("o2c.dunning.communication.line", "communication_id", string="Reminded invoices")
    statement_line_ids = fields.Many2many(
        "account.move.line",
        string="Open items",
        compute="_compute_statement_line_ids",
        help="The customer's open receivable items today: invoices, credit notes and unapplied payments.",
    )
    invoice_count = fields.Integer(string="Invoices reminded", readonly=True)
    amount_dunned = fields.Monetary(string="Amount reminded", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    amount_not_due = fields.Monetary(string="Not yet due", readonly=True)
    amount_credit = fields.Monetary(
        string="Credit notes and payments", readonly=True, help="Open credit notes and unapplied payments (negative)."
    )
    amount_balance = fields.Monetary(string="Net balance", readonly=True)
    interest_rate = fields.Float(string="Interest rate (%)", digits=(6, 3), readonly=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnities", readonly=True)
    amount_interest = fields.Monetary(string="Late-payment interest", readonly=True)
    amount_charges = fields.Monetary(string="Late-payment charges", compute="_compute_amount_charges")
    error_message = fields.Text(string="Error", readonly=True)
    mail_id = fields.Many2one("mail.mail", string="Email", readonly=True, ondelete="set null")
    attachment_id = fields.Many2one("ir.attachment", string="Statement", readonly=True, ondelete="set null")
    charges_move_id = fields.Many2one("account.move", string="Charges invoice", readonly=True, copy=False)
    note = fields.Html(string="Collector notes")

    def _creation_message(self):
        """The chatter line of a new reminder (its own sentence, so that French can agree in gender)."""
        return _("Dunning communication created")

    @api.depends("partner_id.name", "level_id.name", "run_date")
    def _compute_name(self):
        for comm in self:
            comm.name = f"{comm.level_id.name or ''} – {comm.partner_id.name or ''} ({comm.run_date or ''})"

    def _compute_statement_line_ids(self):
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
            ],
            order="date_maturity, id",
        )
        for comm in self:
            comm.statement_line_ids = lines.filtered(
                lambda line, comm=comm: line.partner_id == comm.partner_id and line.company_id == comm.company_id
            )

    def _o2c_statement_items(self):
        """The customer's open items on the communication's date (one dict per document, with its kind and
        whether this communication reminds it), for the letter."""
        self.ensure_one()
        dunned = set(self.dunned_line_ids.move_id.ids)
        items = self._o2c_open_items(self.company_id, [self.partner_id.id], self.run_date).get(self.partner_id.id, [])
        kinds = {
            "overdue": _("Overdue invoice"),
            "not_due": _("Invoice not yet due"),
            "credit_note": _("Credit note"),
            "payment": _("Unapplied payment"),
        }
        for item in items:
            item["dunned"] = item["move_id"] in dunned
            item["kind_label"] = kinds[item["kind"]]
            item["days_overdue"] = max((self.run_date - item["date_due"]).days, 0) if item["date_due"] else 0
        return items

    @api.depends("amount_indemnity", "amount_interest")
    def _compute_amount_charges(self):
        for comm in self:
            comm.amount_charges = comm.amount_indemnity + comm.amount_interest

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the selected reminders now through their channels (collector's one-click send)."""
        wrong = self.filtered(lambda c: c.state not in ("draft", "to_send", "failed"))
        if wrong:
            raise UserError(
                _(
                    "Reminder %(name)s is %(state)s and cannot be sent again.",
                    name=wrong[0].name,
                    state=dict(STATES)[wrong[0].state],
                )
            )
        self._o2c_send()
        failed = self.filtered(lambda c: c.state == "failed")
        if failed:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "title": _("Reminder not sent"),
                    "message": _("%(name)s: %(error)s", name=failed[0].name, error=failed[0].error_message),
                    "sticky": True,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return True

    def action_skip(self):
        """Do not send the selected reminders; their invoices count as having reached the level, so the
        next level follows at its own date."""
        wrong = self.filtered(lambda c: c.state not in ("draft", "to_send", "failed"))
        if wrong:
            raise UserError(
                _(
                    "Reminder %(name)s is %(state)s: only pending reminders can be skipped.",
                    name=wrong[0].name,
                    state=dict(STATES)[wrong[0].state],
                )
            )
        self.write({"state": "cancelled", "error_message": False})
        self._o2c_reach_levels()
        self._o2c_log_history(_("skipped by %(user)s", user=self.env.user.name))
        return True

    def action_print_letter(self):
        """Print the letter (with the statement of open items) as PDF; a pending one is checked again first:
        what was paid, credited or disputed since it was prepared is dropped, and one left with nothing to
        claim is cancelled instead of printed."""
        pending = self.filtered(lambda c: c.state in ("draft", "to_send", "failed"))
        letters = self - (pending - self.env["o2c.dunning.send"]._o2c_recheck(pending))
        if not letters:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "title": _("Nothing to print"),
                    "message": _("%(name)s: %(reason)s", name=self[0].name, reason=self[0].error_message),
                    "sticky": True,
                },
            }
        return self.env.ref("o2c_dunning.action_report_dunning_letter").report_action(letters)

    def action_invoice_charges(self):
        """Create a draft customer invoice of the recovery indemnities and late-payment interest."""
        for comm in self:
            if comm.charges_move_id:
                raise UserError(_("The charges of %(name)s are already invoiced.", name=comm.name))
            if not comm.amount_charges:
                raise UserError(_("%(name)s carries no late-payment charges to invoice.", name=comm.name))
        moves = self._o2c_create_charges_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", moves.ids)]
        if len(moves) == 1:
            action.update(res_id=moves.id, views=[(False, "form")])
        return action

    def action_open_invoices(self):
        """Show the invoices reminded by this communication."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.dunned_line_ids.move_id.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # The dunning run (the run itself: o2c.dunning.run)
    # ------------------------------------------------------------------

    @api.model
    def _cron_run_dunning(self):
        """Daily run: every company, commit per batch, send the automatic levels."""
        self.env["o2c.dunning.run"]._o2c_run(commit=True)

    @api.model
    def _o2c_run(self, companies=None, run_date=None, send=True, commit=False, batch_size=RUN_BATCH_SIZE):
        """Run the dunning (see o2c.dunning.run._o2c_run); returns its dict of created, sent, failed, locked."""
        return self.env["o2c.dunning.run"]._o2c_run(
            companies=companies, run_date=run_date, send=send, commit=commit, batch_size=batch_size
        )

    def _o2c_open_items(self, company, partner_ids, run_date):
        """All open receivable items of the customers, one per document, as dicts grouped by partner id:
        overdue and not-yet-due invoices, credit notes and unapplied payments (company currency)."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT aml.partner_id, aml.move_id, m.move_type, m.name, COALESCE(m.invoice_date, m.date) AS date,
                          COALESCE(m.invoice_date_due, MIN(aml.date_maturity)) AS date_due,
                          SUM(aml.balance) AS amount_total, SUM(aml.amount_residual) AS amount_residual
                     FROM account_move_line aml
                     JOIN account_move m ON m.id = aml.move_id
                     JOIN account_account a ON a.id = aml.account_id
                    WHERE aml.partner_id = ANY(%s) AND aml.company_id = %s AND aml.parent_state = 'posted'
                      AND a.account_type = 'asset_receivable' AND NOT COALESCE(aml.reconciled, FALSE)
                 GROUP BY aml.partner_id, aml.move_id, m.move_type, m.name, m.invoice_date, m.date, m.invoice_date_due
                   HAVING SUM(aml.amount_residual) != 0
                 ORDER BY aml.partner_id, 6, aml.move_id""",
                list(partner_ids),
                company.id,
            )
        )
        items = defaultdict(list)
        for row in rows:
            residual = row["amount_residual"]
            if residual > 0:
                row["kind"] = "overdue" if row["date_due"] and row["date_due"] < run_date else "not_due"
            else:
                row["kind"] = "credit_note" if row["move_type"] == "out_refund" else "payment"
            items[row["partner_id"]].append(row)
        return items

    @api.model
    def _o2c_channel(self, level, contact):
        """(channel, call planned) of a level for a contact (the rule: core/channel.py)."""
        switches = channel_core.LevelChannels(
            send_email=level.send_email,
            send_letter=level.send_letter,
            create_call=level.create_call,
            is_formal_notice=level.is_formal_notice,
            is_litigation=level.is_litigation,
        )
        return channel_core.channel_for(switches, bool(contact.email))

    # ------------------------------------------------------------------
    # Sending (the step itself: o2c.dunning.send)
    # ------------------------------------------------------------------

    def _o2c_send(self, commit=False):
        """Deliver the pending communications of `self` now (see o2c.dunning.send); returns those delivered."""
        return self.env["o2c.dunning.send"]._o2c_send(self, commit=commit)

    def _o2c_statement_attachment(self):
        """The PDF letter with the statement of open items, rendered once and kept on the communication."""
        return self.env["o2c.dunning.send"]._o2c_statement_attachment(self)

    def _o2c_reach_levels(self):
        """The reminded invoices of `self` have reached the communication's level."""
        self.env["o2c.dunning.send"]._o2c_reach_levels(self)

    def _o2c_log_history(self, event):
        """Log `event` in the chatter of the communications, their customers and reminded invoices."""
        self.env["o2c.dunning.send"]._o2c_log_history(self, event)

    def _o2c_letter_recipient(self):
        """The partner whose postal address the letter carries: the dunning contact when it has a full
        address (street and city), else the customer's commercial entity when it has one, else nothing."""
        self.ensure_one()
        for partner in (self.contact_id, self.partner_id.commercial_partner_id):
            if partner.street and partner.city:
                return partner
        return self.env["res.partner"]

    # ------------------------------------------------------------------
    # Statutory charges
    # ------------------------------------------------------------------

    def _o2c_create_charges_invoices(self):
        """One draft invoice per communication with the recovery indemnities (€40 per late invoice, art.
        D441-5) and the late-payment interest, outside the scope of VAT, due at the formal notice's deadline
        (``res.company._o2c_dunning_charges_invoice_values``)."""
        moves = self.env["account.move"]
        for comm in self:
            move = moves.create(comm.company_id._o2c_dunning_charges_invoice_values(comm))
            comm.charges_move_id = move
            moves |= move
        return moves
