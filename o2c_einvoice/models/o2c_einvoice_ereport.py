import base64
from datetime import timedelta
from decimal import Decimal

import pyfrctc

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..facturx import ereporting
from .o2c_einvoice_platform import PlatformUnavailable

FLOW_STATES = {"sent": "sent", "done": "done", "error": "rejected"}


class O2cEinvoiceEreport(models.Model):
    _name = "o2c.einvoice.ereport"
    _description = "E-reporting declaration"
    _inherit = ["mail.thread"]
    _order = "date_start desc, kind, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    kind = fields.Selection(
        [("transactions", "Transactions"), ("payments", "Payments")],
        required=True,
        help="Transactions: sales to consumers and to businesses abroad. Payments: amounts received on such "
        "sales whose VAT is due on payment (services taxed on receipts).",
    )
    date_start = fields.Date(string="Period start", required=True)
    date_end = fields.Date(string="Period end", required=True)
    deadline = fields.Date(help="Last day to file the declaration, per the company's VAT regime.")
    state = fields.Selection(
        [("draft", "Draft"), ("error", "Invalid"), ("ready", "Ready"), ("sending", "Sending"),
         ("sent", "Deposited"), ("done", "Acknowledged"), ("rejected", "Refused")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )  # fmt: skip
    report_file = fields.Binary(string="Report file", attachment=True, readonly=True, copy=False)
    report_filename = fields.Char(readonly=True, copy=False)
    transaction_count = fields.Integer(string="Reported lines", readonly=True, copy=False)
    amount_untaxed = fields.Monetary(string="Untaxed", readonly=True, copy=False)
    amount_tax = fields.Monetary(string="VAT", readonly=True, copy=False)
    amount_received = fields.Monetary(string="Received", readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    tracking_name = fields.Char(readonly=True, copy=False, help="Name of the flow on the platform (TT-1).")
    flow_id = fields.Char(string="Platform flow", readonly=True, copy=False, index="btree_not_null")
    attempt_date = fields.Datetime(string="Last attempt", readonly=True, copy=False)
    ack_status = fields.Char(string="Acknowledgement", readonly=True, copy=False)
    ack_date = fields.Datetime(string="Acknowledged on", readonly=True, copy=False)
    ack_details = fields.Text(string="Platform's answer", readonly=True, copy=False)
    errors = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        ("period_uniq", "unique(company_id, kind, date_start)", "A company declares each period once per kind."),
    ]

    @api.depends("kind", "date_start", "date_end")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            report.name = (
                _("%(kind)s %(start)s – %(end)s", kind=kinds.get(report.kind, ""), start=report.date_start,
                  end=report.date_end)
                if report.kind and report.date_start and report.date_end
                else _("New declaration")
            )  # fmt: skip

    # ------------------------------------------------------------------
    # Reading the ledger
    # ------------------------------------------------------------------

    def _reported(self, moves):
        """{move: ReportedInvoice} of the e-reported moves among `moves` (consumers, buyers abroad)."""
        result = {}
        for move, (invoice, _inputs) in moves._o2c_einvoice_documents().items():
            if ereporting.reporting_scope(invoice) == "b2b":
                continue
            ratio = Decimal(str(abs(move.amount_total_signed) / move.amount_total)) if move.amount_total else 1
            result[move] = ereporting.ReportedInvoice(invoice, ratio)
        return result

    def _transactions(self):
        """The invoices and credit notes of the period, as ReportedInvoice."""
        moves = self.env["account.move"].search(
            [("company_id", "=", self.company_id.id), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund")),
             ("invoice_date", ">=", self.date_start), ("invoice_date", "<=", self.date_end)], order="invoice_date, id",
        )  # fmt: skip
        return list(self._reported(moves).values())

    def _payments(self):
        """The amounts received in the period on e-reported invoices whose VAT is due on payment."""
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(["move_id", "balance"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT invoice_line.move_id, partial.max_date, SUM(partial.amount)
                  FROM account_partial_reconcile partial
                  JOIN account_move_line invoice_line ON invoice_line.id = partial.debit_move_id
                  JOIN account_move invoice ON invoice.id = invoice_line.move_id
                  JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
                  JOIN account_move paid_by ON paid_by.id = counterpart.move_id
                 WHERE invoice.move_type = 'out_invoice' AND invoice.state = 'posted'
                   AND invoice.company_id = %(company)s
                   AND paid_by.move_type = 'entry'
                   AND partial.max_date BETWEEN %(start)s AND %(end)s
                 GROUP BY invoice_line.move_id, partial.max_date
                 ORDER BY partial.max_date, invoice_line.move_id
                """,
                company=self.company_id.id,
                start=self.date_start,
                end=self.date_end,
            )
        )
        moves = self.env["account.move"].browse({row[0] for row in rows})
        reported = self._reported(moves)
        return [
            ereporting.Payment(reported[move], day, Decimal(str(amount)))
            for move_id, day, amount in rows
            if (move := moves.browse(move_id)) in reported and reported[move].invoice.vat_due_date_code == "72"
        ]

    # ------------------------------------------------------------------
    # Preparing, sending, acknowledgement
    # ------------------------------------------------------------------

    def _declarant(self, platform):
        partner = self.company_id.partner_id
        return ereporting.Declarant(
            siren=partner._o2c_einvoice_siren() or "",
            name=self.company_id.name,
            platform_number=(platform.ereporting_number or "").strip(),
            platform_name=platform.name,
        )

    def action_prepare(self):
        """Button: read the period from the ledger, write the report with pyfrctc and check it (XSD and
        Flux 10 schematron). A report that fails keeps its errors and is not sent."""
        for report in self.filtered(lambda report: report.state in ("draft", "error", "ready")):
            platform = self.env["o2c.einvoice.platform"]._o2c_for_company(report.company_id)
            if not platform:
                raise UserError(_("%(company)s has no approved platform to report through.",
                                  company=report.company_id.name))  # fmt: skip
            report._prepare(platform)
        return True

    def _prepare(self, platform):
        self.ensure_one()
        declarant = self._declarant(platform)
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        identifier = ereporting.report_id(f"o2c-{uuid[:8]}-{self.company_id.id}", self.kind, self.date_start)
        messages = {
            "siren": _("%(company)s has no valid SIREN (G6.26).", company=self.company_id.name),
            "platform_number": _("Set the 4-character registration number of the platform %(platform)s (G6.22).",
                                 platform=platform.name),
        }  # fmt: skip
        errors = [messages[code] for code in ereporting.declarant_errors(declarant)]
        values = {}
        if self.kind == "transactions":
            invoices = self._transactions()
            errors += [
                self._invoice_error(code, item.invoice.number)
                for item in invoices
                for code in ereporting.invoice_errors(item)
            ]
            data = ereporting.transactions_data(declarant, identifier, ereporting.issued_now(), self.date_start,
                                                self.date_end, invoices)  # fmt: skip
            values["transaction_count"] = len(data["TG-8"]) + len(data["TG-31"])
            values["amount_untaxed"] = float(sum(Decimal(i["BT-109"]) for i in data["TG-8"]) +
                                             sum(Decimal(t["TT-82"]) for t in data["TG-31"]))  # fmt: skip
            values["amount_tax"] = float(sum(Decimal(i["BT-110"]) for i in data["TG-8"]) +
                                         sum(Decimal(t["TT-83"]) for t in data["TG-31"]))  # fmt: skip
        else:
            payments = self._payments()
            data = ereporting.payments_data(declarant, identifier, ereporting.issued_now(), self.date_start,
                                            self.date_end, payments)  # fmt: skip
            amounts = [Decimal(s["TT-95"]) for i in data["TG-34"] for s in i["TG-36"]]
            amounts += [Decimal(s["TT-99"]) for t in data["TG-37"] for s in t["TG-39"]]
            values["transaction_count"] = len(data["TG-34"]) + len(data["TG-37"])
            values["amount_received"] = float(sum(amounts))
        if not errors:
            try:
                xml = ereporting.build_report(self.kind, data)
            except ereporting.ReportInvalid as error:
                errors = error.errors
        if errors:
            self.write(values | {"state": "error", "errors": "\n".join(errors), "report_file": False})
            self.message_post(body=_("The declaration is not valid:\n%(errors)s", errors="\n".join(errors)))
            return False
        self.write(values | {
            "state": "ready",
            "errors": False,
            "tracking_name": identifier,
            "report_file": base64.b64encode(xml),
            "report_filename": f"{identifier}.xml",
        })  # fmt: skip
        return True

    def _invoice_error(self, code, number):
        if code == "buyer_identifier":
            return _("%(invoice)s: the buyer abroad has no VAT number; the report needs its identifier (G6.28).",
                     invoice=number)  # fmt: skip
        return _("%(invoice)s: a credit note to a buyer abroad must name the invoice it corrects (G1.32).",
                 invoice=number)  # fmt: skip

    def action_send(self):
        """Button: deposit the ready reports on the platform (once: one found there already is not sent
        again)."""
        for company, reports in self.filtered(lambda r: r.state in ("ready", "sending")).grouped("company_id").items():
            platform = self.env["o2c.einvoice.platform"]._o2c_for_company(company)
            if platform:
                reports._deposit(platform)
        return True

    def _deposit(self, platform):
        can_commit = self.env["account.move.send"]._can_commit()
        earlier = {}
        interrupted = self.filtered(lambda report: report.state == "sending")
        if interrupted:
            since = min(interrupted.mapped("attempt_date")) - timedelta(minutes=5)
            try:
                flows = platform._o2c_search_flows("Out", None, platform._o2c_iso(since))
            except (PlatformUnavailable, UserError) as error:
                self.write({"ack_details": str(error)})
                return
            earlier = {flow.get("name"): flow for flow in flows if flow.get("name")}
        for report in self:
            flow = earlier.get(report.report_filename)
            if flow:
                report._write_flow(flow)
                continue
            report.write({"state": "sending", "attempt_date": fields.Datetime.now()})
            if can_commit:
                self.env.cr.commit()
            try:
                flow = platform._o2c_call(pyfrctc.send_flow_parsed, base64.b64decode(report.report_file),
                                          report.report_filename, "FRR", report._processing_rule())  # fmt: skip
            except (PlatformUnavailable, UserError) as error:
                # Perhaps deposited after all: the next attempt looks for it by its name first. The others wait
                # for the next attempt too, rather than for a timeout each.
                report.ack_details = _("The platform did not confirm the deposit: %(error)s", error=error)
                break
            report._write_flow(flow)

    def _processing_rule(self):
        return "B2C" if self.kind == "payments" else "B2BInt"

    def _write_flow(self, flow):
        """Keep the flow id and the platform's acknowledgement (status, details, date) on the report."""
        self.ensure_one()
        ack = flow.get("acknowledgement") or {}
        state = FLOW_STATES.get(flow.get("state") or "sent", "sent")
        self.write({
            "flow_id": flow.get("flowId"),
            "state": state,
            "ack_status": ack.get("status") or False,
            "ack_details": flow.get("ap_error_details") or False,
            "ack_date": (flow.get("updated_at") or fields.Datetime.now()) if state != "sent" else False,
        })  # fmt: skip
        if state == "rejected":
            self.message_post(body=_("Refused by the platform: %(reasons)s",
                                     reasons=flow.get("ap_error_details") or _("no reason given")))  # fmt: skip
        elif state == "done":
            self.message_post(body=_("Acknowledged by the platform (flow %(flow)s).", flow=flow.get("flowId")))

    def action_refresh_ack(self):
        """Button: read the acknowledgement of the deposited reports from the platform."""
        for report in self.filtered(lambda report: report.state == "sent" and report.flow_id):
            platform = self.env["o2c.einvoice.platform"]._o2c_for_company(report.company_id)
            try:
                report._write_flow(platform._o2c_call(pyfrctc.get_flow_metadata_parsed, report.flow_id))
            except (PlatformUnavailable, UserError) as error:
                report.ack_details = str(error)
                break
        return True

    @api.model
    def _o2c_receive_flows(self, platform, flows):
        """Write the acknowledgement of the platform's e-reporting `flows` (parsed by pyfrctc) on their reports
        of the platform's company; returns the reports."""
        by_id = {flow["flowId"]: flow for flow in flows if flow.get("flowSyntax") == "FRR" and flow.get("flowId")}
        reports = self.search([("company_id", "=", platform.company_id.id), ("flow_id", "in", list(by_id))])
        for report in reports:
            if report.state in ("sending", "sent"):
                report._write_flow(by_id[report.flow_id])
        return reports

    @api.model
    def _cron_ereporting(self, today=None):
        """Cron: per company with a platform, create the declarations of the periods that have ended since
        its e-reporting start, prepare them, deposit the valid ones and read the acknowledgements; one commit
        per company."""
        today = today or fields.Date.context_today(self)
        for platform in self.env["o2c.einvoice.platform"].sudo().search([("active", "=", True)]):
            company = platform.company_id
            if not company.o2c_ereporting_start:
                continue
            reports = self.sudo().with_company(company)
            existing = set(
                self.sudo().search([("company_id", "=", company.id)]).mapped(lambda r: (r.kind, r.date_start))
            )
            periodicity = company.o2c_vat_periodicity or "1"
            new = [
                {"company_id": company.id, "kind": kind, "date_start": start, "date_end": end, "deadline": deadline}
                for kind in ("transactions", "payments")
                for start, end, deadline in ereporting.closed_periods(
                    company.o2c_ereporting_start, kind, periodicity, today
                )  # fmt: skip
                if (kind, start) not in existing
            ]
            reports.create(new)
            todo = reports.search([("company_id", "=", company.id), ("state", "in", ("draft", "ready", "sending",
                                                                                     "sent"))])  # fmt: skip
            todo.filtered(lambda r: r.state == "draft")._prepare_all(platform)
            todo.filtered(lambda r: r.state in ("ready", "sending"))._deposit(platform)
            todo.filtered(lambda r: r.state == "sent").action_refresh_ack()
            if self.env["account.move.send"]._can_commit():
                self.env.cr.commit()

    def _prepare_all(self, platform):
        for report in self:
            report._prepare(platform)
