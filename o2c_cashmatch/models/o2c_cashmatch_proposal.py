from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, formatLang
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

KINDS = [
    ("reference", "Invoice reference"),
    ("multi", "Several invoices"),
    ("partial", "Partial payment"),
    ("overpaid", "Overpayment"),
    ("fuzzy", "Approximate reference"),
    ("amount_name", "Amount and payer"),
    ("combination", "Combination of invoices"),
    ("netting", "Invoice and credit note"),
    ("amount_only", "Amount only"),
    ("manual", "Picked by hand"),
]

# The engine's reasons, in words the user reads in his language (placeholders filled by the engine).
REASON_TEXTS = {
    "reference": _lt("The payment names %(refs)s."),
    "references": _lt("The payment names several invoices: %(refs)s."),
    "other_payer": _lt("The payer is not the customer; the reference and amount decide."),
    "discount": _lt("Early-payment discount of %(amount)s taken."),
    "fees": _lt("Bank fees of %(amount)s written off."),
    "credit_note": _lt("Open credit notes of the customer netted."),
    "subset": _lt("Only some of the named invoices add up to the amount."),
    "partial": _lt("Partial payment: %(paid)s of %(due)s, the rest stays open."),
    "plus_others": _lt("Other open invoices of the customer make up the rest."),
    "overpaid": _lt("The amount exceeds the invoices by %(extra)s, which stays unreconciled."),
    "typo": _lt("The payment names %(ref)s with a typo or a lost separator."),
    "truncated": _lt("The payment names %(ref)s, cut short."),
    "customer": _lt("The payer is the customer."),
    "unconfirmed": _lt("The payer is not known as this customer: check before accepting."),
    "partial_short": _lt("Partial payment: the amount is below the invoice."),
    "iban": _lt("The payer's account is known for %(name)s."),
    "name": _lt("The payer's name resembles %(name)s (%(similarity)s%%)."),
    "amount": _lt("Only one open invoice of this customer has this amount."),
    "same_amount": _lt("Several open invoices of this customer have this amount."),
    "combination": _lt("Only one set of its open invoices adds up to the amount."),
    "combinations": _lt("Several sets of its open invoices add up to the amount."),
    "amount_only": _lt("Only one open invoice has this amount; the payer is unknown."),
    "amount_many": _lt("Several open invoices have this amount; the payer is unknown."),
    "tie": _lt("Another candidate is just as good: a person must choose."),
    "lookalike": _lt("Another customer's name is closer to the payer's: check before accepting."),
    "typo_fits": _lt("%(ref)s, one character away from the reference, has exactly this amount."),
    "picked": _lt("Picked by %(user)s."),
}
# Placeholders of the reasons that hold an amount (a decimal string from the engine), shown in the reader's format.
REASON_AMOUNTS = ("amount", "paid", "due", "extra")


