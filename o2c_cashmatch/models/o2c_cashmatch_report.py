from odoo import fields, models, tools


class O2cCashmatchReport(models.Model):
    _name = "o2c.cashmatch.report"
    _description = "Cash matching figures"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    journal_id = fields.Many2one("account.journal", string="Bank journal", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    match_state = fields.Selection(
        selection=lambda self: self.env["account.bank.statement.line"]._fields["o2c_match_state"].selection,
        string="Matching",
        readonly=True,
    )
    line_count = fields.Integer(string="Lines", readonly=True)
    auto_count = fields.Integer(string="Auto-matched", readonly=True)
    proposed_count = fields.Integer(string="Proposed", readonly=True)
    left_count = fields.Integer(string="Left", readonly=True)
    auto_share = fields.Float(string="Auto-matched share (%)", readonly=True, aggregator="avg")
    amount = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT st.id AS id,
                       move.date AS date,
                       st.journal_id AS journal_id,
                       st.company_id AS company_id,
                       st.currency_id AS currency_id,
                       st.o2c_match_state AS match_state,
                       1 AS line_count,
                       (st.o2c_match_state = 'auto')::int AS auto_count,
                       (st.o2c_match_state IN ('proposed', 'accepted'))::int AS proposed_count,
                       (st.o2c_match_state IN ('unmatched', 'rejected', 'new', 'return'))::int AS left_count,
                       CASE WHEN st.o2c_match_state = 'auto' THEN 100.0 ELSE 0.0 END AS auto_share,
                       st.amount AS amount
                  FROM account_bank_statement_line st
                  JOIN account_move move ON move.id = st.move_id
                 WHERE st.o2c_import_id IS NOT NULL
            )
            """
        )
