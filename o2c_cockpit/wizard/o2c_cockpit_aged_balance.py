from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..core.aging import DEFAULT_LIMITS, check_limits, spread_over_items
from .o2c_cockpit_aged_balance_line import BUCKET_FIELDS
from ..report.aged_balance_xlsx import aged_balance_workbook


class O2cCockpitAgedBalance(models.TransientModel):
    """The aged balance of the customers (balance âgée) of one company as of a date: asks the date,
    the basis and the limits, then holds the open items computed for them."""

    _name = "o2c.cockpit.aged.balance"
    _description = "Aged balance"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_at = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    basis = fields.Selection(
        [("due", "Due date"), ("invoice", "Invoice date")],
        string="Age from",
        required=True,
        default="due",
        help="Due date: how late each item is. Invoice date: how old each item is.",
    )
    period_1_days = fields.Integer(string="First limit (days)", required=True, default=DEFAULT_LIMITS[0])
    period_2_days = fields.Integer(string="Second limit (days)", required=True, default=DEFAULT_LIMITS[1])
    period_3_days = fields.Integer(string="Third limit (days)", required=True, default=DEFAULT_LIMITS[2])
    print_details = fields.Boolean(string="Print the items", help="The PDF lists each customer's open items.")
    line_ids = fields.One2many("o2c.cockpit.aged.balance.line", "balance_id", readonly=True)
    computed_key = fields.Char(readonly=True, help="The parameters the items were computed with.")
    xlsx_file = fields.Binary(readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    @api.constrains("period_1_days", "period_2_days", "period_3_days")
    def _check_limits(self):
        for balance in self:
            try:
                check_limits(balance._o2c_limits())
            except ValueError:
                raise ValidationError(
                    _(
                        "The limits of the aged balance must be whole numbers of days that grow, such as 30, 60 "
                        "and 90; %(limits)s do not.",
                        limits=", ".join(str(limit) for limit in balance._o2c_limits()),
                    )
                ) from None

    def _o2c_limits(self):
        self.ensure_one()
        return (self.period_1_days, self.period_2_days, self.period_3_days)

    def _o2c_key(self):
        self.ensure_one()
        return f"{self.company_id.id}|{self.date_at}|{self.basis}|{self._o2c_limits()}"

    # ------------------------------------------------------------------ computation
    def _o2c_compute(self):
        """Write the open receivable items at the chosen date into ``line_ids`` (one INSERT … SELECT),
        then their disputed part; a second call with the same parameters keeps them."""
        self.ensure_one()
        if self.computed_key == self._o2c_key():
            return
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM o2c_cockpit_aged_balance_line WHERE balance_id = %s", self.id))
        self.env.cr.execute(self._o2c_items_query())
        self._o2c_fill_disputes()
        self.computed_key = self._o2c_key()
        self.env["o2c.cockpit.aged.balance.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    def _o2c_items_query(self):
        """The INSERT of the items: each posted receivable journal item dated on or before the date, less
        its partial reconciliations dated on or before it (``max_date``, as Odoo's reports do); those
        settled at that date are left out."""
        limits = self._o2c_limits()
        reference = (
            SQL("COALESCE(aml.date_maturity, aml.date)")
            if self.basis == "due"
            else SQL("COALESCE(move.invoice_date, aml.date)")
        )
        bucket = SQL(
            "CASE WHEN items.age_days <= 0 THEN 0 WHEN items.age_days <= %s THEN 1 WHEN items.age_days <= %s "
            "THEN 2 WHEN items.age_days <= %s THEN 3 ELSE 4 END",
            *limits,
        )
        columns = SQL(", ").join(
            SQL("CASE WHEN bucketed.bucket = %s THEN bucketed.residual ELSE 0 END", index)
            for index in range(len(BUCKET_FIELDS))
        )
        return SQL(
            """
            WITH settled AS (
                SELECT line_id, SUM(amount) AS amount
                  FROM (
                        SELECT part.debit_move_id AS line_id, part.amount
                          FROM account_partial_reconcile part
                         WHERE part.company_id = %(company)s AND part.max_date <= %(date)s
                         UNION ALL
                        SELECT part.credit_move_id, -part.amount
                          FROM account_partial_reconcile part
                         WHERE part.company_id = %(company)s AND part.max_date <= %(date)s
                       ) parts
                 GROUP BY line_id
            ), items AS (
                SELECT aml.id, aml.move_id, aml.account_id, aml.date, aml.date_maturity,
                       move.invoice_date, move.o2c_dunning_level_id,
                       commercial.id AS partner_id, commercial.name AS partner_name,
                       %(reference)s AS reference_date,
                       %(date)s::date - %(reference)s AS age_days,
                       ROUND(aml.balance - COALESCE(settled.amount, 0), %(digits)s) AS residual
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
             LEFT JOIN res_partner partner ON partner.id = aml.partner_id
             LEFT JOIN res_partner commercial ON commercial.id = COALESCE(partner.commercial_partner_id, partner.id)
             LEFT JOIN settled ON settled.line_id = aml.id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND account.account_type = 'asset_receivable'
            ), bucketed AS (
                SELECT items.*, %(bucket)s AS bucket FROM items WHERE items.residual != 0
            )
            INSERT INTO o2c_cockpit_aged_balance_line (
                balance_id, company_id, partner_id, partner_name, move_line_id, move_id, account_id, date,
                invoice_date, date_maturity, reference_date, age_days, bucket, amount_residual,
                %(bucket_fields)s, amount_in_dispute, dunning_level_id,
                create_uid, create_date, write_uid, write_date)
            SELECT %(balance)s, %(company)s, bucketed.partner_id, bucketed.partner_name, bucketed.id,
                   bucketed.move_id, bucketed.account_id, bucketed.date, bucketed.invoice_date,
                   bucketed.date_maturity, bucketed.reference_date, bucketed.age_days, bucketed.bucket,
                   bucketed.residual, %(columns)s, 0, bucketed.o2c_dunning_level_id,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM bucketed
            """,
            company=self.company_id.id,
            date=self.date_at,
            reference=reference,
            digits=self.currency_id.decimal_places,
            bucket=bucket,
            bucket_fields=SQL(", ").join(SQL.identifier(name) for name in BUCKET_FIELDS),
            columns=columns,
            balance=self.id,
            uid=self.env.uid,
        )

    def _o2c_fill_disputes(self):
        """Set the disputed part of each open invoice item, from the disputes open today as
        ``o2c_disputes`` spreads them (``account.move._o2c_open_disputed_amounts``), capped at the
        item's balance at the chosen date."""
        self.env.cr.execute(
            SQL(
                """
                SELECT line.move_id, line.id, line.amount_residual
                  FROM o2c_cockpit_aged_balance_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE line.balance_id = %s AND line.amount_residual > 0 AND move.move_type = 'out_invoice'
                 ORDER BY line.move_id, line.date_maturity, line.id
                """,
                self.id,
            )
        )
        items = {}
        for move_id, line_id, residual in self.env.cr.fetchall():
            items.setdefault(move_id, []).append((line_id, residual))
        if not items:
            return
        moves = self.env["account.move"].browse(items)
        parts = {}
        for move_id, amount in moves._o2c_open_disputed_amounts(moves).items():
            parts.update(spread_over_items(amount, items[move_id]))
        if parts:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE o2c_cockpit_aged_balance_line line SET amount_in_dispute = parts.amount
                      FROM (SELECT UNNEST(%s::int[]) AS id, UNNEST(%s::numeric[]) AS amount) parts
                     WHERE line.id = parts.id
                    """,
                    list(parts),
                    list(parts.values()),
                )
            )

    def _o2c_totals(self):
        """Return the totals of the computed items: ``{field: amount}`` for the balance, each age column
        and the disputed part."""
        self.ensure_one()
        names = ("amount_residual", *BUCKET_FIELDS, "amount_in_dispute")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM o2c_cockpit_aged_balance_line WHERE balance_id = %s",
                SQL(", ").join(SQL("COALESCE(SUM(%s), 0)", SQL.identifier(name)) for name in names),
                self.id,
            )
        )
        return dict(zip(names, (float(value) for value in self.env.cr.fetchone()), strict=True))

    def _o2c_customers(self):
        """Return one dict per customer (commercial entity), by name: its totals per column, its highest
        dunning level and the ids of its items."""
        self.ensure_one()
        names = ("amount_residual", *BUCKET_FIELDS, "amount_in_dispute")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.partner_id, MIN(line.partner_name), %s,
                       (ARRAY_AGG(line.dunning_level_id ORDER BY level.sequence DESC NULLS LAST, level.id DESC)
                            FILTER (WHERE line.dunning_level_id IS NOT NULL))[1],
                       ARRAY_AGG(line.id ORDER BY line.reference_date, line.id)
                  FROM o2c_cockpit_aged_balance_line line
             LEFT JOIN o2c_dunning_level level ON level.id = line.dunning_level_id
                 WHERE line.balance_id = %s
                 GROUP BY line.partner_id
                 ORDER BY MIN(line.partner_name), line.partner_id
                """,
                SQL(", ").join(SQL("SUM(line.%s)", SQL.identifier(name)) for name in names),
                self.id,
            )
        )
        rows = self.env.cr.fetchall()
        # One prefetch set per model, so that reading the customers, levels and items costs a query per
        # batch of records, not per customer.
        partners = self.env["res.partner"].browse(row[0] for row in rows if row[0])
        levels = self.env["o2c.dunning.level"].browse(row[-2] for row in rows if row[-2])
        lines = self.env["o2c.cockpit.aged.balance.line"].browse(line_id for row in rows for line_id in row[-1])
        customers = []
        for partner_id, name, *amounts, level_id, line_ids in rows:
            customers.append(
                {
                    "partner": partners.browse(partner_id).with_prefetch(partners._prefetch_ids),
                    "name": name or _("No customer"),
                    **dict(zip(names, (float(amount) for amount in amounts), strict=True)),
                    "dunning_level": levels.browse(level_id).with_prefetch(levels._prefetch_ids),
                    "lines": lines.browse(line_ids).with_prefetch(lines._prefetch_ids),
                }
            )
        return customers

    def _o2c_column_labels(self):
        """The titles of the age columns, in the user's language."""
        return self.env["o2c.cockpit.aged.balance.line"]._o2c_bucket_labels(self._o2c_limits())

    # ------------------------------------------------------------------ buttons
    def action_view(self):
        """Compute the items and show them by customer (list, pivot), each customer opening on its items."""
        self.ensure_one()
        self._o2c_compute()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_cockpit.o2c_cockpit_aged_balance_line_action")
        action["name"] = _("Aged balance at %(date)s", date=fields.Date.to_string(self.date_at))
        action["domain"] = [("balance_id", "=", self.id)]
        action["context"] = {
            "o2c_aged_limits": list(self._o2c_limits()),
            "search_default_group_partner": 1,
        }
        return action

    def action_print(self):
        """Compute the items and print the aged balance (PDF with the company letterhead)."""
        self.ensure_one()
        self._o2c_compute()
        return self.env.ref("o2c_cockpit.action_report_aged_balance").report_action(self)

    def action_export_xlsx(self):
        """Compute the items and download them as an Excel workbook (one row per customer, its items
        grouped under it)."""
        self.ensure_one()
        self._o2c_compute()
        self.write(
            {
                "xlsx_file": self._o2c_xlsx(),
                "xlsx_filename": _("aged-balance-%(date)s.xlsx", date=fields.Date.to_string(self.date_at)),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/o2c.cockpit.aged.balance/{self.id}/xlsx_file/{self.xlsx_filename}?download=true",
            "target": "self",
        }

    def _o2c_xlsx(self):
        """Return the workbook of the computed aged balance, base64-encoded."""
        return aged_balance_workbook(self)
