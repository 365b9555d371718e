import ast
from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.base.models.res_lang import intersperse
from odoo.tools import SQL, float_round, format_amount, get_lang

OPEN_PAYMENT_STATES = ("not_paid", "partial")
# Reminders shown on the customer's account page (the most recent ones).
PORTAL_REMINDERS = 20


class O2cDunningStatement(models.AbstractModel):
    """The customer statement: every open receivable item of one customer in one company on a date, with
    the totals the letters, the statement PDF and the customer's portal account show.

    One SQL query reads the items, whatever their number; the disputed amounts come from the
    ``_o2c_disputed_amounts`` hook (one bounded read), so the cost does not grow with the items."""

    _name = "o2c.dunning.statement"
    _description = "Customer Statement"

    @api.model
    def _o2c_statement(self, partner, company, date=None, marked_move_ids=(), label_items=True):
        """Return the statement of `partner` (its commercial entity) in `company` on `date` (today):
        a dict with the customer, company, currency, date, ``items`` (one dict per open document, oldest
        due first, with its kind, days overdue, disputed amount and, unless `label_items` is false, its
        dates and amounts formatted in the current language: see ``_o2c_statement_label``) and ``totals``
        (overdue, not_due, credit, disputed, balance) in company currency. `marked_move_ids` are flagged
        ``marked`` (the invoices a letter is about)."""
        partner = partner.commercial_partner_id
        date = date or fields.Date.context_today(self)
        currency = company.currency_id
        items = self._o2c_statement_items(partner, company, date)
        disputed = self._o2c_disputed_amounts([item["move_id"] for item in items if item["residual"] > 0])
        marked = set(marked_move_ids)
        totals = dict.fromkeys(("overdue", "not_due", "credit", "disputed", "balance"), 0.0)
        for item in items:
            # an invoice's disputed amount is spread over its instalments, the earliest due first (items' order)
            item["disputed"] = min(max(disputed.get(item["move_id"], 0.0), 0.0), max(item["residual"], 0.0))
            if item["disputed"]:
                disputed[item["move_id"]] -= item["disputed"]
            item["marked"] = item["move_id"] in marked
            item["days_overdue"] = max((date - item["date_due"]).days, 0) if item["kind"] == "overdue" else 0
            totals["credit" if item["kind"] in ("credit_note", "payment") else item["kind"]] += item["residual"]
            totals["disputed"] += item["disputed"]
            totals["balance"] += item["residual"]
        statement = {
            "partner": partner,
            "company": company,
            "currency": currency,
            "date": date,
            "items": items,
            "totals": totals,
            "totals_label": {key: format_amount(self.env, value, currency) for key, value in totals.items()},
        }
        if label_items:
            self._o2c_statement_label(statement, items)
        return statement

    @api.model
    def _o2c_statement_label(self, statement, items):
        """Add to `items` (of `statement`) their dates and amounts formatted in the current language
        (``date_label``, ``date_due_label``, ``total_label``, ``residual_label``, ``disputed_label``); returns
        `items`. The portal formats only the page it shows, the PDF every item."""
        # formatted here with the language read once: QWeb's widgets, format_date and format_amount per cell
        # cost more than the query itself for 2,000 items
        date_format, money = self._o2c_formatters(statement["currency"])
        for item in items:
            item["date_label"] = item["date"].strftime(date_format) if item["date"] else ""
            item["date_due_label"] = item["date_due"].strftime(date_format) if item["date_due"] else ""
            item["total_label"] = money(item["amount_total"])
            item["residual_label"] = money(item["residual"])
            item["disputed_label"] = money(item["disputed"]) if item["disputed"] else ""
        return items

    @api.model
    def _o2c_formatters(self, currency):
        """(date format, amount formatter) of the current language, giving what ``format_date`` and
        ``format_amount`` give, with the language and the currency read once: ``res.lang.format`` parses the
        language's grouping and looks the language up again at each call, which took most of the time of a
        2,000-item statement."""
        lang = self.env["res.lang"]._get_data(id=get_lang(self.env).id)
        grouping = ast.literal_eval(lang.grouping)
        thousands_sep, decimal_point = lang.thousands_sep or "", lang.decimal_point
        digits = currency.decimal_places
        rounding = currency.rounding
        symbol = currency.symbol or ""
        before = currency.position == "before"
        # groups of three (every language Odoo ships but a few): Python's own grouping, else Odoo's rule
        by_three = grouping == [3, 0]

        def money(amount):
            value = float_round(amount, precision_rounding=rounding)
            if by_three:
                integer, point, decimals = f"{value:,.{digits}f}".partition(".")
                integer = integer.replace(",", thousands_sep)
            else:
                integer, point, decimals = f"{value:.{digits}f}".partition(".")
                integer = intersperse(integer, grouping, thousands_sep)[0]
            text = (
                (integer + decimal_point + decimals if point else integer)
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            return f"{symbol}\N{NO-BREAK SPACE}{text}" if before else f"{text}\N{NO-BREAK SPACE}{symbol}"

        return lang.date_format, money

    @api.model
    def _o2c_statement_items(self, partner, company, date):
        """The open receivable items of commercial partner `partner` in `company`, one dict per document (per
        instalment, with its own due date and amount, for an invoice payable in several) (move_id, move_type,
        name, date, date_due, amount_total, residual, kind), in one query."""
        for model in ("account.move.line", "account.move", "res.partner"):
            self.env[model].flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT aml.move_id, m.move_type, m.name, COALESCE(m.invoice_date, m.date) AS date,
                          COALESCE(CASE WHEN m.move_type = 'out_invoice' THEN aml.date_maturity END,
                                   m.invoice_date_due, MIN(aml.date_maturity), m.date) AS date_due,
                          SUM(aml.balance) AS amount_total, SUM(aml.amount_residual) AS residual
                     FROM account_move_line aml
                     JOIN account_move m ON m.id = aml.move_id
                     JOIN account_account a ON a.id = aml.account_id
                     JOIN res_partner p ON p.id = aml.partner_id
                    WHERE p.commercial_partner_id = %s AND aml.company_id = %s AND aml.parent_state = 'posted'
                      AND a.account_type = 'asset_receivable' AND NOT COALESCE(aml.reconciled, FALSE)
                 GROUP BY aml.move_id, m.move_type, m.name, m.invoice_date, m.date, m.invoice_date_due,
                          CASE WHEN m.move_type = 'out_invoice' THEN aml.date_maturity END
                   HAVING SUM(aml.amount_residual) != 0
                 ORDER BY 5, aml.move_id""",
                partner.id,
                company.id,
            )
        )
        for row in rows:
            if row["residual"] > 0:
                row["kind"] = "overdue" if row["date_due"] < date else "not_due"
            else:
                row["kind"] = "credit_note" if row["move_type"] == "out_refund" else "payment"
        return rows

    @api.model
    def _o2c_disputed_amounts(self, move_ids):
        """Extension hook: ``{move_id: amount in dispute}`` for the invoices of `move_ids` (company
        currency), shown on the statement and the portal account. o2c_dunning knows no disputes and
        returns ``{}``; ``o2c_disputes`` overrides it with its open disputes. Overrides stay set-based."""
        return {}

    @api.model
    def _o2c_portal_disputes(self, partner, company):
        """Extension hook: the disputes of commercial partner `partner` in `company` listed on its portal
        account, as dicts (name, invoices, amount, state, url). o2c_dunning returns ``[]``;
        ``o2c_disputes`` overrides it."""
        return []

    @api.model
    def _o2c_portal_account(self, partner, company, date=None):
        """Everything the customer's portal account page shows: the statement, the reminders received,
        the open promises to pay and the disputes (a bounded number of queries). The items are not formatted:
        the page formats those it shows (``_o2c_statement_label``)."""
        statement = self._o2c_statement(partner, company, date, label_items=False)
        partner = statement["partner"]
        reminders = (
            self.env["o2c.dunning.communication"]
            .sudo()  # sudo: customers have no right on reminders; only those of their own account are read
            .search_fetch(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "sent")],
                ["run_date", "level_id", "amount_dunned", "channel"],
                limit=PORTAL_REMINDERS,
            )
        )
        reminders.level_id.fetch(["name"])
        promises = (
            self.env["o2c.dunning.promise"]
            .sudo()  # sudo: as above
            .search_fetch(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "open")],
                ["promise_date", "amount"],
            )
        )
        statement.update(
            reminders=reminders,
            promises=promises,
            disputes=self._o2c_portal_disputes(partner, company),
            promise_limit=fields.Date.add(statement["date"], days=company.o2c_dunning_promise_max_days),
        )
        return statement

    @api.model
    def _o2c_open_invoices(self, partner, company, move_ids=None, overdue_only=False, date=None):
        """The open posted customer invoices of commercial partner `partner` in `company`: those of
        `move_ids` when given (ids of other customers are dropped), else all, or only the overdue ones."""
        domain = self._o2c_open_invoices_domain(partner, company, move_ids, overdue_only, date)
        return self.env["account.move"].sudo().search(domain, order="invoice_date_due, id")

    @api.model
    def _o2c_open_invoices_domain(self, partner, company, move_ids=None, overdue_only=False, date=None):
        """The domain of ``_o2c_open_invoices``."""
        domain = [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]
        if move_ids is not None:
            domain.append(("id", "in", list(move_ids)))
        if overdue_only:
            domain.append(("invoice_date_due", "<", date or fields.Date.context_today(self)))
        return domain

    @api.model
    def _o2c_collectors(self, partners, company):
        """Return {partner id: user in charge of the customer's collection}: its collector, the
        company's, its salesperson, else the administrator."""
        admin = self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user
        result = defaultdict(lambda: admin)
        for partner in partners:
            result[partner.id] = (
                partner.o2c_dunning_collector_id or company.o2c_dunning_collector_id or partner.user_id or admin
            )
        return result
