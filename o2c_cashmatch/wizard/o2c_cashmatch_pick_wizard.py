from odoo import Command, _, api, fields, models
from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first
from odoo.exceptions import UserError


class O2cCashmatchPickWizard(models.TransientModel):
    _name = "o2c.cashmatch.pick.wizard"
    _description = "Pick the invoices a bank line pays"

    statement_line_id = fields.Many2one("account.bank.statement.line", required=True, string="Bank line")
    company_id = fields.Many2one(related="statement_line_id.company_id")
    currency_id = fields.Many2one(related="statement_line_id.currency_id")
    line_amount = fields.Monetary(related="statement_line_id.amount", string="Amount received")
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Open invoices",
        domain="[('company_id', '=', company_id), ('parent_state', '=', 'posted'), "
        "('account_type', '=', 'asset_receivable'), ('reconciled', '=', False), "
        "('amount_residual', '!=', 0)]",
    )
    selected_amount = fields.Monetary(compute="_compute_selected_amount", string="Selected")
    writeoff_fees = fields.Boolean(
        string="Write off the difference as bank fees",
        help="When the invoices exceed the amount received by at most the bank fees tolerance.",
    )

    @api.depends("move_line_ids")
    def _compute_selected_amount(self):
        for wizard in self:
            wizard.selected_amount = sum(wizard.move_line_ids.mapped("amount_residual_currency"))

    def action_confirm(self):
        """Reconcile the line with the picked invoices (partially when they exceed the amount)."""
        self.ensure_one()
        if not self.move_line_ids:
            raise UserError(_("Pick at least one open invoice."))
        st_line = self.statement_line_id
        currency = st_line.currency_id
        remaining = st_line.amount
        allocations = []
        writeoff = 0.0
        total = sum(self.move_line_ids.mapped("amount_residual_currency"))
        gap = currency.round(total - st_line.amount)
        if self.writeoff_fees and 0 < gap <= st_line.company_id.o2c_cashmatch_fee_limit:
            writeoff = gap
            remaining = total
        # Credit notes are taken whole and add to what the line pays; the invoices share that, oldest due first.
        credit_notes = self.move_line_ids.filtered(lambda aml: aml.amount_residual_currency < 0)
        invoices = self.move_line_ids - credit_notes
        remaining = currency.round(remaining - sum(credit_notes.mapped("amount_residual_currency")))
        parts = allocate_oldest_first(
            remaining, [(aml.id, aml.date_maturity or aml.date, aml.amount_residual_currency) for aml in invoices]
        )
        parts = {**{aml.id: aml.amount_residual_currency for aml in credit_notes}, **parts}
        for move_line_id, part in parts.items():
            if not currency.is_zero(part):
                allocations.append(Command.create({"move_line_id": move_line_id, "amount": currency.round(part)}))
        proposal = self.env["o2c.cashmatch.proposal"].create(
            {
                "statement_line_id": st_line.id,
                "rank": 99,
                "score": 1.0,
                "kind": "manual",
                "reason_data": [{"code": "picked", "params": {"user": self.env.user.name}, "text": ""}],
                "partner_id": self.move_line_ids.partner_id.commercial_partner_id[:1].id,
                "writeoff_amount": writeoff,
                "writeoff_kind": "fees" if writeoff else False,
                "allocation_ids": allocations,
            }
        )
        proposal.action_accept()
        return {"type": "ir.actions.act_window_close"}
