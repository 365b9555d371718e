from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..core.aging import DEFAULT_LIMITS, check_limits, spread_over_items
from ..report.aged_balance_xlsx import aged_balance_workbook
from .o2c_cockpit_aged_balance_line import BUCKET_FIELDS


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
    customer_ids = fields.One2many("o2c.cockpit.aged.balance.customer", "balance_id", readonly=True)
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
        """Write one row per customer with its open amount at the chosen date in each column (one INSERT …
        SELECT over all the items, whatever their number), then its disputed part; the items themselves
        are written when a customer is opened. A second call with the same parameters keeps the rows."""
        self.ensure_one()
        if self.computed_key == self._o2c_key():
            return
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM o2c_cockpit_aged_balance_customer WHERE balance_id = %s", self.id))
        self.env.cr.execute(SQL("DELETE FROM o2c_cockpit_aged_balance_line WHERE balance_id = %s", self.id))
        sums = SQL(", ").join(SQL("SUM(%s)", SQL.identifier(name)) for name in BUCKET_FIELDS)
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (%(items)s)
                INSERT INTO o2c_cockpit_aged_balance_customer (
                    balance_id, company_id, partner_id, partner_name, item_count, amount_residual, %(fields)s,
                    amount_in_dispute, dunning_level_id, create_uid, create_date, write_uid, write_date)
                SELECT %(balance)s, %(company)s, items.partner_id, MIN(items.partner_name), COUNT(*),
                       SUM(items.residual), %(sums)s, 0,
                       (ARRAY_AGG(items.dunning_level_id ORDER BY level.sequence DESC, level.id DESC)
                            FILTER (WHERE items.dunning_level_id IS NOT NULL))[1],
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM items
             LEFT JOIN o2c_dunning_level level ON level.id = items.dunning_level_id
              GROUP BY items.partner_id
                """,
                items=self._o2c_items_select(),
                fields=SQL(", ").join(SQL.identifier(name) for name in BUCKET_FIELDS),
                balance=self.id,
                company=self.company_id.id,
                sums=sums,
                uid=self.env.uid,
            )
        )
        parts = self._o2c_dispute_parts()
        by_partner = {}
        for partner_id, part in parts.values():
            by_partner[partner_id] = by_partner.get(partner_id, 0.0) + part
        if by_partner:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE o2c_cockpit_aged_balance_customer row SET amount_in_dispute = parts.amount
                      FROM (SELECT UNNEST(%s::int[]) AS partner_id, UNNEST(%s::numeric[]) AS amount) parts
                     WHERE row.balance_id = %s AND row.partner_id = parts.partner_id
                    """,
                    list(by_partner),
                    list(by_partner.values()),
                    self.id,
                )
            )
        self.computed_key = self._o2c_key()
        self.env["o2c.cockpit.aged.balance.customer"].invalidate_model()
        self.env["o2c.cockpit.aged.balance.line"].invalidate_model()
        self.invalidate_recordset(["customer_ids", "line_ids"])

    def _o2c_items_select(self, partners=None, moves=None):
        """The SELECT of the open items at the date (of ``partners`` only, when given): each posted receivable
        journal item dated on or before the date, less its partial reconciliations dated on or before it
        (``max_date``, as Odoo's reports do), in the column of its age; those settled at that date are left
        out. Its columns: the item's ``id``, dates, ``age_days``, ``bucket``, ``residual``, one column per
        age bucket, the commercial ``partner_id`` and ``partner_name``, the document's ``move_type`` and
        ``dunning_level_id`` at the date: the level of its last reminder sent on or before a past date, the
        invoice's current level today."""
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
            SQL("CASE WHEN bucketed.bucket = %s THEN bucketed.residual ELSE 0 END AS %s", index, SQL.identifier(name))
            for index, name in enumerate(BUCKET_FIELDS)
        )
        if self.date_at >= fields.Date.context_today(self):
            # Today the level is the invoice's own, as the dunning keeps it (a level reached without a letter too).
            levels, level, levels_join = SQL(), SQL("move.o2c_dunning_level_id"), SQL()
        else:
            # Before, the level of the document's last reminder sent on or before the date (a reminder marked
            # sent without a sending time counts on its dunning date).
            levels = SQL(
                """levels AS (
                SELECT DISTINCT ON (reminded.move_id) reminded.move_id, reminded.level_id
                  FROM o2c_dunning_communication_line reminded
                  JOIN o2c_dunning_communication communication ON communication.id = reminded.communication_id
                 WHERE communication.company_id = %(company)s AND communication.state = 'sent'
                   AND COALESCE(communication.sent_date::date, communication.run_date) <= %(date)s
                 ORDER BY reminded.move_id, COALESCE(communication.sent_date::date, communication.run_date) DESC,
                          communication.id DESC
            ),""",
                company=self.company_id.id,
                date=self.date_at,
            )
            level = SQL("levels.level_id")
            levels_join = SQL("LEFT JOIN levels ON levels.move_id = aml.move_id")
        partner_filter = (
            SQL("AND COALESCE(partner.commercial_partner_id, partner.id) IN %s", tuple(partners.ids))
            if partners is not None
            else SQL()
        )
        if moves is not None:
            partner_filter = SQL("%s AND aml.move_id IN %s", partner_filter, tuple(moves.ids) or (0,))
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
            ), %(levels)s items AS (
                SELECT aml.id, aml.move_id, aml.account_id, aml.date, aml.date_maturity,
                       move.invoice_date, move.move_type, %(level)s AS dunning_level_id,
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
             %(levels_join)s
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND account.account_type = 'asset_receivable'
                   %(partner_filter)s
            ), bucketed AS (
                SELECT items.*, %(bucket)s AS bucket FROM items WHERE items.residual != 0
            )
            SELECT bucketed.*, %(columns)s FROM bucketed
            """,
            company=self.company_id.id,
            date=self.date_at,
            levels=levels,
            level=level,
            levels_join=levels_join,
            reference=reference,
            digits=self.currency_id.decimal_places,
            partner_filter=partner_filter,
            bucket=bucket,
            columns=columns,
        )

    def _o2c_dispute_parts(self, partners=None):
        """Return ``{item id: (partner id, disputed part)}`` for the open invoice items (of ``partners``) at the
        chosen date: the disputes open at that date (opened on or before it, not resolved on or before it), each
        spread over its invoices as ``o2c_disputes`` does (disputed lines' invoices first, then oldest due, see
        ``account.move._o2c_open_disputed_amounts``) but over their balances at that date, then over each
        invoice's items. Only the invoices under such a dispute are read."""
        # sudo: an accountant may have no right on disputes; only which invoices they hold is read here.
        disputes = self.env["o2c.dispute"].sudo().search_fetch(
            [("company_id", "=", self.company_id.id), ("date_open", "<=", self.date_at),
             "|", ("date_resolved", ">", self.date_at), "&", ("date_resolved", "=", False), ("state", "=", "open")],
            ["amount_disputed", "invoice_ids", "invoice_line_ids"],
        )  # fmt: skip
        candidates = disputes.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        if partners is not None:
            candidates = candidates.filtered(lambda move: move.commercial_partner_id in partners)
        if not candidates:
            return {}
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (%s)
                SELECT move_id, id, partner_id, date_maturity, residual FROM items
                 WHERE residual > 0 AND move_type = 'out_invoice'
                 ORDER BY move_id, date_maturity, id
                """,
                self._o2c_items_select(partners, moves=candidates),
            )
        )
        items = {}
        partner_of = {}
        open_invoices = {}
        for move_id, line_id, partner_id, date_maturity, residual in self.env.cr.fetchall():
            items.setdefault(move_id, []).append((line_id, float(residual)))
            partner_of[line_id] = partner_id
            # Rows come by due date: an invoice's first item gives its due date; its balance is its items' sum.
            due, total = open_invoices.get(move_id, (date_maturity, 0.0))
            open_invoices[move_id] = (due, total + float(residual))
        amounts = {}
        for dispute in disputes:
            shares = allocate_oldest_first(
                dispute.amount_disputed,
                [(move_id, *open_invoices[move_id]) for move_id in dispute.invoice_ids.ids if move_id in open_invoices],
                priority=dispute.invoice_line_ids.move_id.ids,
            )
            for move_id, share in shares.items():
                amounts[move_id] = amounts.get(move_id, 0.0) + share
        parts = {}
        for move_id, amount in amounts.items():
            capped = min(amount, open_invoices[move_id][1])
            for line_id, part in spread_over_items(capped, items[move_id]).items():
                parts[line_id] = (partner_of[line_id], part)
        return parts

    def _o2c_fill_items(self, partners):
        """Write the open items of ``partners`` at the chosen date into ``line_ids`` (their disputed part
        included), replacing those written before; return them."""
        self.ensure_one()
        self._o2c_compute()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "DELETE FROM o2c_cockpit_aged_balance_line WHERE balance_id = %s AND partner_id IN %s",
                self.id,
                tuple(partners.ids) or (0,),
            )
        )
        if partners:
            self.env.cr.execute(
                SQL(
                    """
                    WITH items AS (%(items)s)
                    INSERT INTO o2c_cockpit_aged_balance_line (
                        balance_id, company_id, partner_id, partner_name, move_line_id, move_id, account_id, date,
                        invoice_date, date_maturity, reference_date, age_days, bucket, amount_residual,
                        %(fields)s, amount_in_dispute, dunning_level_id, create_uid, create_date, write_uid, write_date)
                    SELECT %(balance)s, %(company)s, partner_id, partner_name, id, move_id, account_id, date,
                           invoice_date, date_maturity, reference_date, age_days, bucket, residual,
                           %(fields)s, 0, dunning_level_id,
                           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM items
                    RETURNING id, move_line_id
                    """,
                    items=self._o2c_items_select(partners),
                    fields=SQL(", ").join(SQL.identifier(name) for name in BUCKET_FIELDS),
                    balance=self.id,
                    company=self.company_id.id,
                    uid=self.env.uid,
                )
            )
            row_of = {move_line_id: row_id for row_id, move_line_id in self.env.cr.fetchall()}
            parts = {row_of[line_id]: part for line_id, (_partner, part) in self._o2c_dispute_parts(partners).items()}
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
        Line = self.env["o2c.cockpit.aged.balance.line"]
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return Line.search([("balance_id", "=", self.id), ("partner_id", "in", partners.ids)])

    def _o2c_totals(self):
        """Return the totals of the computed balance: ``{field: amount}`` for the balance, each age column
        and the disputed part."""
        self.ensure_one()
        names = ("amount_residual", *BUCKET_FIELDS, "amount_in_dispute")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM o2c_cockpit_aged_balance_customer WHERE balance_id = %s",
                SQL(", ").join(SQL("COALESCE(SUM(%s), 0)", SQL.identifier(name)) for name in names),
                self.id,
            )
        )
        return dict(zip(names, (float(value) for value in self.env.cr.fetchone()), strict=True))

    def _o2c_customers(self, with_items=False):
        """Return one dict per customer (commercial entity), by name: ``partner``, ``name``, its totals per
        column, its highest ``dunning_level``; with ``with_items``, its ``items`` too (dicts of the item's
        document name, dates, age, amounts per column, disputed part and dunning level name)."""
        self.ensure_one()
        self._o2c_compute()
        names = ("amount_residual", *BUCKET_FIELDS, "amount_in_dispute")
        rows = self.env["o2c.cockpit.aged.balance.customer"].search([("balance_id", "=", self.id)])
        items = {}
        if with_items:
            parts = self._o2c_dispute_parts()
            self.env.cr.execute(
                SQL(
                    """
                    WITH items AS (%s)
                    SELECT items.*, move.name AS move_name,
                           COALESCE(level.name->>%s, level.name->>'en_US') AS level_name
                      FROM items
                      JOIN account_move move ON move.id = items.move_id
                 LEFT JOIN o2c_dunning_level level ON level.id = items.dunning_level_id
                     ORDER BY items.reference_date, items.id
                    """,
                    self._o2c_items_select(),
                    self.env.lang or "en_US",
                )
            )
            for item in self.env.cr.dictfetchall():
                item["amount_residual"] = float(item["residual"])
                item["amount_in_dispute"] = parts.get(item["id"], (None, 0.0))[1]
                for name in BUCKET_FIELDS:
                    item[name] = float(item[name])
                items.setdefault(item["partner_id"], []).append(item)
        customers = []
        for row in rows:
            customers.append(
                {
                    "partner": row.partner_id,
                    "name": row.partner_name or _("No customer"),
                    **{name: row[name] for name in names},
                    "dunning_level": row.dunning_level_id,
                    "items": items.get(row.partner_id.id, []),
                }
            )
        return customers

    def _o2c_column_labels(self):
        """The titles of the age columns, in the user's language."""
        return self.env["o2c.cockpit.aged.balance.line"]._o2c_bucket_labels(self._o2c_limits())

    # ------------------------------------------------------------------ buttons
    def action_view(self):
        """Compute the balance and show it by customer (list, pivot), each customer opening on its items."""
        self.ensure_one()
        self._o2c_compute()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_cockpit.o2c_cockpit_aged_balance_customer_action")
        action["name"] = _("Aged balance at %(date)s", date=fields.Date.to_string(self.date_at))
        action["domain"] = [("balance_id", "=", self.id)]
        action["context"] = {"o2c_aged_limits": list(self._o2c_limits())}
        return action

    def _o2c_open_items(self, partners):
        """Write the items of ``partners`` and show them."""
        self.ensure_one()
        self._o2c_fill_items(partners)
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_cockpit.o2c_cockpit_aged_balance_line_action")
        action["name"] = ", ".join(partners.mapped("display_name")) or _("No customer")
        action["domain"] = [("balance_id", "=", self.id), ("partner_id", "in", partners.ids)]
        action["context"] = {"o2c_aged_limits": list(self._o2c_limits())}
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
