from odoo import api, fields, models
from odoo.tools import SQL


class O2cCreditFigures(models.AbstractModel):
    """Cash-in forecast figures of credit control, gathered by the order-to-cash cockpit.

    Each method runs a fixed number of queries whatever the number of customers, and returns
    (expected date, amount in company currency) pairs summed per day.
    """

    _name = "o2c.credit.figures"
    _description = "Credit figures"

    @api.model
    def _o2c_predicted_cashin(self, company, exclude_move_ids=()):
        """Open invoice amounts per predicted payment date (due date plus the customer's average days
        late, never before today: the rule of ``o2c.credit.cashin.forecast``), leaving out the given
        invoices; only this company's customers' average delay is read (``_late_days_query``), not their
        whole exposure."""
        today = fields.Date.context_today(self)
        late_days = self.env["o2c.credit.exposure"]._late_days_query(today, company_ids=[company.id])
        for model in ("account.move.line", "account.move", "account.partial.reconcile", "res.partner"):
            self.env[model].flush_model()
        # The receivable accounts as an array: joined to account_account, PostgreSQL expected a hundredth of
        # the open items (the receivable accounts are few among the chart's) and looked each one's invoice
        # and customer up by index.
        self.env.cr.execute(
            SQL(
                """
            SELECT GREATEST(COALESCE(l.date_maturity, l.date) + ROUND(COALESCE(b.avg_days_late, 0))::int,
                            %(today)s::date),
                   SUM(l.amount_residual)
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
              JOIN res_partner rp ON rp.id = l.partner_id
              LEFT JOIN (%(late_days)s) b ON b.partner_id = rp.commercial_partner_id AND b.company_id = l.company_id
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND l.reconciled IS NOT TRUE
               AND l.account_id = ANY(ARRAY(SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
               AND l.amount_residual > 0 AND NOT (l.move_id = ANY(%(excluded)s))
             GROUP BY 1
            """,
                today=today,
                late_days=late_days,
                company=company.id,
                excluded=list(exclude_move_ids),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _o2c_uninvoiced_cashin(self, company, today):
        """What confirmed orders have still to invoice (taxes included), per expected payment date: the
        delivery date promised (else the order date, never before today) plus the longest delay of the
        order's payment terms."""
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        self.env["account.payment.term.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            WITH order_amounts AS (
                SELECT o.id, GREATEST(COALESCE(o.commitment_date, o.date_order)::date, %(today)s::date) AS invoice_day,
                       GREATEST(SUM(sol.price_total - CASE WHEN sol.price_subtotal <> 0
                                    THEN COALESCE(sol.untaxed_amount_invoiced, 0) * sol.price_total / sol.price_subtotal
                                    ELSE COALESCE(sol.untaxed_amount_invoiced, 0) END), 0)
                       / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount,
                       o.payment_term_id
                  FROM sale_order o
                  JOIN sale_order_line sol ON sol.order_id = o.id
                 WHERE o.state = 'sale' AND o.company_id = %(company)s
                 GROUP BY o.id
            ), term_days AS (
                SELECT payment_id, MAX(nb_days) AS days FROM account_payment_term_line GROUP BY payment_id
            )
            SELECT oa.invoice_day + COALESCE(td.days, 0), SUM(oa.amount)
              FROM order_amounts oa
              LEFT JOIN term_days td ON td.payment_id = oa.payment_term_id
             WHERE oa.amount > 0
             GROUP BY 1
            """,
                company=company.id,
                today=today,
            )
        )
        return self.env.cr.fetchall()