class O2cCashmatchProposal(models.Model):
    _name = "o2c.cashmatch.proposal"
    _description = "Cash matching proposal"
    _order = "statement_line_id, score desc, rank, id"

    statement_line_id = fields.Many2one(
        "account.bank.statement.line", string="Bank line", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="statement_line_id.company_id", store=True, index=True)
    journal_id = fields.Many2one(related="statement_line_id.journal_id", store=True)
    date = fields.Date(related="statement_line_id.date", store=True)
    currency_id = fields.Many2one(related="statement_line_id.currency_id")
    line_amount = fields.Monetary(related="statement_line_id.amount", string="Line amount")
    rank = fields.Integer(default=0, help="0 for the engine's best proposal.")
    score = fields.Float(digits=(3, 2), help="Confidence of the engine, from 0 to 1.")
    score_percent = fields.Integer(
        string="Score (%)", compute="_compute_score_percent", store=True, help="Confidence of the engine, in percent."
    )
    kind = fields.Selection(KINDS, required=True, default="manual")
    # The engine's reasons as codes and figures, so that each reader reads them in his own language.
    reason_data = fields.Json(string="Reason codes", readonly=True, copy=False)
    reasons = fields.Text(compute="_compute_reasons")
    partner_id = fields.Many2one("res.partner", string="Customer")
    allocation_ids = fields.One2many("o2c.cashmatch.allocation", "proposal_id", string="Invoices settled")
    # Not stored: writing a many2many row by row cost one query per proposal; searchable through the allocations.
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids", search="_search_move_ids"
    )
    allocated_amount = fields.Monetary(compute="_compute_allocated_amount", store=True, string="Applied to invoices")
    writeoff_amount = fields.Monetary(string="Write-off")
    writeoff_kind = fields.Selection(
        [("fees", "Bank fees"), ("discount", "Early-payment discount")], string="Write-off kind"
    )
    state = fields.Selection(
        [("candidate", "Candidate"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="candidate",
        required=True,
        index=True,
    )

    @api.depends("allocation_ids.move_line_id")
    def _compute_move_ids(self):
        for proposal in self:
            proposal.move_ids = proposal.allocation_ids.move_line_id.move_id

    def _search_move_ids(self, operator, value):
        return [("allocation_ids.move_line_id.move_id", operator, value)]

    @api.depends("allocation_ids.amount")
    def _compute_allocated_amount(self):
        for proposal in self:
            proposal.allocated_amount = sum(proposal.allocation_ids.mapped("amount"))

    @api.depends("score")
    def _compute_score_percent(self):
        for proposal in self:
            proposal.score_percent = round(proposal.score * 100)

    @api.depends("statement_line_id", "move_ids", "score_percent")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for proposal in self:
            names = ", ".join(proposal.move_ids.mapped("name")) or _("nothing")
            proposal.display_name = _("%(invoices)s (score %(score)s %%)", invoices=names, score=proposal.score_percent)

    @api.depends("reason_data", "currency_id")
    @api.depends_context("lang")
    def _compute_reasons(self):
        for proposal in self:
            proposal.reasons = "\n".join(
                proposal._o2c_reason_text(reason, proposal.currency_id) for reason in proposal.reason_data or ()
            )

    @api.model
    def _o2c_reason_data(self, reason):
        """A reason of the engine as plain JSON data: its code, its placeholders and its English text."""
        return {"code": reason.code, "params": dict(reason.params), "text": reason.text}

    @api.model
    def _o2c_reason_text(self, reason, currency):
        """A reason (as stored in ``reason_data``) in the user's language, amounts in ``currency`` and his format."""
        template = REASON_TEXTS.get(reason["code"])
        if template is None:
            return reason.get("text", "")
        params = dict(reason.get("params") or {})
        for key in REASON_AMOUNTS:
            if key in params:
                params[key] = format_amount(self.env, float(params[key]), currency)
        if "similarity" in params:
            params["similarity"] = formatLang(self.env, params["similarity"], digits=0)
        text = str(template)
        return text % params if params else text.replace("%%", "%")

    @api.model
    def _o2c_vals_from_engine(self, st_line, proposal, rank, items):
        """Create values of a proposal record from an engine proposal (`items`: the engine's open items by id)."""
        return {
            "statement_line_id": st_line.id,
            "rank": rank,
            "score": proposal.score,
            "kind": proposal.kind if proposal.kind in dict(KINDS) else "manual",
            "reason_data": [self._o2c_reason_data(reason) for reason in proposal.reasons],
            "partner_id": proposal.partner_id or items[proposal.allocations[0].item_id].partner_id,
            "writeoff_amount": float(proposal.writeoff_amount),
            "writeoff_kind": proposal.writeoff_kind or False,
            "allocation_ids": [
                fields.Command.create({"move_line_id": a.item_id, "amount": float(a.amount)})
                for a in proposal.allocations
            ],
        }

    def _o2c_writeoff_account(self):
        self.ensure_one()
        return self._o2c_writeoff_account_for(self.statement_line_id.company_id, self.writeoff_kind)

    @api.model
    def _o2c_writeoff_account_for(self, company, kind):
        """The account a write-off of ``kind`` (an engine proposal's) goes to in ``company``."""
        if kind == "discount":
            return company.account_journal_early_pay_discount_loss_account_id
        if kind == "fees":
            return company._o2c_fee_account()
        return self.env["account.account"]

    def _o2c_apply(self, state="accepted"):
        """Reconcile the lines of these proposals (one per line); returns the proposals applied.

        A proposal whose line was reconciled meanwhile, or whose write-off account is missing, is not applied.
        """
        plan = {}
        for proposal in self:
            if not proposal.allocation_ids:
                continue
            account = proposal._o2c_writeoff_account()
            if proposal.writeoff_amount and not account:
                continue
            partner = proposal.partner_id.commercial_partner_id or proposal.allocation_ids.move_line_id.partner_id[:1]
            allocations = [(a.move_line_id, a.amount) for a in proposal.allocation_ids]
            plan[proposal.statement_line_id] = (partner, allocations, proposal.writeoff_amount, account)
        done = self.env["account.bank.statement.line"]._o2c_reconcile(plan)
        applied = self.filtered(lambda p: p.statement_line_id in done)
        applied.write({"state": "accepted"})
        (done.o2c_proposal_ids - applied).filtered(lambda p: p.state == "candidate").write({"state": "rejected"})
        done.write({"o2c_match_state": state, "o2c_match_date": fields.Date.context_today(self)})
        if state != "auto":
            applied._o2c_learn_payer_accounts()
        return applied

    def _o2c_learn_payer_accounts(self):
        """Remember the payer's IBAN as a bank account of the customer a person confirmed."""
        # sudo: only partner managers may create bank accounts, and a cash-matching user confirming a payer must
        # not need that right; archived accounts count too, so an IBAN is never recorded twice.
        Bank = self.env["res.partner.bank"].sudo().with_context(active_test=False)
        wanted = {}
        for proposal in self:
            iban = (proposal.statement_line_id.o2c_debtor_iban or "").replace(" ", "").upper()
            partner = proposal.partner_id.commercial_partner_id
            if iban and partner:
                wanted[(iban, partner.id)] = partner
        if not wanted:
            return
        existing = Bank.search_fetch(
            [("sanitized_acc_number", "in", [iban for iban, _pid in wanted])], ["sanitized_acc_number", "partner_id"]
        )
        known = {(b.sanitized_acc_number, b.partner_id.id) for b in existing}
        taken = {b.sanitized_acc_number for b in existing}
        Bank.create(
            [
                {"acc_number": iban, "partner_id": pid, "allow_out_payment": False}
                for (iban, pid) in wanted
                if (iban, pid) not in known and iban not in taken
            ]
        )

    def action_accept(self):
        """Reconcile the bank line with this proposal's invoices."""
        for proposal in self:
            if proposal.state != "candidate":
                raise UserError(_("Proposal %(name)s is not a candidate any more.", name=proposal.display_name))
            if proposal.statement_line_id.is_reconciled:
                raise UserError(
                    _(
                        "Bank line %(line)s is already reconciled: undo its reconciliation first.",
                        line=proposal.statement_line_id.display_name,
                    )
                )
            if proposal.writeoff_amount and not proposal._o2c_writeoff_account():
                raise UserError(
                    _(
                        "No account to write off %(kind)s: set the bank fees account (or the cash discount loss "
                        "account) in the accounting settings.",
                        kind=dict(self._fields["writeoff_kind"]._description_selection(self.env)).get(
                            proposal.writeoff_kind, ""
                        ),
                    )
                )
        applied = self._o2c_apply(state="accepted")
        if applied != self:
            missing = (self - applied).statement_line_id
            raise UserError(
                _(
                    "These bank lines could not be reconciled (reconciled meanwhile, or invoices already paid): "
                    "%(lines)s",
                    lines=", ".join(missing.mapped("display_name")),
                )
            )
        return True

    def action_reject(self):
        """Discard this proposal; the line waits for another choice (or is rejected when none is left)."""
        self.write({"state": "rejected"})
        lines = self.statement_line_id.filtered(
            lambda ln: not ln.o2c_proposal_ids.filtered(lambda p: p.state == "candidate")
        )
        lines.write({"o2c_match_state": "rejected"})
        return True
