import json
import logging
from collections import defaultdict

import psycopg2.errors
from markupsafe import escape

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.addons.o2c_base.tools.statistics import analyze_if_outgrown
from odoo.tools import SQL

from ..core import ladder as ladder_core
from ..core import letter as letter_core

_logger = logging.getLogger(__name__)

OPEN_PAYMENT_STATES = ("not_paid", "partial")
# Invoices per batch of the run: each batch is one transaction (locks, creation, commit).
RUN_BATCH_SIZE = 2000
# Context of the bulk creations: no tracking, no "created" log, no follower subscription per record.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True, "mail_notrack": True}


class O2cDunningRun(models.Model):
    """One dunning run of one company on one date (as OCA's credit-control run): the communications it
    created, what it sent, and the invoices it left to a concurrent run.

    It holds the run itself: the candidate invoices in batches (a customer never spans two), the claim of each
    customer by one run (advisory lock, then row locks), the plan (core/ladder.py), the bulk creation."""

    _name = "o2c.dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    date = fields.Date(string="Dunning date", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Run by", readonly=True, default=lambda self: self.env.user)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")],
        string="Status",
        default="running",
        required=True,
        readonly=True,
        tracking=True,
    )
    communication_ids = fields.One2many("o2c.dunning.communication", "run_id", string="Communications", readonly=True)
    created_count = fields.Integer(string="Reminders created", readonly=True)
    sent_count = fields.Integer(string="Reminders sent", readonly=True, help="Including the retried ones.")
    failed_count = fields.Integer(string="Reminders failed", readonly=True)
    covered_partner_ids = fields.Many2many(
        "res.partner",
        "o2c_dunning_run_covered_partner_rel",
        "run_id",
        "partner_id",
        string="Customers to reconcile",
        readonly=True,
        help="Customers not reminded: their unapplied credit notes and payments cover what is due. Reconcile "
        "them instead.",
    )
    rates_warning = fields.Char(
        string="Missing interest rates",
        readonly=True,
        help="Half-years whose published interest rates are not entered: the late-payment charges of this run "
        "used the latest earlier rates.",
    )
    locked_count = fields.Integer(
        string="Invoices left to another run",
        readonly=True,
        help="Invoices a concurrent run was handling: that run reminds them.",
    )

    @api.depends("date", "company_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = _("Dunning run of %(date)s", date=run.date or "")

    def action_open_communications(self):
        """Show the communications this run created."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_dunning.o2c_dunning_communication_action")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _o2c_run(self, companies=None, run_date=None, send=True, commit=False, batch_size=RUN_BATCH_SIZE):
        """Run the dunning of `companies` (all with a ladder by default) on `run_date` (today by default).

        Records one run per company, creates one communication per customer and due level, then, when
        `send`, sends the pending automatic ones (and retries the failed ones). With `commit`, each batch
        is its own transaction. Returns a dict: runs, created (communications), sent, failed, locked
        (invoices left to a concurrent run).
        """
        Comm = self.env["o2c.dunning.communication"]
        run_date = run_date or fields.Date.context_today(self)
        companies = companies or self.env["res.company"].search([("o2c_dunning_ladder_id", "!=", False)])
        result = {"runs": self.browse(), "created": Comm.browse(), "sent": Comm.browse(), "failed": Comm.browse()}
        result["locked"] = 0
        for company in companies:
            env = self.with_company(company).with_context(**QUIET)
            run = env.create({"date": run_date, "company_id": company.id, "state": "running"})
            result["runs"] |= run
            env._o2c_warn_missing_rates(run)
            env.env["o2c.dunning.promise"]._o2c_close_due(company, run_date)
            if commit:
                self.env.cr.commit()
            batches = env._o2c_candidate_batches(company, batch_size)
            if commit:
                self.env.cr.commit()  # each batch reads its invoices in a fresh snapshot, after its locks
            done = 0
            created_all, locked_all = Comm.browse(), 0
            remaining = sum(len(move_ids) for _partners, move_ids in batches)
            for _partner_ids, move_ids in batches:
                created, locked = env._o2c_run_batch(run, move_ids, run_date, commit=commit)
                created_all |= created
                locked_all += locked
                done += len(move_ids)
                remaining -= len(move_ids)
                if commit:
                    self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                    self.env.cr.commit()
                    self.env.invalidate_all()
            sent = failed = Comm.browse()
            if send and company.o2c_dunning_auto_send:
                sent, failed = env.env["o2c.dunning.send"]._o2c_send_pending(company, commit=commit)
            run.write(
                {
                    "state": "done",
                    "created_count": len(created_all),
                    "sent_count": len(sent),
                    "failed_count": len(failed),
                    "locked_count": locked_all,
                }
            )
            if commit:
                self.env.cr.commit()
            result["created"] |= created_all
            result["sent"] |= sent
            result["failed"] |= failed
            result["locked"] += locked_all
        return result

    def _o2c_warn_missing_rates(self, run):
        """Tell on `run` (field, chatter) which half-years lack their interest rates, if it charges interest."""
        company = run.company_id
        notices = self.env["o2c.dunning.level"].search_count(
            [("company_id", "=", company.id), ("is_formal_notice", "=", True)], limit=1
        )
        warning = notices and company._o2c_dunning_rates_warning(run.date)
        if warning:
            run.rates_warning = warning
            run._message_log(body=escape(warning))
            _logger.warning("Dunning run of %s: %s", company.name, warning)

    @api.model
    def _o2c_plan(self, company, run_date):
        """Dry run: the communications the run would create for `company` on `run_date`, without writing
        or locking anything. Returns core PlannedCommunication objects."""
        planned = []
        for _partner_ids, move_ids in self._o2c_candidate_batches(company, RUN_BATCH_SIZE):
            planned += self._o2c_plan_batch(company, move_ids, run_date)[0]
        return planned

    @api.model
    def _o2c_candidate_batches(self, company, batch_size):
        """Open customer invoices of `company` grouped by customer, cut into batches of about `batch_size`
        invoices (a customer never spans two batches). Returns [(partner ids, move ids)]."""
        self.env["account.move"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT commercial_partner_id, array_agg(id ORDER BY id)
                     FROM account_move
                    WHERE company_id = %s AND move_type = 'out_invoice' AND state = 'posted'
                      AND payment_state IN %s AND invoice_date_due IS NOT NULL
                 GROUP BY commercial_partner_id
                 ORDER BY commercial_partner_id""",
                company.id,
                OPEN_PAYMENT_STATES,
            )
        )
        batches, partner_ids, move_ids = [], [], []
        for partner_id, ids in rows:
            partner_ids.append(partner_id)
            move_ids += ids
            if len(move_ids) >= batch_size:
                batches.append((partner_ids, move_ids))
                partner_ids, move_ids = [], []
        if move_ids:
            batches.append((partner_ids, move_ids))
        return batches

    def _o2c_lock_invoices(self, company, move_ids):
        """Claim the customers of `move_ids` for this transaction and lock their invoices, skipping what a
        concurrent run holds.

        A customer is claimed whole by one run: a transaction-level advisory lock per (company, commercial
        partner) is taken first (a customer another run holds is skipped), then the rows of its invoices
        are locked; a customer with an invoice row held elsewhere (a payment being registered) is skipped
        too. Returns the ids of the invoices locked."""
        rows = self.env.execute_query(
            SQL("SELECT id, commercial_partner_id FROM account_move WHERE id = ANY(%s) ORDER BY id", list(move_ids))
        )
        partner_ids = sorted({partner for _move_id, partner in rows})
        claimed = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT p FROM unnest(%s::int[]) AS p "
                    "WHERE pg_try_advisory_xact_lock(hashtextextended('o2c_dunning:' || %s || ':' || p, 0))",
                    partner_ids,
                    company.id,
                )
            )
        }
        wanted = [move_id for move_id, partner in rows if partner in claimed]
        if not wanted:
            return []
        locked = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                    wanted,
                )
            )
        }
        partial = {partner for move_id, partner in rows if partner in claimed and move_id not in locked}
        return [move_id for move_id, partner in rows if move_id in locked and partner not in partial]

    def _o2c_plan_batch(self, company, move_ids, run_date):
        """Plan the letters of one batch of invoices: one per customer at the highest level due among its
        invoices, none for a customer already reminded that day or whose unapplied credit notes and
        payments cover what is due (core/letter.py). The run's items are the invoices' instalments (their
        receivable lines): returns (letters, core invoices by receivable line id, {line id: (invoice id,
        number, invoice date, total in company currency, whether the invoice has several instalments)},
        {"balances": {partner id: {kind: amount}}, "covered": [ids of the customers whose credits are to be
        reconciled instead]})."""
        instalments = self.env["account.move"].browse(move_ids)._o2c_dunning_instalments(run_date)
        if not instalments:
            return [], {}, {}, {"balances": {}, "covered": []}
        # The run reminds instalments: an invoice payable in several is reminded per receivable line, on that
        # line's due date and for its amount; an invoice of one instalment is one of them.
        invoices = {
            line_id: ladder_core.OpenInvoice(
                id=line_id,
                partner_id=row["partner_id"],
                due_date=row["due_date"],
                residual=row["residual"],
                excluded=row["excluded"],
                reached_level_id=row["reached_level_id"],
                escalate=row["escalate"],
            )
            for line_id, row in instalments.items()
        }
        partner_ids = list({row["partner_id"] for row in instalments.values()})
        ladders = self._o2c_partner_ladders(company, partner_ids)
        self.env["o2c.dunning.communication.line"].flush_model()
        lines_of_move = defaultdict(list)
        for line_id, row in instalments.items():
            lines_of_move[row["move_id"]].append(line_id)
        already = set()
        # A reminder line without instalment (made before instalments were reminded apart) stands for all of them.
        for move_id, move_line_id, level_id in self.env.execute_query(
            SQL(
                "SELECT move_id, move_line_id, level_id FROM o2c_dunning_communication_line "
                "WHERE move_id = ANY(%s) AND level_id IS NOT NULL",
                list(lines_of_move),
            )
        ):
            for line_id in [move_line_id] if move_line_id else lines_of_move[move_id]:
                already.add((line_id, level_id))
        self.env["o2c.dunning.communication"].flush_model(
            ["partner_id", "company_id", "run_date", "state", "invoice_count"]
        )
        reminded_today = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT partner_id FROM o2c_dunning_communication WHERE partner_id = ANY(%s) "
                    "AND company_id = %s AND run_date = %s AND state != 'cancelled' AND invoice_count > 0",
                    partner_ids,
                    company.id,
                    run_date,
                )
            )
        }
        balances = self._o2c_balances(company, partner_ids, run_date)
        credits = {
            partner_id: -(by_kind.get("credit_note", 0.0) + by_kind.get("payment", 0.0))
            for partner_id, by_kind in balances.items()
        }
        planned, covered = letter_core.plan_letters(
            ladders,
            invoices.values(),
            run_date,
            already_planned=already,
            credits=credits,
            reminded_today=reminded_today,
        )
        extra = {"balances": balances, "covered": covered}
        documents = {
            line_id: (row["move_id"], row["name"], row["invoice_date"], row["amount_total"], row["instalments"] > 1)
            for line_id, row in instalments.items()
        }
        return planned, invoices, documents, extra

    def _o2c_partner_ladders(self, company, partner_ids):
        """Return {partner id: core Ladder} — each customer's own ladder, else the company's default."""
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        partners.fetch(["o2c_dunning_ladder_id"])
        default = company.o2c_dunning_ladder_id
        records = {partner.id: partner.o2c_dunning_ladder_id or default for partner in partners}
        ladders = self.env["o2c.dunning.ladder"].union(*records.values())
        ladders.level_ids.fetch(["day_offset", "sequence", "min_amount", "skip_when_late"])
        core = {ladder.id: ladder._core_ladder() for ladder in ladders}
        return {partner_id: core[ladder.id] for partner_id, ladder in records.items() if ladder}

    def _o2c_run_batch(self, run, move_ids, run_date, commit=False):
        """Claim, plan and create the communications of one batch. Returns (created, number of invoices
        left to a concurrent run).

        Cursors are REPEATABLE READ: a snapshot taken just before a concurrent run committed the same
        customers can still conflict (serialization failure, or the unique index of the lines). Under
        `commit` the batch is then rolled back and tried once more in a fresh transaction, which sees the
        other run's reminders; without `commit` (the caller's transaction) it is left to the other run."""
        for attempt in range(2 if commit else 1):
            try:
                with self.env.cr.savepoint():
                    locked = self._o2c_lock_invoices(run.company_id, move_ids)
                    planned, invoices, documents, extra = self._o2c_plan_batch(run.company_id, locked, run_date)
                    created = self._o2c_create_communications(
                        run, planned, invoices, documents, run_date, balances=extra["balances"]
                    )
                    if extra["covered"]:
                        run.covered_partner_ids = [fields.Command.link(pid) for pid in extra["covered"]]
            except (psycopg2.errors.SerializationFailure, psycopg2.errors.UniqueViolation) as error:
                _logger.info("Dunning batch conflicts with a concurrent run (attempt %s): %s", attempt + 1, error)
                if commit:
                    self.env.cr.rollback()
                self.env.invalidate_all()
                continue
            return created, len(move_ids) - len(locked)
        return self.env["o2c.dunning.communication"].browse(), len(move_ids)

    def _o2c_contacts(self, partners):
        """Return {partner id: dunning contact}: the chosen dunning contact, else the first invoicing address,
        else the customer itself."""
        invoice_addresses = self.env["res.partner"].search_fetch(
            [("parent_id", "in", partners.ids), ("type", "=", "invoice")], ["parent_id", "email"], order="id"
        )
        first_address = {}
        for address in invoice_addresses:
            first_address.setdefault(address.parent_id.id, address)
        return {
            partner.id: partner.o2c_dunning_contact_id or first_address.get(partner.id) or partner
            for partner in partners
        }

    def _o2c_collector(self, partner, company):
        """User in charge of a customer's dunning: its collector, the company's, its salesperson, else the
        user running the dunning (the administrator for the scheduler)."""
        user = partner.o2c_dunning_collector_id or company.o2c_dunning_collector_id or partner.user_id
        if not user:
            user = self.env.ref("base.user_admin", False) if self.env.uid == SUPERUSER_ID else self.env.user
        return user or self.env.user

    def _o2c_balances(self, company, partner_ids, run_date):
        """Return {partner id: {kind: open amount}} over all open receivable items of the customers
        (company currency), in one aggregate query."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT aml.partner_id,
                          CASE WHEN aml.amount_residual > 0 AND COALESCE(aml.date_maturity, aml.date) < %(date)s
                                    THEN 'overdue'
                               WHEN aml.amount_residual > 0 THEN 'not_due'
                               WHEN m.move_type = 'out_refund' THEN 'credit_note'
                               ELSE 'payment' END,
                          SUM(aml.amount_residual)
                     FROM account_move_line aml
                     JOIN account_move m ON m.id = aml.move_id
                     JOIN account_account a ON a.id = aml.account_id
                    WHERE aml.partner_id = ANY(%(partners)s) AND aml.company_id = %(company)s
                      AND aml.parent_state = 'posted' AND a.account_type = 'asset_receivable'
                      AND NOT COALESCE(aml.reconciled, FALSE) AND aml.amount_residual != 0
                 GROUP BY 1, 2""",
                date=run_date,
                partners=list(partner_ids),
                company=company.id,
            )
        )
        balances = defaultdict(lambda: defaultdict(float))
        for partner_id, kind, amount in rows:
            balances[partner_id][kind] += amount
        return balances

    def _o2c_notice_dates(self, line_ids, documents):
        """{receivable line id: date of the first formal notice sent about it} among `line_ids` (a line of a
        reminder made before instalments were reminded apart stands for all of its invoice's), in one query."""
        if not line_ids:
            return {}
        self.env["o2c.dunning.communication.line"].flush_model()
        self.env["o2c.dunning.communication"].flush_model(["state", "run_date"])
        rows = self.env.execute_query(
            SQL(
                """SELECT line.move_id, line.move_line_id, MIN(comm.run_date)
                     FROM o2c_dunning_communication_line line
                     JOIN o2c_dunning_communication comm ON comm.id = line.communication_id
                     JOIN o2c_dunning_level level ON level.id = line.level_id
                    WHERE line.move_id = ANY(%s) AND level.is_formal_notice AND comm.state = 'sent'
                 GROUP BY line.move_id, line.move_line_id""",
                list({documents[lid][0] for lid in line_ids}),
            )
        )
        by_line = {line_id: day for _move_id, line_id, day in rows if line_id}
        by_move = {move_id: day for move_id, line_id, day in rows if not line_id}
        dates = {}
        for line_id in line_ids:
            day = by_line.get(line_id) or by_move.get(documents[line_id][0])
            if day:
                dates[line_id] = day
        return dates

    def _o2c_instalment_charges(self, company, plan, invoices, documents, run_date, business, notice_dates):
        """{receivable line id: (indemnity, interest)} of the late instalments of `plan`: interest per
        instalment from its own due date on its own open amount; the €40 indemnity once per invoice (art.
        D441-5: per invoice paid late), on its earliest late instalment. A consumer owes only interest at the
        legal rate for individuals, from the formal notice sent about the instalment (`notice_dates`)."""
        items = [(lid, invoices[lid].due_date, invoices[lid].dunnable_amount) for lid in plan.invoice_ids]
        if business[plan.partner_id]:
            charges = company._o2c_dunning_charges(items, run_date, True)
        else:
            charges = {}
            for notice_date in {notice_dates.get(lid) for lid in plan.invoice_ids}:
                of_notice = [item for item in items if notice_dates.get(item[0]) == notice_date]
                charges.update(company._o2c_dunning_charges(of_notice, run_date, False, notice_date))
        charged_moves = set()
        for line_id in sorted(charges, key=lambda lid: (invoices[lid].due_date, lid)):
            move_id = documents[line_id][0]
            if move_id in charged_moves:
                charges[line_id] = (0.0, charges[line_id][1])
            charged_moves.add(move_id)
        return charges

    def _o2c_create_communications(self, run, planned, invoices, documents, run_date, balances=None):
        """Create the planned letters of `run` and their reminded-invoice lines (each at its own level) in
        two bulk INSERTs (the run creates thousands of them: no per-record ORM work, no chatter on
        creation). `documents` maps receivable line id -> (invoice id, number, invoice date, total, several
        instalments); `balances` are the customers' open amounts by kind, when the plan already read them."""
        Comm = self.env["o2c.dunning.communication"]
        if not planned:
            return Comm.browse()
        company = run.company_id
        partners = self.env["res.partner"].browse({plan.partner_id for plan in planned})
        partners.fetch(["name", "o2c_dunning_contact_id", "o2c_dunning_collector_id", "user_id", "email"])
        business = {partner.id: partner.commercial_partner_id.o2c_dunning_is_business for partner in partners}
        contacts = self._o2c_contacts(partners)
        self.env["res.partner"].browse({contact.id for contact in contacts.values()}).fetch(["email"])
        default_user = company.o2c_dunning_collector_id or self._o2c_collector(self.env["res.partner"], company)
        customer = {
            partner.id: (
                partner.name,
                contacts[partner.id],
                (partner.o2c_dunning_collector_id or company.o2c_dunning_collector_id or partner.user_id).id
                or default_user.id,
            )
            for partner in partners
        }
        levels = {level.id: level for level in self.env["o2c.dunning.level"].browse({p.level_id for p in planned})}
        channels = {}
        if balances is None:
            balances = self._o2c_balances(company, partners.ids, run_date)
        auto_state = "to_send" if company.o2c_dunning_auto_send else "draft"
        consumer_lines = [lid for plan in planned if not business[plan.partner_id] for lid in plan.invoice_ids]
        notice_dates = self._o2c_notice_dates(consumer_lines, documents)
        comm_rows, line_rows = [], {}
        for plan in planned:
            level = levels[plan.level_id]
            name, contact, user_id = customer[plan.partner_id]
            key = (plan.level_id, contact.id)
            if key not in channels:
                channels[key] = Comm._o2c_channel(level, contact)
            channel, call = channels[key]
            charges = {}
            charged = level.is_formal_notice or any(lid in notice_dates for lid in plan.invoice_ids)
            if charged:
                charges = self._o2c_instalment_charges(
                    company, plan, invoices, documents, run_date, business, notice_dates
                )
            by_kind = balances.get(plan.partner_id, {})
            comm_rows.append(
                {
                    "name": f"{level.name} – {name} ({run_date})",
                    "partner_id": plan.partner_id,
                    "contact_id": contact.id,
                    "user_id": user_id,
                    "level_id": plan.level_id,
                    "state": auto_state if level.auto_send else "draft",
                    "channel": channel,
                    "call_planned": call,
                    "invoice_count": len(plan.invoice_ids),
                    "amount_dunned": float(plan.amount),  # the core's Decimal, as JSON
                    "amount_overdue": by_kind.get("overdue", 0.0),
                    "amount_not_due": by_kind.get("not_due", 0.0),
                    "amount_credit": by_kind.get("credit_note", 0.0) + by_kind.get("payment", 0.0),
                    "amount_balance": sum(by_kind.values()),
                    "interest_rate": (
                        company._o2c_dunning_charges_rate(business[plan.partner_id], run_date) if charged else 0.0
                    ),
                    "amount_indemnity": sum(indemnity for indemnity, _interest in charges.values()),
                    "amount_interest": round(sum(interest for _indemnity, interest in charges.values()), 2),
                }
            )
            lines = []
            for line_id in plan.invoice_ids:
                invoice = invoices[line_id]
                move_id, number, invoice_date, total, several = documents[line_id]
                indemnity, interest = charges.get(line_id, (0.0, 0.0))
                lines.append(
                    {
                        "move_id": move_id,
                        # an invoice of one instalment keeps its level on the invoice: no instalment to name
                        "move_line_id": line_id if several else None,
                        "level_id": plan.invoice_levels[line_id],
                        "name": number,
                        "date": invoice_date and invoice_date.isoformat(),
                        "date_due": invoice.due_date.isoformat(),
                        "days_overdue": max((run_date - invoice.due_date).days, 0),
                        "amount_total": total,
                        "amount_residual": float(invoice.residual),  # the core's Decimal, as JSON
                        "amount_excluded": float(invoice.excluded),
                        "amount_indemnity": indemnity,
                        "amount_interest": interest,
                    }
                )
            line_rows[(plan.partner_id, plan.level_id)] = lines
        Comm.flush_model()
        # json_to_recordset: one parameter for thousands of rows, parsed by PostgreSQL, not by Python
        created = self.env.execute_query(
            SQL(
                """INSERT INTO o2c_dunning_communication
                       (run_id, name, partner_id, contact_id, user_id, company_id, level_id, run_date, state, channel,
                        call_planned, invoice_count, amount_dunned, amount_overdue, amount_not_due, amount_credit,
                        amount_balance, interest_rate, amount_indemnity, amount_interest,
                        create_uid, create_date, write_uid, write_date)
                   SELECT %(run)s, r.name, r.partner_id, r.contact_id, r.user_id, %(company)s, r.level_id, %(date)s,
                          r.state,
                          r.channel, r.call_planned, r.invoice_count, r.amount_dunned, r.amount_overdue,
                          r.amount_not_due, r.amount_credit, r.amount_balance, r.interest_rate, r.amount_indemnity,
                          r.amount_interest, %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                     FROM json_to_recordset(%(rows)s) AS r(
                          name varchar, partner_id int, contact_id int, user_id int, level_id int, state varchar,
                          channel varchar, call_planned bool, invoice_count int, amount_dunned numeric,
                          amount_overdue numeric, amount_not_due numeric, amount_credit numeric,
                          amount_balance numeric, interest_rate numeric, amount_indemnity numeric,
                          amount_interest numeric)
                RETURNING id, partner_id, level_id""",
                run=run.id,
                company=company.id,
                date=run_date,
                uid=self.env.uid,
                rows=json.dumps(comm_rows),
            )
        )
        analyze_if_outgrown(self.env.cr, "o2c_dunning_communication")  # the lines' key checks, planned again
        line_values = []
        for comm_id, partner_id, level_id in created:
            lines = line_rows[(partner_id, level_id)]
            for line in lines:
                line["communication_id"] = comm_id
            line_values += lines
        self.env.execute_query(
            SQL(
                """INSERT INTO o2c_dunning_communication_line
                       (communication_id, move_id, move_line_id, level_id, company_id, name, date, date_due,
                        days_overdue, amount_total, amount_residual, amount_excluded, amount_indemnity,
                        amount_interest, create_uid, create_date, write_uid, write_date)
                   SELECT r.communication_id, r.move_id, r.move_line_id, r.level_id, %(company)s, r.name, r.date,
                          r.date_due,
                          r.days_overdue, r.amount_total, r.amount_residual, r.amount_excluded, r.amount_indemnity,
                          r.amount_interest, %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                     FROM json_to_recordset(%(rows)s) AS r(
                          communication_id int, move_id int, move_line_id int, level_id int, name varchar, date date,
                          date_due date,
                          days_overdue int, amount_total numeric, amount_residual numeric, amount_excluded numeric,
                          amount_indemnity numeric, amount_interest numeric)""",
                company=company.id,
                uid=self.env.uid,
                rows=json.dumps(line_values),
            )
        )
        Comm.invalidate_model()
        self.env["o2c.dunning.communication.line"].invalidate_model()
        self.env["account.move"].invalidate_model(["o2c_dunning_line_ids"])
        self.env["res.partner"].invalidate_model(["o2c_dunning_communication_ids"])
        return Comm.browse(sorted(row[0] for row in created))
