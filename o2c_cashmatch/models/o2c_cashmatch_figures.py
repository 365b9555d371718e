from odoo import api, models
from odoo.tools import SQL


class O2cCashmatchFigures(models.AbstractModel):
    """Cash-matching figures gathered by the order-to-cash cockpit, each in a fixed number of queries.

    A bank line counted here is a receipt (positive amount) of a bank journal, returns left out.
    """

    _name = "o2c.cashmatch.figures"
    _description = "Cash matching figures"

    @api.model
    def _o2c_receipt_domain(self, company, date_from, date_to=None):
        """Domain of the company's bank receipts dated between the two dates (returns left out)."""
        domain = [
            ("company_id", "=", company.id),
            ("journal_id.type", "=", "bank"),
            ("amount", ">", 0),
            ("o2c_is_return", "=", False),
            ("date", ">=", date_from),
        ]
        if date_to:
            domain.append(("date", "<=", date_to))
        return domain

    @api.model
    def _o2c_monthly(self, company, date_from, date_to):
        """{first day of month: {"lines": receipts, "auto": receipts reconciled automatically}}."""
        self.env["account.bank.statement.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT date_trunc('month', move.date)::date, COUNT(*), COUNT(*) FILTER (WHERE st.o2c_match_state = 'auto')
              FROM account_bank_statement_line st
              JOIN account_move move ON move.id = st.move_id
              JOIN account_journal journal ON journal.id = st.journal_id AND journal.type = 'bank'
             WHERE st.company_id = %(company)s AND st.amount > 0 AND st.o2c_is_return IS NOT TRUE
               AND move.date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return {month: {"lines": lines, "auto": auto} for month, lines, auto in self.env.cr.fetchall()}

    @api.model
    def _o2c_not_auto_by_state(self, company, date_from):
        """{matching state: number of receipts since ``date_from`` not reconciled automatically}."""
        domain = self._o2c_receipt_domain(company, date_from) + [("o2c_match_state", "!=", "auto")]
        groups = self.env["account.bank.statement.line"]._read_group(domain, ["o2c_match_state"], ["__count"])
        return dict(groups)
