from odoo import fields, models
from odoo.tools import SQL


class O2cDisputeInvoiceReport(models.Model):
    """One row per posted customer invoice, to measure the share of invoices and of revenue that
    customers dispute (rates computed over each pivot cell, not averaged row by row)."""

    _name = "o2c.dispute.invoice.report"
    _description = "Dispute rate"
    _auto = False
    _rec_name = "move_id"
    _order = "invoice_date desc"
    _depends = {
        "account.move": [
            "company_id",
            "commercial_partner_id",
            "invoice_user_id",
            "invoice_date",
            "move_type",
            "state",
            "amount_untaxed_signed",
        ],
        "o2c.dispute": ["invoice_ids"],
        "res.company": ["currency_id"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    invoice_date = fields.Date(readonly=True)
    is_disputed = fields.Boolean(string="Disputed", readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    disputed_invoice_count = fields.Integer(string="Disputed invoices", readonly=True)
    revenue = fields.Monetary(string="Revenue (untaxed)", readonly=True)
    disputed_revenue = fields.Monetary(string="Disputed revenue (untaxed)", readonly=True)
    invoice_dispute_rate = fields.Float(
        string="Dispute rate by invoices (%)", aggregator="avg", readonly=True, digits=(16, 2)
    )
    revenue_dispute_rate = fields.Float(
        string="Dispute rate by revenue (%)", aggregator="avg", readonly=True, digits=(16, 2)
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT move.id AS id,
                   move.id AS move_id,
                   move.company_id,
                   company.currency_id,
                   move.commercial_partner_id AS partner_id,
                   move.invoice_user_id,
                   move.invoice_date,
                   disputed.move_id IS NOT NULL AS is_disputed,
                   1 AS invoice_count,
                   CASE WHEN disputed.move_id IS NOT NULL THEN 1 ELSE 0 END AS disputed_invoice_count,
                   move.amount_untaxed_signed AS revenue,
                   CASE WHEN disputed.move_id IS NOT NULL THEN move.amount_untaxed_signed ELSE 0 END
                       AS disputed_revenue,
                   CASE WHEN disputed.move_id IS NOT NULL THEN 100.0 ELSE 0.0 END AS invoice_dispute_rate,
                   CASE WHEN disputed.move_id IS NOT NULL THEN 100.0 ELSE 0.0 END AS revenue_dispute_rate
              FROM account_move move
              JOIN res_company company ON company.id = move.company_id
         LEFT JOIN (SELECT DISTINCT move_id FROM o2c_dispute_account_move_rel) disputed
                ON disputed.move_id = move.id
             WHERE move.move_type = 'out_invoice'
               AND move.state = 'posted'
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        # The revenue rate of a group is its disputed revenue over its revenue, not a mean of rows.
        if aggregate_spec == "revenue_dispute_rate:avg":
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "disputed_revenue", query),
                self._field_to_sql(self._table, "revenue", query),
            )
        return super()._read_group_select(aggregate_spec, query)
