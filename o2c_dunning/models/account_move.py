from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import ladder as ladder_core


class AccountMove(models.Model):
    _inherit = "account.move"

    o2c_dunning_level_id = fields.Many2one(
        "o2c.dunning.level",
        string="Dunning level",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Last dunning level reached by this invoice (sent or skipped); the next reminder is the level after it.",
    )
    o2c_dunning_next_date = fields.Date(
        string="Next dunning action",
        compute="_compute_o2c_dunning_next_date",
        store=True,
        copy=False,
        help="Date on which the next level of the customer's ladder falls due for this invoice.",
    )
    o2c_dunning_escalate = fields.Boolean(
        string="Promise broken",
        copy=False,
        help="A promise to pay was broken: the next level is sent at the next run whatever its date.",
    )
    o2c_no_dunning = fields.Boolean(string="No dunning", copy=False, tracking=True)
    o2c_no_dunning_reason = fields.Char(string="No-dunning reason", copy=False)
    o2c_no_dunning_until = fields.Date(
        string="No dunning until", copy=False, help="Dunning resumes after this date; empty means until removed."
    )
    o2c_dunning_note = fields.Html(string="Collector notes", copy=False)
    o2c_dunning_line_ids = fields.One2many(
        "o2c.dunning.communication.line",
        "move_id",
        string="Dunning history",
        domain=[("level_id", "!=", False)],
        help="Reminders that covered this invoice.",
    )
    o2c_dunning_promise_ids = fields.Many2many(
        "o2c.dunning.promise", string="Promises to pay", compute="_compute_o2c_dunning_promise_ids"
    )

    def _compute_o2c_dunning_promise_ids(self):
        promises = self.env["o2c.dunning.promise"].search([("move_ids", "in", self.ids)])
        for move in self:
            move.o2c_dunning_promise_ids = promises.filtered(lambda p, move=move: move in p.move_ids)

    def action_o2c_log_promise(self):
        """Open a new promise to pay for the selected invoices of one customer."""
        customers = self.commercial_partner_id
        if len(customers) != 1:
            raise UserError(
                _("A promise to pay covers the invoices of one customer; select invoices of a single customer.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Promise to pay"),
            "res_model": "o2c.dunning.promise",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": customers.id,
                "default_company_id": self.company_id[:1].id,
                "default_move_ids": [fields.Command.set(self.ids)],
                "default_amount": sum(self.mapped("amount_residual")),
            },
        }

    @api.depends(
        "invoice_date_due",
        "o2c_dunning_level_id",
        "state",
        "payment_state",
        "move_type",
        "partner_id",
        "line_ids.date_maturity",
        "line_ids.amount_residual",
        "line_ids.o2c_dunning_level_id",
    )
    def _compute_o2c_dunning_next_date(self):
        """Date the next level of the ladder falls due for open customer invoices (the earliest over the open
        instalments of an invoice payable in several), empty otherwise."""
        open_invoices = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state in ("not_paid", "partial")
                and m.invoice_date_due
            )
        )
        (self - open_invoices).o2c_dunning_next_date = False
        ladders = open_invoices._o2c_dunning_ladders()
        # Only invoices of several instalments read their receivable lines (one grouped query finds them):
        # loading every invoice's lines would fetch each journal item whole when thousands of levels are written.
        saved = [move_id for move_id in open_invoices.ids if isinstance(move_id, int)]
        several = {
            move.id
            for move, count in self.env["account.move.line"]._read_group(
                [("move_id", "in", saved), ("display_type", "=", "payment_term")], ["move_id"], ["__count"]
            )
            if count > 1
        }
        core_ladders = {}
        for move in open_invoices:
            ladder = ladders.get(move.id)
            if not ladder:
                move.o2c_dunning_next_date = False
                continue
            if ladder.id not in core_ladders:
                core_ladders[ladder.id] = ladder._core_ladder()
            if move.id not in several:
                dates = [(move.o2c_dunning_level_id.id, move.invoice_date_due)]
            else:
                dates = [
                    (line.o2c_dunning_level_id.id, line.date_maturity or move.invoice_date_due)
                    for line in move.line_ids
                    if line.display_type == "payment_term" and line.amount_residual > 0
                ]
            next_dates = [
                ladder_core.next_action_date(core_ladders[ladder.id], level_id, due) for level_id, due in dates
            ]
            move.o2c_dunning_next_date = min((day for day in next_dates if day), default=False)

    def _o2c_dunning_ladders(self):
        """Return {move id: o2c.dunning.ladder} — the customer's own ladder in the invoice's company,
        else the company's default ladder."""
        result = {}
        for company, moves in self.grouped("company_id").items():
            default = company.o2c_dunning_ladder_id
            partners = moves.commercial_partner_id.with_company(company)
            own = {partner.id: partner.o2c_dunning_ladder_id for partner in partners}
            for move in moves:
                result[move.id] = own.get(move.commercial_partner_id.id) or default
        return result

    def _o2c_dunning_excluded(self):
        """Extension hook: the part of each invoice's residual kept out of dunning.

        Called on a recordset of customer invoices; returns ``{move_id: excluded_amount}`` in each
        invoice's currency, for every invoice of ``self`` (0.0 when nothing is excluded).
        ``float('inf')`` or an amount >= the residual keeps the whole invoice out. The run reminds an
        invoice only when its residual minus this amount reaches the level's minimum. The date of the
        run is in the context key ``o2c_dunning_date`` (today when absent).

        Base implementation: the "no dunning" flags of the invoice or of its customer (commercial
        partner), while their optional end date is not past, exclude the whole invoice; open
        promises to pay exclude the promised amount, spread over their invoices oldest due first.

        Overrides must stay set-based (a bounded number of queries whatever the size of ``self``):
        call ``res = super()._o2c_dunning_excluded()`` and raise the amounts of ``res``, e.g.
        ``o2c_disputes`` adds the open disputed amount per invoice, capped at the residual.
        """
        result = dict.fromkeys(self.ids, 0.0)
        if not self:
            return result
        today = self.env.context.get("o2c_dunning_date") or fields.Date.context_today(self)
        flag_domain = [
            ("id", "in", self.ids),
            "|",
            "&",
            ("o2c_no_dunning", "=", True),
            "|",
            ("o2c_no_dunning_until", "=", False),
            ("o2c_no_dunning_until", ">=", today),
            "&",
            ("commercial_partner_id.o2c_no_dunning", "=", True),
            "|",
            ("commercial_partner_id.o2c_no_dunning_until", "=", False),
            ("commercial_partner_id.o2c_no_dunning_until", ">=", today),
        ]
        for move_id in self.with_context(active_test=False)._search(flag_domain):
            result[move_id] = float("inf")
        promises = self.env["o2c.dunning.promise"].search_fetch(
            [("move_ids", "in", self.ids), ("state", "=", "open")], ["amount", "move_ids"]
        )
        if promises:
            covered_moves = self.env["account.move"].browse(promises.move_ids.ids)
            covered_moves.fetch(["invoice_date_due", "date", "amount_residual"])
            residuals = {move.id: (move.invoice_date_due or move.date, move.amount_residual) for move in covered_moves}
            for promise in promises:
                covered = allocate_oldest_first(
                    promise.amount, [(mid, *residuals[mid]) for mid in promise.move_ids.ids]
                )
                for move_id, amount in covered.items():
                    if move_id in result:
                        result[move_id] = result[move_id] + amount
        return result

    def _o2c_dunning_instalments(self, run_date):
        """The open instalments of the open customer invoices of `self`, from their receivable lines in one
        query: {line id: dict(move_id, partner_id, due_date, residual (invoice currency), excluded,
        reached_level_id, escalate, name, invoice_date, amount_total)} on `run_date`.

        An invoice payable in several instalments has one receivable line per instalment, each with its own
        due date (date_maturity) and its own reached level; its name tells which instalment it is (``INV/1
        (2/3)``). An invoice of one instalment keeps its level on the invoice. What ``_o2c_dunning_excluded``
        keeps out of an invoice is spread over its open instalments, the earliest due first."""
        if not self:
            return {}
        self.env["account.move.line"].flush_model()
        self.flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT * FROM (
                       SELECT aml.id, aml.move_id, m.commercial_partner_id AS partner_id,
                              COALESCE(aml.date_maturity, m.invoice_date_due) AS due_date,
                              aml.amount_residual_currency AS residual,
                              CASE WHEN count(*) OVER w = 1 THEN m.o2c_dunning_level_id
                                   ELSE aml.o2c_dunning_level_id END AS reached_level_id,
                              COALESCE(m.o2c_dunning_escalate, FALSE) AS escalate, m.name, m.invoice_date,
                              aml.balance AS amount_total,
                              row_number() OVER (PARTITION BY aml.move_id ORDER BY aml.date_maturity, aml.id) AS rank,
                              count(*) OVER w AS instalments
                         FROM account_move m
                         JOIN account_move_line aml ON aml.move_id = m.id AND aml.display_type = 'payment_term'
                        WHERE m.id = ANY(%s) AND m.state = 'posted' AND m.move_type = 'out_invoice'
                          AND m.payment_state IN ('not_paid', 'partial') AND m.amount_residual > 0
                       WINDOW w AS (PARTITION BY aml.move_id)
                   ) AS instalment
                  WHERE residual > 0 AND due_date IS NOT NULL
               ORDER BY move_id, rank""",
                self.ids,
            )
        )
        by_move = {}
        for row in rows:
            by_move.setdefault(row["move_id"], []).append(row)
            if row["instalments"] > 1:
                row["name"] = f"{row['name']} ({row['rank']}/{row['instalments']})"
        moves = self.browse(list(by_move))
        excluded = moves.with_context(o2c_dunning_date=run_date)._o2c_dunning_excluded()
        result = {}
        for move_id, instalments in by_move.items():
            kept_out = excluded.get(move_id, 0.0)
            if kept_out == float("inf"):
                parts = {row["id"]: float("inf") for row in instalments}
            elif not kept_out:
                parts = {}  # nothing kept out, as most invoices of a run: no spreading to do
            else:
                parts = allocate_oldest_first(
                    kept_out, [(row["id"], row["due_date"], row["residual"]) for row in instalments]
                )
            for row in instalments:
                row["excluded"] = parts.get(row["id"], 0.0)
                result[row["id"]] = row
        return result
