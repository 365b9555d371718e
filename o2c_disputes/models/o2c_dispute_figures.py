from odoo import api, models
from odoo.tools import SQL

# Teams answerable for a mistake of the invoice itself (price, missing order number, legal data,
# duplicate), as opposed to logistics (quantity, damage, delivery).
INVOICING_TEAMS = ("sales_admin", "accounting")


class O2cDisputeFigures(models.AbstractModel):
    """Dispute figures gathered by the order-to-cash cockpit, each in a fixed number of queries."""

    _name = "o2c.dispute.figures"
    _description = "Dispute figures"

    @api.model
    def _o2c_monthly(self, company, date_from, date_to):
        """{first day of month: counts} between the two dates: posted customer invoices dated that month
        ("invoices"), those with a dispute ("disputed_invoices"), disputes resolved that month
        ("resolved") and their days from opening to resolution ("resolution_days", summed)."""
        self.env["account.move"].flush_model(["invoice_date", "move_type", "state", "company_id"])
        self.env["o2c.dispute"].flush_model(["state", "date_open", "date_resolved", "company_id", "invoice_ids"])
        result = {}
        self.env.cr.execute(
            SQL(
                """
            SELECT date_trunc('month', m.invoice_date)::date, COUNT(*),
                   COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM o2c_dispute_account_move_rel r WHERE r.move_id = m.id))
              FROM account_move m
             WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice' AND m.state = 'posted'
               AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        for month, invoices, disputed in self.env.cr.fetchall():
            result.setdefault(month, {}).update(invoices=invoices, disputed_invoices=disputed)
        self.env.cr.execute(
            SQL(
                """
            SELECT date_trunc('month', d.date_resolved)::date, COUNT(*), SUM(d.date_resolved - d.date_open)
              FROM o2c_dispute d
             WHERE d.company_id = %(company)s AND d.state <> 'open'
               AND d.date_resolved BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        for month, resolved, days in self.env.cr.fetchall():
            result.setdefault(month, {}).update(resolved=resolved, resolution_days=float(days or 0))
        return result

    @api.model
    def _o2c_by_reason(self, company, date_from):
        """{reason record: number of disputes opened since ``date_from``}."""
        groups = self.env["o2c.dispute"]._read_group(
            [("company_id", "=", company.id), ("date_open", ">=", date_from)], ["reason_id"], ["__count"]
        )
        return dict(groups)

    @api.model
    def _o2c_invoicing_dispute_domain(self, company, date_from):
        """Domain of the customer invoices dated since ``date_from`` disputed for an invoicing reason
        (a reason answered by sales administration or accounting)."""
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("invoice_date", ">=", date_from),
            ("o2c_dispute_ids.reason_id.team", "in", INVOICING_TEAMS),
        ]
