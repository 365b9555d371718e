from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_round
from odoo.tools.sql import index_exists


class AccountMove(models.Model):
    _inherit = "account.move"

    o2c_predicted_payment_date = fields.Date(
        string="Predicted Payment Date",
        compute="_compute_o2c_predicted_payment_date",
        help="Due date plus the customer's average days late over the last 12 months.",
    )

    @api.depends("invoice_date_due", "payment_state", "commercial_partner_id")
    def _compute_o2c_predicted_payment_date(self):
        open_invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
                and move.invoice_date_due
            )
        )
        (self - open_invoices).o2c_predicted_payment_date = False
        for company, invoices in open_invoices.grouped("company_id").items():
            figures = (
                self.env["o2c.credit.exposure"]
                .with_company(company)
                ._fetch_figures(company, invoices.commercial_partner_id)
            )
            for invoice in invoices:
                # Half-up, as PostgreSQL's round() in the cash-in forecast: 2.5 days is 3 in both.
                delay = int(float_round(figures[invoice.commercial_partner_id.id][1].avg_days_late, 0))
                invoice.o2c_predicted_payment_date = invoice.invoice_date_due + timedelta(days=delay)


OPEN_RECEIVABLE_INDEX = "o2c_credit_aml_open_by_partner_idx"


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        """Index the open posted lines by partner, carrying what the exposure sums.

        The credit check reads every open line of one customer; with this partial covering index
        PostgreSQL answers from the index alone (once autovacuum has run) instead of visiting
        every journal item of the table.
        """
        result = super().init()
        if not index_exists(self.env.cr, OPEN_RECEIVABLE_INDEX):
            self.env.cr.execute(
                SQL(
                    """CREATE INDEX %s ON account_move_line (partner_id)
                       INCLUDE (company_id, account_id, amount_residual, date_maturity, date)
                       WHERE parent_state = 'posted' AND reconciled IS NOT TRUE""",
                    SQL.identifier(OPEN_RECEIVABLE_INDEX),
                )
            )
        return result
