from odoo import fields, models
from odoo.tools import SQL


class O2cCreditCashinForecast(models.Model):
    """Open customer invoice instalments with the date each one is expected to be paid.

    The expected date is the due date plus the customer's average days late (from the exposure
    model), never earlier than today: overdue amounts are expected in the current week.
    """

    _name = "o2c.credit.cashin.forecast"
    _description = "Cash-in Forecast"
    _auto = False
    _rec_name = "move_id"
    _order = "predicted_date, id"
    # What the view reads, flushed by the ORM before each search (an invoice just posted or paid is shown).
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "company_currency_id",
            "date_maturity",
            "date",
            "parent_state",
            "reconciled",
            "amount_residual",
            "account_id",
        ],
        "account.move": ["move_type"],
        "account.partial.reconcile": ["amount", "max_date", "debit_move_id", "credit_move_id"],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    predicted_date = fields.Date(string="Expected Payment", readonly=True)
    delay_days = fields.Integer(string="Expected Delay (days)", readonly=True, aggregator="avg")
    amount_residual = fields.Monetary(string="Amount Expected", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        late_days = self.env["o2c.credit.exposure"]._late_days_query(today)
        return SQL(
            """
SELECT l.id, l.move_id, rp.commercial_partner_id AS partner_id, l.company_id, l.company_currency_id AS currency_id,
       COALESCE(l.date_maturity, l.date) AS date_due,
       ROUND(COALESCE(b.avg_days_late, 0))::int AS delay_days,
       GREATEST(COALESCE(l.date_maturity, l.date) + ROUND(COALESCE(b.avg_days_late, 0))::int, %(today)s::date)
           AS predicted_date,
       l.amount_residual,
       COALESCE(l.date_maturity, l.date) < %(today)s AS is_overdue
  FROM account_move_line l
  JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
  JOIN res_partner rp ON rp.id = l.partner_id
  LEFT JOIN (%(late_days)s) b ON b.partner_id = rp.commercial_partner_id AND b.company_id = l.company_id
 WHERE l.parent_state = 'posted' AND l.reconciled IS NOT TRUE AND l.amount_residual > 0
   AND l.account_id = ANY(ARRAY(SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
""",
            today=today,
            late_days=late_days,
        )
