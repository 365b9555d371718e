from odoo import fields, models


class O2cDunningCommunicationLine(models.Model):
    """One invoice, or one instalment of an invoice payable in several, reminded by a communication at its
    level: one line per instalment and level, whatever the number of runs (unique index)."""

    _name = "o2c.dunning.communication.line"
    _description = "Dunning Communication Line"
    _order = "communication_id, date_due, id"

    communication_id = fields.Many2one("o2c.dunning.communication", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="communication_id.company_id", store=True)
    currency_id = fields.Many2one(related="communication_id.currency_id")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Instalment",
        index="btree_not_null",
        ondelete="set null",
        help="The receivable line reminded: the instalment, with its own due date and amount.",
    )
    level_id = fields.Many2one("o2c.dunning.level", string="Reminded at level", required=True, index=True)
    state = fields.Selection(related="communication_id.state", string="Reminder status")
    name = fields.Char(string="Reference")
    date = fields.Date(string="Invoice date")
    date_due = fields.Date(string="Due date")
    days_overdue = fields.Integer(string="Days overdue")
    amount_total = fields.Monetary(string="Original amount", currency_field="currency_id")
    amount_residual = fields.Monetary(string="Open amount", currency_field="currency_id")
    amount_excluded = fields.Monetary(
        string="Kept out of dunning", currency_field="currency_id", help="Disputed, promised or flagged part."
    )
    amount_indemnity = fields.Monetary(string="Recovery indemnity", currency_field="currency_id")
    amount_interest = fields.Monetary(string="Late-payment interest", currency_field="currency_id")

    def init(self):
        """One reminder per instalment and level, even when two runs race (the database is the last guard)."""
        self.env.cr.execute("DROP INDEX IF EXISTS o2c_dunning_communication_line_move_level_unique")
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS o2c_dunning_communication_line_instalment_level_unique "
            "ON o2c_dunning_communication_line (move_id, COALESCE(move_line_id, 0), level_id)"
        )
