import datetime

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, format_date

from ..core import figures as figures_core
from ..core import health as health_core

ANSWERS = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]
REVIEW_FREQUENCIES = [
    ("weekly", "Every week"),
    ("monthly", "Every month"),
    ("quarterly", "Every quarter"),
    ("never", "Never"),
]
# Months of data the measures look back over.
LOOKBACK_MONTHS = 12


def _plain_domain(domain):
    """The domain with its dates as ISO strings, so that it is stored as a literal the finding can read back."""
    return [
        (term[0], term[1], _plain_value(term[2])) if isinstance(term, (list, tuple)) and len(term) == 3 else term
        for term in domain
    ]


def _plain_value(value):
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
        return _plain_domain(value)
    return fields.Date.to_string(value) if isinstance(value, datetime.date) else value


class O2cCockpitHealthCheck(models.Model):
    """A health check of the company's order-to-cash cycle: the answers to a short questionnaire on its
    practices, what its data measures, a score per step and findings with recommendations."""

    _name = "o2c.cockpit.health.check"
    _description = "Order-to-cash health check"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", string="Done by", default=lambda self: self.env.user)
    state = fields.Selection([("draft", "Questionnaire"), ("done", "Measured")], default="draft", required=True)

    q_terms_clauses = fields.Selection(
        ANSWERS, string="Do your terms of sale state the payment terms and the late-payment penalties?"
    )
    q_credit_insurance = fields.Selection(ANSWERS, string="Are your receivables covered by credit insurance?")
    q_credit_policy = fields.Selection(ANSWERS, string="Is there a written credit policy with approval levels?")
    q_invoice_on_delivery = fields.Selection(ANSWERS, string="Do you invoice right after delivery?")
    q_customer_po = fields.Selection(ANSWERS, string="Do invoices carry the customer's order number?")
    q_graduated_reminders = fields.Selection(ANSWERS, string="Do you follow a graduated reminder procedure?")
    q_aged_balance_review = fields.Selection(REVIEW_FREQUENCIES, string="How often is the aged balance reviewed?")
    q_automatic_matching = fields.Selection(ANSWERS, string="Are bank receipts matched automatically?")
    q_bank_accounts = fields.Integer(string="Into how many bank accounts do customers pay?")
    q_direct_debit = fields.Selection(ANSWERS, string="Do you prefer direct debit to cheques?")

    late_share = fields.Float(string="Paid more than 15 days late (%)", digits=(16, 1), readonly=True)
    order_to_invoice_days = fields.Float(string="Order to invoice (days)", digits=(16, 1), readonly=True)
    invoice_to_payment_days = fields.Float(string="Invoice to payment (days)", digits=(16, 1), readonly=True)
    order_to_payment_days = fields.Float(string="Order to payment (days)", digits=(16, 1), readonly=True)
    complete_share = fields.Float(string="Customers with complete master data (%)", digits=(16, 1), readonly=True)
    invoicing_error_rate = fields.Float(string="Invoicing error rate (%)", digits=(16, 1), readonly=True)
    auto_match_share = fields.Float(string="Receipts matched automatically (%)", digits=(16, 1), readonly=True)
    dispute_rate = fields.Float(string="Dispute rate (%)", digits=(16, 1), readonly=True)
    resolution_days = fields.Float(string="Average resolution time (days)", digits=(16, 1), readonly=True)

    score_credit = fields.Float(string="Credit", digits=(16, 1), readonly=True)
    score_invoicing = fields.Float(string="Invoicing", digits=(16, 1), readonly=True)
    score_collection = fields.Float(string="Collection", digits=(16, 1), readonly=True)
    score_cash = fields.Float(string="Cash application", digits=(16, 1), readonly=True)
    score_disputes = fields.Float(string="Disputes", digits=(16, 1), readonly=True)
    score_overall = fields.Float(string="Overall score", digits=(16, 1), readonly=True, aggregator="avg")
    previous_check_id = fields.Many2one("o2c.cockpit.health.check", string="Previous check", readonly=True)
    trend_overall = fields.Float(
        string="Since the previous check", digits=(16, 1), compute="_compute_trend", help="Change of the overall score."
    )
    trend_text = fields.Char(string="Trend", compute="_compute_trend")
    finding_ids = fields.One2many("o2c.cockpit.health.finding", "check_id", string="Findings", readonly=True)
    finding_count = fields.Integer(compute="_compute_finding_count", string="Number of findings")

    @api.depends("date", "company_id")
    def _compute_name(self):
        for check in self:
            check.name = _("Health check of %(date)s", date=format_date(self.env, check.date) if check.date else "")

    @api.depends("finding_ids")
    def _compute_finding_count(self):
        for check in self:
            check.finding_count = len(check.finding_ids)

    @api.depends("score_overall", "previous_check_id.score_overall", "state")
    def _compute_trend(self):
        for check in self:
            previous = check.previous_check_id
            if check.state != "done" or not previous:
                check.trend_overall = 0.0
                check.trend_text = _("First check") if check.state == "done" else ""
                continue
            change = health_core.trend(
                {key: check[f"score_{key}"] for key in (*health_core.STEPS, "overall")},
                {key: previous[f"score_{key}"] for key in (*health_core.STEPS, "overall")},
            )
            check.trend_overall = change["overall"]
            steps = dict(self.env["o2c.cockpit.health.finding"]._fields["step"]._description_selection(self.env))
            parts = [f"{steps[step]} {change[step]:+.0f}" for step in health_core.STEPS if change[step]]
            check.trend_text = _(
                "%(change)+.0f points since %(date)s%(detail)s",
                change=change["overall"],
                date=format_date(self.env, previous.date),
                detail=f" ({', '.join(parts)})" if parts else "",
            )

    # ------------------------------------------------------------------ actions

    def action_measure(self):
        """Measure the data, score each step and list the findings (again, if already measured)."""
        for check in self:
            check._o2c_run()
        return True

    def action_print(self):
        """Print the health check report."""
        return self.env.ref("o2c_cockpit.action_report_health_check").report_action(self)

    def _o2c_run(self):
        self.ensure_one()
        measures, links, offsets, late_days = self.sudo()._o2c_measure()
        answers = {key: self[f"q_{key}"] for key, _step in health_core.QUESTIONS}
        result = health_core.evaluate(
            answers, self.q_aged_balance_review, self.q_bank_accounts, measures, offsets, late_days
        )
        previous = self.search(
            [("company_id", "=", self.company_id.id), ("state", "=", "done"), ("id", "!=", self.id),
             ("date", "<=", self.date)],
            order="date desc, id desc",
            limit=1,
        )  # fmt: skip
        finding_model = self.env["o2c.cockpit.health.finding"]
        self.finding_ids.unlink()
        rows = []
        for sequence, finding in enumerate(result.findings):
            title, recommendation = finding_model._o2c_wording(finding.code, finding.params)
            link = links.get(finding.code) or links.get(f"{finding.code}:{finding.params.get('reason')}") or {}
            rows.append(
                {
                    "check_id": self.id,
                    "sequence": sequence,
                    "code": finding.code,
                    "step": finding.step,
                    "severity": finding.severity,
                    "name": title,
                    "recommendation": recommendation,
                    "record_count": link.get("count", finding.params.get("count", 0)) or 0,
                    "res_model": link.get("model"),
                    "res_domain": repr(_plain_domain(link.get("domain", []))),
                    "res_id": link.get("res_id", 0),
                }
            )
        finding_model.create(rows)
        values = {f"score_{step}": result.scores[step] or 0.0 for step in health_core.STEPS}
        values.update(
            {key: measures.get(key) or 0.0 for key in self._o2c_measured_fields()},
            score_overall=result.overall or 0.0,
            previous_check_id=previous.id,
            state="done",
        )
        self.write(values)

    # ------------------------------------------------------------------ measures

    def _o2c_measured_fields(self):
        """The fields that keep a measure of the same name (glue addons add theirs)."""
        return [key for key, *_rest in health_core.THRESHOLDS if key in self._fields] + ["order_to_payment_days"]

    def _o2c_period(self):
        """(first day, last day) of the months the measures look back over."""
        self.ensure_one()
        return figures_core.add_months(self.date, 1 - LOOKBACK_MONTHS), self.date

    def _o2c_measure(self):
        """(measures, links, ladder offsets, days late) of the company over the last 12 months.

        ``links`` maps a finding code to the records behind it ({"model", "domain"} or {"model", "res_id"}).
        A fixed number of queries, whatever the number of customers and invoices.
        """
        company = self.company_id
        date_from, date_to = self._o2c_period()
        measures, links = {}, {}
        invoices = [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("invoice_date", ">=", date_from),
            ("invoice_date", "<=", date_to),
        ]
        # Payment behaviour and cycle times.
        late_ids, late_days, paid_count, invoice_days = self._o2c_payment_delays(company, date_from, date_to)
        measures["late_share"] = figures_core.share(len(late_ids), paid_count)
        measures["invoice_to_payment_days"] = invoice_days
        late_link = {"model": "account.move", "domain": [("id", "in", late_ids)], "count": len(late_ids)}
        links["m_late_share"] = links["m_invoice_to_payment_days"] = late_link
        ladder_action = self.env["o2c.dunning.figures"]._o2c_ladder_action(company)
        ladder_link = {"model": ladder_action["res_model"], "res_id": ladder_action.get("res_id", 0)}
        ladder_link["domain"] = ladder_action.get("domain", [])
        for kind in ("create_ladder", "add_level", "add_pre_due", "bring_forward", "add_call"):
            links[f"ladder_{kind}"] = ladder_link
        links["q_graduated_reminders"] = ladder_link
        order_days = self._o2c_order_to_invoice_days(company, date_from, date_to)
        measures["order_to_invoice_days"] = order_days
        if order_days is not None and invoice_days is not None:
            measures["order_to_payment_days"] = order_days + invoice_days
        to_invoice = [("company_id", "=", company.id), ("state", "=", "sale"), ("invoice_status", "=", "to invoice")]
        links["m_order_to_invoice_days"] = links["q_invoice_on_delivery"] = {
            "model": "sale.order",
            "domain": to_invoice,
        }
        # Master data of the customers.
        partner = self.env["res.partner"].with_company(company)
        # The customers: the commercial entities invoiced over the period.
        invoiced = self.env["account.move"]._read_group(invoices, ["commercial_partner_id"])
        customers = [("id", "in", [partner.id for (partner,) in invoiced])]
        missing = {
            "siren": [("is_company", "=", True), ("country_id.code", "=", "FR"), ("company_registry", "=", False)],
            "vat": [("is_company", "=", True), ("vat", "=", False)],
            "email": [
                ("email", "=", False),
                ("child_ids", "not any", [("type", "=", "invoice"), ("email", "!=", False)]),
            ],
            "address": ["|", "|", ("street", "=", False), ("zip", "=", False), ("city", "=", False)],
            "terms": [("property_payment_term_id", "=", False)],
        }
        measures["missing"] = {}
        for name, domain in missing.items():
            full = expression.AND([customers, domain])
            count = partner.search_count(full)
            measures["missing"][name] = count
            links[f"missing_{name}"] = {"model": "res.partner", "domain": full, "count": count}
        any_gap = expression.AND([customers, expression.OR(list(missing.values()))])
        total_customers = partner.search_count(customers)
        gaps = partner.search_count(any_gap)
        measures["complete_share"] = figures_core.share(total_customers - gaps, total_customers)
        links["m_complete_share"] = {"model": "res.partner", "domain": any_gap, "count": gaps}
        links["q_terms_clauses"] = links["missing_terms"]
        uninsured = expression.AND([customers, [("o2c_insurer_id", "=", False)]])
        links["q_credit_insurance"] = {"model": "res.partner", "domain": uninsured}
        links["q_credit_policy"] = {"model": "o2c.credit.rule", "domain": [("company_id", "in", (company.id, False))]}
        no_po = expression.AND([invoices, [("ref", "=", False)]])
        links["q_customer_po"] = {"model": "account.move", "domain": no_po}
        # Invoicing errors: corrected by a credit note, disputed for an invoicing reason, failed checks.
        move = self.env["account.move"]
        invoice_count = move.search_count(invoices)
        # Two small reads rather than one OR over every invoice's credit notes and disputes (1.4 s on 20,000).
        refunded = move.search_fetch(
            [("company_id", "=", company.id), ("move_type", "=", "out_refund"), ("state", "=", "posted"),
             ("reversed_entry_id", "!=", False), ("reversed_entry_id.invoice_date", ">=", date_from)],
            ["reversed_entry_id"],
        ).reversed_entry_id  # fmt: skip
        disputed = move.search(self.env["o2c.dispute.figures"]._o2c_invoicing_dispute_domain(company, date_from))
        errors = expression.AND([invoices, [("id", "in", (refunded | disputed).ids)]])
        error_count = move.search_count(errors)
        measures["invoicing_error_rate"] = figures_core.share(error_count, invoice_count)
        links["m_invoicing_error_rate"] = {"model": "account.move", "domain": errors, "count": error_count}
        failed = self.env["o2c.einvoice.figures"]._o2c_failed_checks_domain(company, date_from)
        measures["einvoice_failed"] = move.search_count(failed)
        links["einvoice_failed"] = {"model": "account.move", "domain": failed}
        # Cash application.
        cash = self.env["o2c.cashmatch.figures"]
        months = cash._o2c_monthly(company, date_from, date_to)
        lines = sum(month["lines"] for month in months.values())
        measures["auto_match_share"] = figures_core.share(sum(month["auto"] for month in months.values()), lines)
        receipts = cash._o2c_receipt_domain(company, date_from, date_to)
        not_auto = expression.AND([receipts, [("o2c_match_state", "!=", "auto")]])
        links["m_auto_match_share"] = links["q_automatic_matching"] = {
            "model": "account.bank.statement.line",
            "domain": not_auto,
        }
        states = dict(
            self.env["account.bank.statement.line"]._fields["o2c_match_state"]._description_selection(self.env)
        )
        measures["unmatched"] = {}
        for state, count in cash._o2c_not_auto_by_state(company, date_from).items():
            measures["unmatched"][states.get(state, state)] = count
            links[f"unmatched:{states.get(state, state)}"] = {
                "model": "account.bank.statement.line",
                "domain": expression.AND([receipts, [("o2c_match_state", "=", state)]]),
                "count": count,
            }
        links["q_bank_accounts"] = {
            "model": "res.partner.bank",
            "domain": [("partner_id", "=", company.partner_id.id)],
        }
        # Disputes.
        dispute_months = self.env["o2c.dispute.figures"]._o2c_monthly(company, date_from, date_to)
        totals = {key: sum(month.get(key, 0) for month in dispute_months.values())
                  for key in ("invoices", "disputed_invoices", "resolved", "resolution_days")}  # fmt: skip
        measures["dispute_rate"] = figures_core.share(totals["disputed_invoices"], totals["invoices"])
        measures["resolution_days"] = totals["resolution_days"] / totals["resolved"] if totals["resolved"] else None
        disputes = [("company_id", "=", company.id), ("date_open", ">=", date_from)]
        links["m_dispute_rate"] = {"model": "o2c.dispute", "domain": disputes}
        links["m_resolution_days"] = {
            "model": "o2c.dispute",
            "domain": [("company_id", "=", company.id), ("state", "!=", "open"), ("date_resolved", ">=", date_from)],
        }
        measures["disputes_by_reason"] = {}
        for reason, count in self.env["o2c.dispute.figures"]._o2c_by_reason(company, date_from).items():
            measures["disputes_by_reason"][reason.name] = count
            links[f"disputes_top_reason:{reason.name}"] = {
                "model": "o2c.dispute",
                "domain": expression.AND([disputes, [("reason_id", "=", reason.id)]]),
                "count": count,
            }
        offsets = self.env["o2c.dunning.figures"]._o2c_default_level_offsets(company)
        return measures, links, offsets, late_days

    def _o2c_payment_delays(self, company, date_from, date_to):
        """(ids and days late of the invoices paid more than 15 days late, number of invoices paid, average
        days from invoice to payment) for the invoices dated between the two dates and paid in full; the
        payment date is that of the last reconciliation."""
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            WITH paid AS (
                SELECT m.id, m.invoice_date, COALESCE(m.invoice_date_due, m.invoice_date) AS due,
                       MAX(p.max_date) AS paid_on
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.payment_state IN ('paid', 'in_payment')
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY m.id
            )
            SELECT COUNT(*), AVG(paid_on - invoice_date),
                   ARRAY_AGG(id ORDER BY id) FILTER (WHERE paid_on - due > %(late)s),
                   ARRAY_AGG(paid_on - due ORDER BY id) FILTER (WHERE paid_on - due > %(late)s)
              FROM paid
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                late=health_core.LATE_DAYS,
            )
        )
        count, average, late_ids, late_days = self.env.cr.fetchone()
        return late_ids or [], late_days or [], count, float(average) if average is not None else None

    def _o2c_order_to_invoice_days(self, company, date_from, date_to):
        """Average days from the (earliest) sale order to the invoice, over the invoices dated between the
        two dates that come from sale orders; None without any."""
        self.env.cr.execute(
            SQL(
                """
            SELECT AVG(x.invoice_date - x.order_date) FROM (
                SELECT m.id, m.invoice_date, MIN(so.date_order)::date AS order_date
                  FROM account_move m
                  JOIN account_move_line il ON il.move_id = m.id
                  JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = il.id
                  JOIN sale_order_line sol ON sol.id = rel.order_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY m.id
            ) x
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        average = self.env.cr.fetchone()[0]
        return float(average) if average is not None else None
