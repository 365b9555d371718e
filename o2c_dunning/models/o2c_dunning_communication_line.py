from odoo import fields, models

KINDS = [
    ("overdue", "Overdue invoice"),
    ("not_due", "Invoice not yet due"),
    ("credit_note", "Credit note"),
    ("payment", "Unapplied payment"),
]


class O2cDunningCommunicationLine(models.Model):
    """One open item of the customer in a communication's statement; the lines carrying a level are the
    invoices reminded at that level (one line per invoice and level, whatever the number of runs)."""

    _name = "o2c.dunning.communication.line"
    _description = "Dunning Communication Line"
    _order = "communication_id, sequence, date_due, id"

    communication_id = fields.Many2one("o2c.dunning.communication", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="communication_id.company_id", store=True)
    currency_id = fields.Many2one(related="communication_id.currency_id")
    move_id = fields.Many2one("account.move", string="Document", required=True, index=True, ondelete="cascade")
    level_id = fields.Many2one(
        "o2c.dunning.level",
        string="Reminded at level",
        index="btree_not_null",
        help="Set on the invoices reminded by this communication; empty for the other open items of the statement.",
    )
    is_dunned = fields.Boolean(string="Reminded", compute="_compute_is_dunned")
    sequence = fields.Integer()
    kind = fields.Selection(KINDS, required=True)
    name = fields.Char(string="Reference")
    date = fields.Date(string="Document date")
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
        """One reminder per invoice and level, even when two runs race (the database is the last guard)."""
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS o2c_dunning_communication_line_move_level_uniq "
            "ON o2c_dunning_communication_line (move_id, level_id) WHERE level_id IS NOT NULL"
        )

    def _compute_is_dunned(self):
        for line in self:
            line.is_dunned = bool(line.level_id)
