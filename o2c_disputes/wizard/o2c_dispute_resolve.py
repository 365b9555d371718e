from decimal import Decimal

from odoo import Command, _, api, fields, models
from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first
from odoo.addons.o2c_base.tools.money import to_money
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..core import credit_note as credit_note_core
from ..models.o2c_dispute import DISPUTE_OUTCOMES


class O2cDisputeResolve(models.TransientModel):
    """The resolution of a dispute, as Odoo's ``account.move.reversal`` is the reversal of an invoice: the
    outcome, the credit note issued through that reversal and scaled to the accepted amount, and the
    move to a resolved stage. ``o2c.dispute._o2c_resolve()`` runs the same resolution from code."""

    _name = "o2c.dispute.resolve"
    _description = "Resolve a dispute"

    dispute_id = fields.Many2one("o2c.dispute", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="dispute_id.currency_id")
    amount_disputed = fields.Monetary(related="dispute_id.amount_disputed")
    outcome = fields.Selection(DISPUTE_OUTCOMES, required=True, default="accepted")
    amount_resolution = fields.Monetary(
        string="Amount to credit",
        compute="_compute_amount_resolution",
        store=True,
        readonly=False,
        help="A credit note of this amount (taxes included) is issued and reconciled with the invoice.",
    )
    credit_note_date = fields.Date(
        string="Credit note date",
        default=fields.Date.context_today,
        help="Accounting date of the credit note: the day the dispute was settled with the customer.",
    )
    root_cause_id = fields.Many2one("o2c.dispute.root.cause", string="Root cause", required=True)
    note = fields.Text(string="Resolution note")

    @api.depends("outcome", "dispute_id")
    def _compute_amount_resolution(self):
        for wizard in self:
            wizard.amount_resolution = wizard.amount_disputed if wizard.outcome != "rejected" else 0.0

    def action_confirm(self):
        """Record the outcome on the dispute, issue the credit note if any, and go back to the dispute."""
        self.ensure_one()
        self._o2c_resolve(
            self.dispute_id,
            self.outcome,
            self.amount_resolution,
            self.root_cause_id,
            self.note,
            credit_note_date=self.credit_note_date,
        )
        return {"type": "ir.actions.act_window_close"}

    @api.model
    def _o2c_resolve(self, dispute, outcome, amount=None, root_cause=None, note=None, credit_note_date=None):
        """Record the outcome of the open ``dispute``, issue and reconcile the credit note for the
        accepted amount (accepted: the disputed amount; partial: ``amount``; rejected: nothing), dated
        ``credit_note_date`` (today by default), and move the case to the first resolved stage. Returns
        the credit notes issued."""
        dispute.ensure_one()
        if dispute.state != "open":
            raise UserError(_("Dispute %(case)s is already resolved.", case=dispute.name))
        rounding = dispute.currency_id.rounding
        if outcome == "accepted":
            amount = dispute.amount_disputed
        elif outcome == "rejected":
            amount = 0.0
        elif outcome == "partial":
            amount = amount or 0.0
            if float_compare(amount, 0.0, precision_rounding=rounding) <= 0 or (
                float_compare(amount, dispute.amount_disputed, precision_rounding=rounding) >= 0
            ):
                raise UserError(
                    _(
                        "A partial acceptance of %(case)s credits more than nothing and less than the disputed"
                        " %(amount)s.",
                        case=dispute.name,
                        amount=dispute.currency_id.format(dispute.amount_disputed),
                    )
                )
        else:
            raise UserError(_("Choose the outcome of dispute %(case)s.", case=dispute.name))
        stage = self.env["o2c.dispute.stage"].search([("state", "=", "resolved")], limit=1)
        if not stage:
            raise UserError(_("No stage is marked as resolved: add one under Disputes > Configuration > Stages."))
        credit_notes = self.env["account.move"]
        if not float_is_zero(amount, precision_rounding=rounding):
            credit_notes = self._o2c_issue_credit_notes(dispute, amount, credit_note_date)
        dispute.write(
            {
                "outcome": outcome,
                "amount_resolution": amount,
                "root_cause_id": root_cause.id if root_cause else dispute.root_cause_id.id,
                "resolution_note": note or dispute.resolution_note,
                "credit_note_ids": [Command.link(move.id) for move in credit_notes],
                "stage_id": stage.id,
            }
        )
        return credit_notes

    @api.model
    def _o2c_issue_credit_notes(self, dispute, amount, date=None):
        """Reverse the invoices of ``dispute`` with Odoo's reversal for ``amount`` in all (the disputed
        lines only when the case names some; oldest invoice first), dated ``date`` (today by default),
        post the credit notes and reconcile each with its invoice. Returns the posted credit notes."""
        dispute.ensure_one()
        if not self.env["account.move.reversal"].has_access("create"):
            raise UserError(_("Issuing the credit note of %(case)s needs invoicing rights.", case=dispute.name))
        currency = dispute.currency_id
        if float_compare(amount, dispute.amount_residual, precision_rounding=currency.rounding) > 0:
            raise UserError(
                _(
                    "%(amount)s cannot be credited on %(invoices)s: only %(residual)s is still due.",
                    amount=currency.format(amount),
                    invoices=dispute.invoice_names,
                    residual=currency.format(dispute.amount_residual),
                )
            )
        shares = allocate_oldest_first(
            amount,
            [(inv.id, inv.invoice_date_due, inv.amount_residual) for inv in dispute.invoice_ids],
            priority=dispute.invoice_line_ids.move_id.ids,
        )
        invoices = dispute.invoice_ids.filtered(lambda inv: not currency.is_zero(shares.get(inv.id, 0.0)))
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "move_ids": [Command.set(invoices.ids)],
                    "journal_id": invoices[:1].journal_id.id,
                    "reason": _("dispute %(case)s (%(reason)s)", case=dispute.name, reason=dispute.reason_id.name),
                    "date": date or fields.Date.context_today(self),
                }
            )
        )
        reversal.refund_moves()
        credit_notes = reversal.new_move_ids
        for credit_note in credit_notes:
            invoice = credit_note.reversed_entry_id
            self._o2c_fit_credit_note(dispute, credit_note, currency.round(shares[invoice.id]))
        credit_notes.action_post()
        for credit_note in credit_notes:
            lines = (credit_note.reversed_entry_id.line_ids | credit_note.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            for _account, account_lines in lines.grouped("account_id").items():
                account_lines.reconcile()
        return credit_notes

    @api.model
    def _o2c_fit_credit_note(self, dispute, credit_note, target):
        """Bring the draft ``credit_note`` (a full reversal) to a total of ``target``: keep only the
        disputed lines of its invoice when the case names some, then scale the lines down and settle
        the rounding cent on the largest line."""
        currency = credit_note.currency_id
        disputed = dispute.invoice_line_ids.filtered(lambda line: line.move_id == credit_note.reversed_entry_id)
        product_lines = credit_note.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if disputed:
            # A reversal copies the invoice lines in order: match them by position.
            origin_lines = credit_note.reversed_entry_id.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            )
            keep = product_lines.browse(
                [cn.id for cn, orig in zip(product_lines, origin_lines, strict=False) if orig in disputed]
            )
            drop = product_lines - keep
            if drop:
                credit_note.write({"invoice_line_ids": [Command.unlink(line.id) for line in drop]})
            product_lines = keep
        if currency.compare_amounts(credit_note.amount_total, target) == 0 or not product_lines:
            return
        digits = self.env["decimal.precision"].precision_get("Product Price")
        # The core works in Decimal; Odoo's tax engine and fields in floats.
        prices, largest, extra_price = credit_note_core.scale_lines(
            {
                line: to_money(line.price_unit * line.quantity * (1 - line.discount / 100.0), digits)
                for line in product_lines
            },
            to_money(target, currency.decimal_places),
            to_money(credit_note.amount_total, currency.decimal_places),
            lambda line, price: to_money(self._o2c_line_total(line, float(price)), currency.decimal_places),
            lambda price: to_money(price, digits),
            lambda amount: currency.is_zero(float(amount)),
            Decimal(1).scaleb(-digits),
        )
        commands = [
            Command.update(line.id, {"quantity": 1.0, "discount": 0.0, "price_unit": float(price)})
            for line, price in prices.items()
        ]
        if extra_price:
            # Per-line tax rounding cannot always reach the cent with one line: a second line can.
            commands.append(Command.create(largest.copy_data({"quantity": 1.0, "price_unit": float(extra_price)})[0]))
        credit_note.write({"invoice_line_ids": commands})

    @api.model
    def _o2c_line_total(self, line, price):
        """Total with taxes of ``line`` at quantity 1 and unit price ``price``, per Odoo's tax engine."""
        taxes = line.tax_ids.compute_all(
            price,
            currency=line.currency_id,
            quantity=1.0,
            product=line.product_id,
            partner=line.partner_id,
            is_refund=True,
        )
        return taxes["total_included"]
