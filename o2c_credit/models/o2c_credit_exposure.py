from odoo import api, fields, models
from odoo.addons.o2c_base.tools.money import ZERO, to_money
from odoo.tools import SQL

from ..core import Behaviour, Exposure, assess_risk

RISK_GRADES = [("A", "A - low risk"), ("B", "B - moderate"), ("C", "C - watch"), ("D", "D - high risk")]
# Report rows need one integer id per (customer, company): ids stay unique below 1000 companies.
ID_FACTOR = 1000
# The figures of a customer without any (or of no customer yet): (exposure, behaviour, credit limit).
NO_FIGURES = (Exposure(), Behaviour(), ZERO)

# The credit limit per row, as the ORM reads the company-dependent ``credit_limit`` (the
# customer's value, else the default): only the report needs it in SQL, the checks read it
# through the ORM, which spares the planner one more join.
LIMITS_CTE = """), limits AS (
    SELECT k.company_id, k.cp,
           CASE WHEN rc.account_use_credit_limit THEN COALESCE(
               (p.credit_limit ->> k.company_id::text)::float,
               (SELECT d.json_value::float FROM ir_default d
                  JOIN ir_model_fields f ON f.id = d.field_id AND f.model = 'res.partner' AND f.name = 'credit_limit'
                 WHERE d.user_id IS NULL AND d.condition IS NULL
                   AND (d.company_id = k.company_id OR d.company_id IS NULL)
                 ORDER BY d.company_id NULLS LAST LIMIT 1),
               0) ELSE 0 END AS credit_limit,
           rc.currency_id
      FROM keys k
      JOIN res_partner p ON p.id = k.cp
      JOIN res_company rc ON rc.id = k.company_id
"""
LIMITS_JOIN = "JOIN limits lim ON lim.company_id = k.company_id AND lim.cp = k.cp"
LIMIT_COLUMNS = """lim.currency_id, lim.credit_limit,
       lim.credit_limit - t.total AS amount_available,
       CASE WHEN lim.credit_limit > 0 THEN 100.0 * t.total / lim.credit_limit ELSE 0 END AS limit_usage"""
# Each payment's amount times its days late (0 when on time or early), summed: over the amount paid, the
# amount-weighted average days late.
LATE_WEIGHT = SQL("SUM(apr.amount * GREATEST(apr.max_date - COALESCE(l.date_maturity, l.date), 0))")
NO_LIMIT_COLUMNS = """NULL::int AS currency_id, NULL::float AS credit_limit,
       NULL::numeric AS amount_available, NULL::numeric AS limit_usage"""


