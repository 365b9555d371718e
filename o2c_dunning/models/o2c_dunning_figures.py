from odoo import api, models
from odoo.tools import SQL


class O2cDunningFigures(models.AbstractModel):
    """Dunning figures gathered by the order-to-cash cockpit, each in a fixed number of queries."""

    _name = "o2c.dunning.figures"
    _description = "Dunning figures"

    @api.model
    def _o2c_level_effect(self, company, date_from, date_to, days):
        """Effect of each level: [(first day of month, level id, invoices reminded, paid within ``days``)].

        An invoice counts once per level, in the month of the sent reminder; it is paid within N days
        when it is paid in full now and its last reconciliation is dated at most N days after the
        reminder.
        """
        for model in ("o2c.dunning.communication", "o2c.dunning.communication.line", "account.move"):
            self.env[model].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            WITH reminded AS (
                SELECT cl.move_id, cl.level_id, MIN(c.run_date) AS run_date
                  FROM o2c_dunning_communication_line cl
                  JOIN o2c_dunning_communication c ON c.id = cl.communication_id
                 WHERE c.company_id = %(company)s AND c.state = 'sent'
                   AND c.run_date BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY cl.move_id, cl.level_id
            ), paid AS (
                SELECT l.move_id, MAX(p.max_date) AS paid_date
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id AND m.payment_state IN ('paid', 'in_payment')
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE l.move_id IN (SELECT move_id FROM reminded)
                   AND l.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                 GROUP BY l.move_id
            )
            SELECT date_trunc('month', r.run_date)::date, r.level_id, COUNT(*),
                   COUNT(*) FILTER (WHERE paid.paid_date <= r.run_date + %(days)s)
              FROM reminded r
              LEFT JOIN paid ON paid.move_id = r.move_id
             GROUP BY 1, 2
             ORDER BY 1, 2
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                days=days,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _o2c_open_promises(self, company):
        """Open promises to pay of the company: [(promised date, amount, [invoice ids])]."""
        promises = self.env["o2c.dunning.promise"].search_fetch(
            [("company_id", "=", company.id), ("state", "=", "open")], ["promise_date", "amount", "move_ids"]
        )
        return [(promise.promise_date, promise.amount, promise.move_ids.ids) for promise in promises]

    @api.model
    def _o2c_default_level_offsets(self, company):
        """Days after the due date of the levels of the company's default ladder (empty without one)."""
        return company.o2c_dunning_ladder_id.level_ids.mapped("day_offset")

    @api.model
    def _o2c_ladder_action(self, company):
        """Window action opening the company's default ladder (the ladders' list without one)."""
        ladder = company.o2c_dunning_ladder_id
        action = {
            "type": "ir.actions.act_window",
            "res_model": "o2c.dunning.ladder",
            "name": ladder.display_name or self.env["o2c.dunning.ladder"]._description,
        }
        if ladder:
            return dict(action, res_id=ladder.id, views=[(False, "form")])
        return dict(action, views=[(False, "list"), (False, "form")], domain=[("company_id", "=", company.id)])
