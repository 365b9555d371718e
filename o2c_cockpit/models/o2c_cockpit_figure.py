from odoo import api, fields, models
from odoo.addons.o2c_base.tools.money import ZERO, to_money
from odoo.tools import SQL

from ..core import figures as figures_core

# Months shown, and months of sales read before them so that the countback of the oldest one
# does not run out of history.
MONTHS = 12
HISTORY_MONTHS = 12
# Days after a reminder within which a payment counts as its effect.
LEVEL_EFFECT_DAYS = 14
FORECAST_WEEKS = 13
# First key of the advisory lock taken while a company's figures are refreshed.
REFRESH_LOCK = 1702


class O2cCockpitFigure(models.Model):
    """The order-to-cash figures of one company for one month, refreshed by a daily cron or a button.

    Every figure is defined beside its field (help) and in the README; amounts in company currency.
    """

    _name = "o2c.cockpit.figure"
    _description = "Order-to-cash figures by month"
    _order = "company_id, month desc"
    _rec_name = "month"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, readonly=True, help="First day of the month measured.")
    sales = fields.Monetary(
        string="Invoiced", readonly=True, help="Customer invoices of the month, taxes included, credit notes deducted."
    )
    receivable = fields.Monetary(
        readonly=True,
        help="Open amount of customer invoices at the end of the month, as it stood that day "
        "(payments and reconciliations dated later are ignored).",
    )
    receivable_overdue = fields.Monetary(
        string="Overdue receivable", readonly=True, help="Part of the receivable whose due date had passed."
    )
    dso = fields.Float(
        string="DSO countback (days)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="Days of sales outstanding, countback: the month-end receivable is matched against the sales of "
        "the month, then of each month before, counting the days of each month wholly covered and the share "
        "of the month where it runs out.",
    )
    best_dso = fields.Float(
        string="Best possible DSO (days)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="The same countback applied to the part of the receivable not yet due: the DSO if every customer "
        "paid on its due date.",
    )
    days_delinquent = fields.Float(
        string="Average days delinquent",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="DSO countback minus best possible DSO: the days that late payment adds.",
    )
    cei = fields.Float(
        string="Collection effectiveness index (%)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="(receivable at start of month + invoiced − receivable at end) / (receivable at start + invoiced − "
        "receivable at end not yet due) × 100: what was collected of what could be collected.",
    )
    overdue_share = fields.Float(
        string="Share overdue (%)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="Overdue receivable / receivable at the end of the month × 100.",
    )
    invoice_count = fields.Integer(string="Invoices", readonly=True, help="Customer invoices dated in the month.")
    disputed_invoice_count = fields.Integer(
        string="Disputed invoices", readonly=True, help="Invoices of the month with a dispute."
    )
    dispute_rate = fields.Float(
        string="Dispute rate (%)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="Invoices of the month with a dispute / invoices of the month × 100.",
    )
    resolved_dispute_count = fields.Integer(
        string="Disputes resolved", readonly=True, help="Disputes resolved or closed in the month."
    )
    resolution_days = fields.Float(
        string="Average resolution time (days)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="Days from opening to resolution, averaged over the disputes resolved in the month.",
    )
    bank_line_count = fields.Integer(
        string="Bank receipts", readonly=True, help="Bank statement lines of the month that bring money in."
    )
    auto_line_count = fields.Integer(
        string="Matched automatically", readonly=True, help="Bank receipts reconciled by automatic matching."
    )
    auto_match_share = fields.Float(
        string="Matched automatically (%)",
        aggregator="avg",
        digits=(16, 1),
        readonly=True,
        help="Bank receipts of the month reconciled automatically / bank receipts of the month × 100.",
    )

    _sql_constraints = [
        ("company_month_unique", "UNIQUE(company_id, month)", "The figures of a month are stored once per company.")
    ]

    # ------------------------------------------------------------------ refresh

    def action_refresh(self):
        """Button: recompute the figures of the user's companies, then show them again."""
        self.env["o2c.cockpit.figure"].check_access("create")  # only those who may write figures refresh them
        self.env["o2c.cockpit.figure"]._o2c_refresh(self.env.companies)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _cron_refresh(self):
        """Daily cron: recompute the figures of every company that invoices customers."""
        groups = self.env["account.move"].sudo()._read_group([("move_type", "=", "out_invoice")], ["company_id"])
        self._o2c_refresh(self.env["res.company"].union(*(company for (company,) in groups)))

    @api.model
    def _o2c_refresh(self, companies, today=None):
        """Recompute the monthly figures, the level effects and the cash-in forecast of ``companies``.

        A fixed number of queries per company, whatever its number of customers or invoices. Of two
        refreshes at once, the second leaves a company that the first is refreshing.
        """
        today = today or fields.Date.context_today(self)
        sudo = self.sudo()
        for company in companies:
            self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", REFRESH_LOCK, company.id))
            if not self.env.cr.fetchone()[0]:
                continue
            months = sudo._o2c_compute_months(company, today)
            effects = sudo._o2c_compute_level_effects(company, today)
            weeks = sudo._o2c_compute_forecast(company, today)
            for model in ("o2c.cockpit.figure", "o2c.cockpit.level.effect", "o2c.cockpit.cashin.week"):
                sudo.env[model].search([("company_id", "=", company.id)]).unlink()
            sudo.create(months)
            sudo.env["o2c.cockpit.level.effect"].create(effects)
            sudo.env["o2c.cockpit.cashin.week"].create(weeks)

    def _o2c_receivables(self, company, month_starts, today):
        """{month: (receivable, receivable not yet due)} at the end of each month (today for the current
        month), as it stood that day."""
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        last_end = figures_core.month_end(month_starts[-1])
        self.env.cr.execute(
            SQL(
                """
            WITH ends AS (
                SELECT m::date AS month, LEAST((m + interval '1 month' - interval '1 day')::date, %(today)s) AS day_end
                  FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') m
            ), items AS (
                SELECT l.id, l.date, COALESCE(l.date_maturity, l.date) AS due, l.balance
                  FROM account_move_line l
                 WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND l.balance > 0
                   AND l.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                   AND l.date <= %(last_end)s
                   AND (l.reconciled IS NOT TRUE
                        OR l.id IN (SELECT debit_move_id FROM account_partial_reconcile WHERE max_date >= %(first)s)
                        OR l.id IN (SELECT credit_move_id FROM account_partial_reconcile WHERE max_date >= %(first)s))
            ), settled AS (
                SELECT p.debit_move_id AS line_id, p.max_date, p.amount
                  FROM account_partial_reconcile p JOIN items i ON i.id = p.debit_move_id
                 UNION ALL
                SELECT p.credit_move_id, p.max_date, -p.amount
                  FROM account_partial_reconcile p JOIN items i ON i.id = p.credit_move_id
            ), invoiced AS (
                SELECT e.month, SUM(i.balance) AS total, SUM(i.balance) FILTER (WHERE i.due >= e.day_end) AS not_due
                  FROM ends e JOIN items i ON i.date <= e.day_end
                 GROUP BY e.month
            ), paid AS (
                SELECT e.month, SUM(s.amount) AS total, SUM(s.amount) FILTER (WHERE i.due >= e.day_end) AS not_due
                  FROM ends e
                  JOIN settled s ON s.max_date <= e.day_end
                  JOIN items i ON i.id = s.line_id AND i.date <= e.day_end
                 GROUP BY e.month
            )
            SELECT e.month, COALESCE(inv.total, 0) - COALESCE(paid.total, 0),
                   COALESCE(inv.not_due, 0) - COALESCE(paid.not_due, 0)
              FROM ends e
              LEFT JOIN invoiced inv ON inv.month = e.month
              LEFT JOIN paid ON paid.month = e.month
            """,
                company=company.id,
                first=month_starts[0],
                last=month_starts[-1],
                last_end=min(last_end, today),
                today=today,
            )
        )
        digits = company.currency_id.decimal_places
        return {
            month: (to_money(total, digits), to_money(not_due, digits))
            for month, total, not_due in self.env.cr.fetchall()
        }

    def _o2c_sales(self, company, date_from, date_to):
        """{month: invoiced amount taxes included, credit notes deducted} between the two dates, by accounting
        date: the documents' signed totals in company currency, which is what they add to the receivable."""
        # The documents' own totals: summing their receivable lines joined 24,000 lines to their documents.
        self.env["account.move"].flush_model(["date", "amount_total_signed", "move_type", "state", "company_id"])
        self.env.cr.execute(
            SQL(
                """
            SELECT date_trunc('month', m.date)::date, SUM(m.amount_total_signed)
              FROM account_move m
             WHERE m.company_id = %(company)s AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        digits = company.currency_id.decimal_places
        return {month: to_money(amount, digits) for month, amount in self.env.cr.fetchall()}

    def _o2c_compute_months(self, company, today):
        """Values of the figure records of the last MONTHS months of ``company``."""
        shown = figures_core.last_months(today, MONTHS)
        history = figures_core.last_months(figures_core.add_months(shown[0], -1), HISTORY_MONTHS)
        date_from, date_to = history[0], figures_core.month_end(shown[-1])
        sales = self._o2c_sales(company, date_from, date_to)
        receivables = self._o2c_receivables(company, [history[-1], *shown], today)
        disputes = self.env["o2c.dispute.figures"]._o2c_monthly(company, shown[0], date_to)
        bank = self.env["o2c.cashmatch.figures"]._o2c_monthly(company, shown[0], date_to)
        data = [figures_core.MonthData(month, sales=sales.get(month, ZERO)) for month in history]
        for month in shown:
            end, end_not_due = receivables.get(month, (ZERO, ZERO))
            start = receivables.get(figures_core.add_months(month, -1), (ZERO, ZERO))[0]
            month_disputes = disputes.get(month, {})
            month_bank = bank.get(month, {})
            data.append(
                figures_core.MonthData(
                    month,
                    sales=sales.get(month, ZERO),
                    receivable_start=start,
                    receivable_end=end,
                    receivable_end_not_due=end_not_due,
                    invoices=month_disputes.get("invoices", 0),
                    disputed_invoices=month_disputes.get("disputed_invoices", 0),
                    disputes_resolved=month_disputes.get("resolved", 0),
                    resolution_days_total=month_disputes.get("resolution_days", 0.0),
                    bank_lines=month_bank.get("lines", 0),
                    bank_lines_auto=month_bank.get("auto", 0),
                    days=today.day if month == shown[-1] else None,
                )
            )
        computed = figures_core.month_figures(data)[len(history) :]
        values = []
        for month_data, month_figures in zip(data[len(history) :], computed, strict=True):
            values.append(
                {
                    "company_id": company.id,
                    "month": month_data.month,
                    "sales": month_data.sales,
                    "receivable": month_data.receivable_end,
                    "receivable_overdue": month_data.receivable_end - month_data.receivable_end_not_due,
                    "dso": month_figures.dso or 0.0,
                    "best_dso": month_figures.best_dso or 0.0,
                    "days_delinquent": month_figures.days_delinquent or 0.0,
                    "cei": month_figures.cei or 0.0,
                    "overdue_share": month_figures.overdue_share or 0.0,
                    "invoice_count": month_data.invoices,
                    "disputed_invoice_count": month_data.disputed_invoices,
                    "dispute_rate": month_figures.dispute_rate or 0.0,
                    "resolved_dispute_count": month_data.disputes_resolved,
                    "resolution_days": month_figures.resolution_days or 0.0,
                    "bank_line_count": month_data.bank_lines,
                    "auto_line_count": month_data.bank_lines_auto,
                    "auto_match_share": month_figures.auto_match_share or 0.0,
                }
            )
        return values

    def _o2c_compute_level_effects(self, company, today):
        """Values of the level-effect records: per month and dunning level, the invoices reminded and
        those paid within LEVEL_EFFECT_DAYS days."""
        shown = figures_core.last_months(today, MONTHS)
        rows = self.env["o2c.dunning.figures"]._o2c_level_effect(
            company, shown[0], figures_core.month_end(shown[-1]), LEVEL_EFFECT_DAYS
        )
        return [
            {
                "company_id": company.id,
                "month": month,
                "level_id": level_id,
                "days": LEVEL_EFFECT_DAYS,
                "reminded_count": reminded,
                "paid_count": paid,
                "paid_share": figures_core.level_effect(reminded, paid) or 0.0,
            }
            for month, level_id, reminded, paid in rows
        ]

    def _o2c_compute_forecast(self, company, today):
        """Values of the weekly cash-in forecast records over FORECAST_WEEKS weeks from today's week.

        An invoice under an open promise to pay is expected at the promised date for the promised
        amount, not at its predicted date.
        """
        credit = self.env["o2c.credit.figures"]
        promises = self.env["o2c.dunning.figures"]._o2c_open_promises(company)
        promised_moves = {move_id for _date, _amount, move_ids in promises for move_id in move_ids}
        digits = company.currency_id.decimal_places
        entries = [
            (day, "predicted", to_money(amount, digits))
            for day, amount in credit._o2c_predicted_cashin(company, promised_moves)
        ]
        entries += [(day, "promise", to_money(amount, digits)) for day, amount, _moves in promises]
        entries += [
            (day, "order", to_money(amount, digits)) for day, amount in credit._o2c_uninvoiced_cashin(company, today)
        ]
        totals = figures_core.weekly_forecast(today, entries, FORECAST_WEEKS)
        return [
            {"company_id": company.id, "week": monday, "source": source, "amount": amount}
            for (monday, source), amount in sorted(totals.items())
        ]