class O2cCreditExposure(models.Model):
    """Credit exposure and payment behaviour of every customer, per company.

    This model is the one place where exposure is computed: its SQL (``_exposure_query``) feeds
    the customers' "Credit & risk" tab, the order check, the alerts and, as a read-only table,
    the list/pivot of all customers.
    """

    _name = "o2c.credit.exposure"
    _description = "Customer Credit Exposure"
    _auto = False
    _rec_name = "partner_id"
    _order = "amount_total desc, partner_id"
    # What the exposure SQL reads: flushed by the ORM before a search of the list, by _fetch_figures otherwise.
    _depends = {
        "account.move.line": ["amount_residual", "reconciled", "parent_state", "date_maturity", "partner_id"],
        "account.move": ["state", "amount_total_signed", "partner_id", "invoice_date"],
        "account.partial.reconcile": ["amount", "max_date"],
        "sale.order": ["state", "currency_rate", "partner_id"],
        "sale.order.line": ["price_total", "price_subtotal", "untaxed_amount_invoiced"],
        "res.partner": ["commercial_partner_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    credit_limit = fields.Float(readonly=True, aggregator="sum")
    amount_not_due = fields.Monetary(string="Open, Not Due", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    amount_credits = fields.Monetary(string="Unapplied Credits", readonly=True)
    days_past_due = fields.Integer(string="Oldest Days Past Due", readonly=True, aggregator="max")
    amount_uninvoiced = fields.Monetary(string="Confirmed Orders Not Invoiced", readonly=True)
    amount_draft = fields.Monetary(string="Draft Invoices", readonly=True)
    amount_total = fields.Monetary(string="Total Exposure", readonly=True)
    amount_available = fields.Monetary(string="Available Credit", readonly=True)
    limit_usage = fields.Float(string="Limit Used (%)", readonly=True, aggregator="max")
    paid_amount = fields.Monetary(string="Paid (12 months)", readonly=True)
    avg_days_late = fields.Float(string="Average Days Late", readonly=True, aggregator="avg")
    paid_count = fields.Integer(string="Invoices Paid (12 months)", readonly=True)
    on_time_count = fields.Integer(string="Paid On Time", readonly=True)
    late_count = fields.Integer(string="Paid Late", readonly=True)
    last_payment_date = fields.Date(string="Last Payment", readonly=True, aggregator="max")
    sales_amount = fields.Monetary(string="Invoiced (12 months)", readonly=True)
    risk_grade = fields.Selection(RISK_GRADES, compute="_compute_risk_grade")

    @property
    def _table_query(self):
        return self._exposure_query(fields.Date.context_today(self), all_customers=True, with_limits=True)

    @api.model
    def _exposure_query(
        self,
        today,
        company_ids=None,
        member_ids=None,
        exclude_order_ids=(),
        all_customers=False,
        with_sales=True,
        with_limits=False,
    ):
        """Return the SQL giving one row per (commercial customer, company) with its exposure and behaviour.

        ``member_ids`` (every contact of the commercial partners wanted, see ``_members``) and
        ``company_ids`` narrow the aggregates so the order check reads only its customer; each
        table is then filtered on the contacts directly, which the planner turns into plain index
        or sequential scans. ``exclude_order_ids`` leaves out of the confirmed orders the orders
        being checked; ``all_customers`` adds customers without any figure (report); ``with_sales``
        adds the sales of the year (for the DSO), which the rules do not need; ``with_limits`` adds
        the credit limit, the available credit and the usage (the report).
        """
        members = SQL("TRUE")
        if member_ids is not None:
            member_ids = list(member_ids) or [0]
            members = SQL("p.id = ANY(%s)", member_ids)

        def member(alias):
            if member_ids is None:
                return SQL("TRUE")
            return SQL("%s.partner_id = ANY(%s)", SQL.identifier(alias), member_ids)

        def company(alias):
            if company_ids is None:
                return SQL("TRUE")
            return SQL("%s.company_id IN %s", SQL.identifier(alias), tuple(company_ids) or (0,))

        excluded = SQL("o.id NOT IN %s", tuple(exclude_order_ids)) if exclude_order_ids else SQL("TRUE")
        window_start = fields.Date.subtract(today, days=365)
        sales_filter = SQL("TRUE") if with_sales else SQL("FALSE")
        customers = SQL("")
        if all_customers:
            customers = SQL(
                """UNION
                SELECT c.id, p.id FROM res_partner p
                  JOIN res_company c ON p.company_id IS NULL OR p.company_id = c.id
                 WHERE p.customer_rank > 0 AND p.active AND p.id = p.commercial_partner_id AND %s AND %s""",
                members,
                company("c"),
            )
        return SQL(
            """
WITH members AS MATERIALIZED (
    SELECT p.id, p.commercial_partner_id AS cp FROM res_partner p WHERE %(members)s
), receivable AS (
    SELECT l.company_id, m.cp,
           SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0
                                            AND COALESCE(l.date_maturity, l.date) >= %(today)s) AS not_due,
           SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0
                                            AND COALESCE(l.date_maturity, l.date) < %(today)s) AS overdue,
           SUM(l.amount_residual) FILTER (WHERE l.amount_residual < 0) AS credits,
           MIN(COALESCE(l.date_maturity, l.date)) FILTER (WHERE l.amount_residual > 0
                                            AND COALESCE(l.date_maturity, l.date) < %(today)s) AS oldest_due
      FROM account_move_line l
      JOIN members m ON m.id = l.partner_id
     WHERE l.account_id = ANY(ARRAY(SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
       AND l.parent_state = 'posted' AND l.reconciled IS NOT TRUE AND l.amount_residual <> 0
       AND %(company_l)s AND %(member_l)s
     GROUP BY l.company_id, m.cp
), order_amounts AS (
    SELECT o.company_id, m.cp,
           GREATEST(SUM(sol.price_total - CASE WHEN sol.price_subtotal <> 0
                        THEN COALESCE(sol.untaxed_amount_invoiced, 0) * sol.price_total / sol.price_subtotal
                        ELSE COALESCE(sol.untaxed_amount_invoiced, 0) END), 0)
           / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
      FROM sale_order o
      JOIN members m ON m.id = o.partner_id
      JOIN sale_order_line sol ON sol.order_id = o.id
     WHERE o.state = 'sale' AND %(company_o)s AND %(member_o)s AND %(excluded)s
     GROUP BY o.company_id, m.cp, o.id
), orders AS (
    SELECT company_id, cp, SUM(amount) AS uninvoiced FROM order_amounts GROUP BY company_id, cp
), drafts AS (
    SELECT mv.company_id, m.cp, SUM(mv.amount_total_signed) AS amount
      FROM account_move mv
      JOIN members m ON m.id = mv.partner_id
     WHERE mv.state = 'draft' AND mv.move_type IN ('out_invoice', 'out_refund') AND %(company_mv)s AND %(member_mv)s
       AND NOT EXISTS (SELECT 1 FROM account_move_line il
                         JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = il.id
                        WHERE il.move_id = mv.id)
     GROUP BY mv.company_id, m.cp
), payments AS (
    SELECT l.company_id, m.cp, l.id, l.reconciled, COALESCE(l.date_maturity, l.date) AS due,
           SUM(apr.amount) AS amount, MAX(apr.max_date) AS paid_on, %(late_weight)s AS late_weight
    %(paid_items)s
     GROUP BY l.company_id, m.cp, l.id
), behaviour AS (
    SELECT company_id, cp,
           SUM(amount) FILTER (WHERE reconciled) AS paid_amount,
           SUM(late_weight) FILTER (WHERE reconciled) AS late_weight,
           COUNT(*) FILTER (WHERE reconciled) AS paid_count,
           COUNT(*) FILTER (WHERE reconciled AND paid_on <= due) AS on_time_count,
           COUNT(*) FILTER (WHERE reconciled AND paid_on > due) AS late_count,
           MAX(paid_on) AS last_payment_date
      FROM payments GROUP BY company_id, cp
), sales AS (
    SELECT mv.company_id, m.cp, SUM(mv.amount_total_signed) AS amount
      FROM account_move mv
      JOIN members m ON m.id = mv.partner_id
     WHERE mv.state = 'posted' AND mv.move_type IN ('out_invoice', 'out_refund')
       AND mv.invoice_date > %(window_start)s AND mv.invoice_date <= %(today)s AND %(company_mv)s
       AND %(member_mv)s AND %(sales_filter)s
     GROUP BY mv.company_id, m.cp
), keys AS (
    SELECT company_id, cp FROM receivable
    UNION SELECT company_id, cp FROM orders
    UNION SELECT company_id, cp FROM drafts
    UNION SELECT company_id, cp FROM behaviour
    UNION SELECT company_id, cp FROM sales
    %(customers)s
%(limits_cte)s)
SELECT k.cp * %(factor)s + k.company_id AS id, k.cp AS partner_id, k.company_id, %(limit_columns)s,
       COALESCE(r.not_due, 0) AS amount_not_due,
       COALESCE(r.overdue, 0) AS amount_overdue,
       COALESCE(r.credits, 0) AS amount_credits,
       COALESCE(%(today)s - r.oldest_due, 0) AS days_past_due,
       COALESCE(o.uninvoiced, 0) AS amount_uninvoiced,
       COALESCE(d.amount, 0) AS amount_draft,
       t.total AS amount_total,
       COALESCE(b.paid_amount, 0) AS paid_amount,
       COALESCE(b.late_weight / NULLIF(b.paid_amount, 0), 0) AS avg_days_late,
       COALESCE(b.late_weight, 0) AS late_weight,
       COALESCE(b.paid_count, 0) AS paid_count,
       COALESCE(b.on_time_count, 0) AS on_time_count,
       COALESCE(b.late_count, 0) AS late_count,
       b.last_payment_date,
       COALESCE(s.amount, 0) AS sales_amount
  FROM keys k
  %(limits_join)s
  LEFT JOIN receivable r ON r.company_id = k.company_id AND r.cp = k.cp
  LEFT JOIN orders o ON o.company_id = k.company_id AND o.cp = k.cp
  LEFT JOIN drafts d ON d.company_id = k.company_id AND d.cp = k.cp
  LEFT JOIN behaviour b ON b.company_id = k.company_id AND b.cp = k.cp
  LEFT JOIN sales s ON s.company_id = k.company_id AND s.cp = k.cp
  CROSS JOIN LATERAL (SELECT COALESCE(r.not_due, 0) + COALESCE(r.overdue, 0) + COALESCE(r.credits, 0)
                             + COALESCE(o.uninvoiced, 0) + COALESCE(d.amount, 0) AS total) t
""",
            members=members,
            today=today,
            late_weight=LATE_WEIGHT,
            paid_items=self._paid_items(today, SQL("members"), company("l"), member("l")),
            window_start=window_start,
            company_l=company("l"),
            company_o=company("o"),
            company_mv=company("mv"),
            member_l=member("l"),
            member_o=member("o"),
            member_mv=member("mv"),
            excluded=excluded,
            customers=customers,
            sales_filter=sales_filter,
            factor=ID_FACTOR,
            limits_cte=SQL(LIMITS_CTE) if with_limits else SQL(""),
            limits_join=SQL(LIMITS_JOIN) if with_limits else SQL(""),
            limit_columns=SQL(LIMIT_COLUMNS if with_limits else NO_LIMIT_COLUMNS),
        )

    @api.model
    def _paid_items(self, today, partners, company_filter, member_filter):
        """Return the SQL ``FROM … WHERE`` of the payments, over the 365 days to ``today``, of customer invoice
        items: ``l`` the item, ``apr`` the partial reconciliation, ``m`` the item's partner as (id, cp) with cp
        its commercial customer, from the relation ``partners``; credit notes are not payments.

        The payment behaviour of ``_exposure_query`` and the average delay of ``_late_days_query`` both read it.
        """
        return SQL(
            """
      FROM account_move_line l
      JOIN %(partners)s m ON m.id = l.partner_id
      JOIN account_move lm ON lm.id = l.move_id AND lm.move_type = 'out_invoice'
      JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
      JOIN account_move_line c ON c.id = apr.credit_move_id
      JOIN account_move cm ON cm.id = c.move_id AND cm.move_type != 'out_refund'
     WHERE l.parent_state = 'posted' AND apr.max_date > %(window_start)s AND apr.max_date <= %(today)s
       AND %(company_l)s AND %(member_l)s""",
            partners=partners,
            today=today,
            window_start=fields.Date.subtract(today, days=365),
            company_l=company_filter,
            member_l=member_filter,
        )

    @api.model
    def _late_days_query(self, today, company_ids=None):
        """Return the SQL giving one row per (commercial customer, company) that paid invoices in full over the
        365 days to ``today``: partner_id, company_id, avg_days_late (as in ``_exposure_query``).

        For the predicted payment dates of many customers at once: the whole exposure query joined to every
        open item made PostgreSQL misjudge the rows (86 expected, 16,000 read on 20,000 invoices) and read
        its aggregates again for each customer.
        """
        company = SQL("TRUE")
        if company_ids is not None:
            company = SQL("l.company_id IN %s", tuple(company_ids) or (0,))
        return SQL(
            """
    SELECT m.cp AS partner_id, l.company_id, %(late_weight)s / NULLIF(SUM(apr.amount), 0) AS avg_days_late
    %(paid_items)s AND l.reconciled
     GROUP BY l.company_id, m.cp
""",
            late_weight=LATE_WEIGHT,
            paid_items=self._paid_items(
                today, SQL("(SELECT id, commercial_partner_id AS cp FROM res_partner)"), company, SQL("TRUE")
            ),
        )

    @api.model
    def _fetch_figures(self, company, partners, exclude_orders=None, with_sales=True):
        """Return ``{commercial_partner_id: (Exposure, Behaviour, credit_limit)}`` for ``partners`` in ``company``.

        Every partner of ``partners`` has an entry (empty figures when it has none or is not saved). Two queries
        whatever the number of partners, invoices or orders: the contacts, then the aggregates.
        """
        for model, fnames in self._depends.items():
            self.env[model].flush_model(fnames)
        query = self._exposure_query(
            fields.Date.context_today(self),
            company_ids=company.ids,
            member_ids=self._members(partners),
            exclude_order_ids=tuple(exclude_orders.ids) if exclude_orders else (),
            with_sales=with_sales,
        )
        self.env.cr.execute(query)
        columns = [column.name for column in self.env.cr.description]
        rows = {}
        for values in self.env.cr.fetchall():
            row = dict(zip(columns, values, strict=True))
            rows[row["partner_id"]] = (self._row_exposure(row), self._row_behaviour(row))
        use_limit = company.account_use_credit_limit
        result = {}
        # sudo: Odoo lets only accounting users read credit_limit, and salespeople see exposures too.
        for partner in partners.with_company(company).sudo():
            exposure, behaviour = rows.get(partner._origin.id, (Exposure(), Behaviour()))
            result[partner.id] = (exposure, behaviour, to_money(partner.credit_limit) if use_limit else ZERO)
        return result

    @api.model
    def _members(self, partners):
        """Return the ids of every contact, archived ones included, of the commercial ``partners``."""
        stored = [partner_id for partner_id in partners._origin.ids if partner_id]
        if not stored:
            return []
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE commercial_partner_id IN %s", tuple(stored)))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _row_exposure(self, row):
        return Exposure(
            not_due=to_money(row["amount_not_due"]),
            overdue=to_money(row["amount_overdue"]),
            credits=to_money(row["amount_credits"]),
            days_past_due=row["days_past_due"],
            uninvoiced_orders=to_money(row["amount_uninvoiced"]),
            draft_invoices=to_money(row["amount_draft"]),
        )

    @api.model
    def _row_behaviour(self, row):
        return Behaviour(
            paid_amount=to_money(row["paid_amount"]),
            late_weight=to_money(row["late_weight"]),
            paid_count=row["paid_count"],
            on_time_count=row["on_time_count"],
            late_count=row["late_count"],
            last_payment_date=row["last_payment_date"],
            sales=to_money(row["sales_amount"]),
        )

    def _compute_risk_grade(self):
        figures = {}
        for company, rows in self.grouped("company_id").items():
            figures[company.id] = self._fetch_figures(company, rows.partner_id)
        for row in self:
            partner = row.partner_id.with_company(row.company_id)
            exposure, behaviour, limit = figures[row.company_id.id][row.partner_id.id]
            row.risk_grade = assess_risk(
                exposure, behaviour, limit, trust=partner.trust or "normal", on_hold=partner.o2c_credit_hold
            ).grade
