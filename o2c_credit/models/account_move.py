from datetime import timedelta

from odoo import api, fields, models


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
                behaviour = figures.get(invoice.commercial_partner_id.id, (None, None, None))[1]
                delay = round(behaviour.avg_days_late) if behaviour else 0
                invoice.o2c_predicted_payment_date = invoice.invoice_date_due + timedelta(days=delay)
