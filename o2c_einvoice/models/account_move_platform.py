import logging
from datetime import timedelta

import pyfrctc
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..facturx.lifecycle import REASON_CODES, reason_error
from ..facturx.platform import STATUS_SENDER_ROLE, read_status_cdar, tracking_name
from .o2c_einvoice_platform import PlatformUnavailable

_logger = logging.getLogger(__name__)
SEND_CHUNK = 50
# The platform fields are no accounting: their writes skip the synchronisation of the journal items, the heavy
# part of an account.move write.
NO_SYNC = {"skip_invoice_sync": True}
# Flow acknowledgement of a deposited invoice (pyfrctc's names) -> lifecycle status written.
ACK_STATUS = {"done": "200", "error": "213"}


# The invoice's exchanges with the platform stay beside the platform code (account_move.py would pass 600 lines).
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    o2c_pa_state = fields.Selection(
        [("none", "Not sent"), ("to_send", "To send"), ("sending", "Sending"), ("sent", "Deposited"),
         ("rejected", "Rejected")],
        string="Platform",
        default="none",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Where the invoice stands with the approved platform (PA).",
    )  # fmt: skip
    o2c_pa_flow_id = fields.Char(string="Platform flow", copy=False, readonly=True, index="btree_not_null")
    o2c_pa_flow_state = fields.Selection(
        [("sent", "Pending"), ("done", "Accepted"), ("error", "Refused")],
        string="Flow state",
        copy=False,
        readonly=True,
    )
    o2c_pa_tracking = fields.Char(string="Tracking name", copy=False, readonly=True)
    o2c_pa_attempt_date = fields.Datetime(string="Last attempt", copy=False, readonly=True)
    o2c_pa_next_try = fields.Datetime(string="Next attempt", copy=False, readonly=True)
    o2c_pa_attempts = fields.Integer(string="Attempts", copy=False, readonly=True)
    o2c_pa_message = fields.Text(string="Platform message", copy=False, readonly=True)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._o2c_pa_queue(at_posting=True)
        return posted

    def _o2c_pa_queue(self, at_posting=False):
        """Queue the applicable posted invoices of self for the platform of their company (at posting only when
        the company sends at posting); the sending cron deposits them after this transaction."""
        queued = self.env["account.move"]
        for company, moves in self._o2c_einvoice_applicable().grouped("company_id").items():
            platform = self.env["o2c.einvoice.platform"]._o2c_for_company(company)
            if not platform or (at_posting and not platform.send_at_posting):
                continue
            queued |= moves.filtered(lambda move: move.state == "posted" and move.o2c_pa_state in ("none", "to_send"))
        if queued:
            queued.with_context(**NO_SYNC).write(
                {"o2c_pa_state": "to_send", "o2c_pa_next_try": False, "o2c_pa_message": False}
            )
            self.env.ref("o2c_einvoice.ir_cron_o2c_einvoice_platform_send")._trigger()
        return queued

    def action_o2c_pa_send(self):
        """Button: queue this invoice for the platform now (again after a fix)."""
        queued = self._o2c_pa_queue()
        if not queued:
            return False
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("Queued for the approved platform."), "type": "info",
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }  # fmt: skip

    # ------------------------------------------------------------------
    # Sending (idempotent)
    # ------------------------------------------------------------------

    def _o2c_pa_blocking_reason(self, platform):
        """Why this invoice cannot be deposited yet (a sentence), or False."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if partner.o2c_pa_directory_state != "found" or not partner.o2c_pa_routing_address:
            return _(
                "%(customer)s is not in the e-invoicing directory (SIREN %(siren)s): the invoice waits. Check "
                "its SIREN, or ask the customer to register with a platform.",
                customer=partner.display_name,
                siren=partner._o2c_einvoice_siren() or _("missing"),
            )
        missing = partner.o2c_pa_public_buyer and [
            # The very values the Factur-X writes (BT-10, BT-13; a glue addon adds its own, e.g. Chorus Pro's).
            label for label, value in self.env["o2c.einvoice.facturx.mapping"]._o2c_public_buyer_facts(self)
            if not value
        ]  # fmt: skip
        if missing:
            return _("%(customer)s is a public buyer: %(missing)s must be filled in before sending.",
                     customer=partner.display_name, missing=", ".join(missing))  # fmt: skip
        return False

    def _o2c_pa_facturx_missing(self):
        """Why the invoice has no Factur-X to deposit (a sentence), or False."""
        self.ensure_one()
        if not self.invoice_pdf_report_id:
            return _("The Factur-X is not issued: %(errors)s", errors=self.o2c_einvoice_errors or _("unknown error"))
        return False

    def _o2c_pa_retry_later(self, message):
        """Keep the invoices of self queued, next attempt later (longer after each failure)."""
        now = fields.Datetime.now()
        for attempts, moves in self.grouped("o2c_pa_attempts").items():
            delay = timedelta(minutes=min(5 * 2**attempts, 24 * 60))
            moves.with_context(**NO_SYNC).write(
                {"o2c_pa_next_try": now + delay, "o2c_pa_message": message, "o2c_pa_attempts": attempts + 1}
            )

    def _o2c_pa_find_earlier_flows(self, platform):
        """The flows already on the platform for the invoices of self that were being sent: {name: flow}."""
        attempted = [date for date in self.mapped("o2c_pa_attempt_date") if date]
        since = platform._o2c_iso(min(attempted) - timedelta(minutes=5)) if attempted else platform._o2c_iso(
            fields.Datetime.now() - timedelta(days=7)
        )  # fmt: skip
        flows = platform._o2c_search_flows("Out", None, since)
        return {flow.get("name"): flow for flow in flows if flow.get("name")}

    def _o2c_pa_deposit(self, platform):
        """Deposit the queued invoices of self (one company) on `platform`: first find again those a previous
        attempt may have deposited (timeout, crash), then deposit the others, once. Commits in between when
        running as a cron, so that a crash after a deposit is found again."""
        can_commit = self.env["account.move.send"]._can_commit()
        try:
            earlier = (
                self._o2c_pa_find_earlier_flows(platform)
                if self.filtered(lambda m: m.o2c_pa_state == "sending")
                else {}
            )
        except PlatformUnavailable as error:
            self._o2c_pa_retry_later(str(error))
            return
        for move in self:
            flow = earlier.get(move.o2c_pa_tracking) if move.o2c_pa_tracking else None
            if flow:
                move._o2c_pa_write_flow(flow)
        todo = self.filtered(lambda move: move.o2c_pa_state in ("to_send", "sending"))
        missing = todo.filtered(lambda move: move.commercial_partner_id.o2c_pa_directory_state != "found")
        if missing:
            try:
                platform._o2c_lookup(missing.commercial_partner_id)
            except PlatformUnavailable as error:
                todo._o2c_pa_retry_later(str(error))
                return
        waiting = {move: move._o2c_pa_blocking_reason(platform) for move in todo}
        # The Factur-X is issued only once the invoice can go: its BT-10/BT-13 must be there first.
        todo.filtered(lambda move: not waiting[move] and not move.invoice_pdf_report_id)._o2c_einvoice_generate(
            raise_errors=False
        )
        ready = self.env["account.move"]
        for move in todo:
            reason = waiting[move] or move._o2c_pa_facturx_missing()
            if reason:
                move._o2c_pa_retry_later(reason)
            else:
                ready |= move
        if not ready:
            return
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        # Two writes for the whole chunk, not two per invoice: an invoice's write is the heavy account.move one.
        ready.with_context(**NO_SYNC).write({"o2c_pa_state": "sending", "o2c_pa_attempt_date": fields.Datetime.now()})
        ready._o2c_pa_store("o2c_pa_tracking", {move.id: tracking_name(uuid, move.id, move.name) for move in ready})
        if can_commit:
            self.env.cr.commit()
        calls = [
            (move.invoice_pdf_report_id.raw, move.o2c_pa_tracking, "Factur-X",
             "B2G" if move.commercial_partner_id.o2c_pa_public_buyer else "B2B")
            for move in ready
        ]  # fmt: skip
        flows, failures = {}, {}
        for move, result in zip(ready, platform._o2c_call_many(pyfrctc.send_flow_parsed, calls), strict=True):
            if isinstance(result, PlatformUnavailable):
                # Perhaps deposited after all (a timeout): the next attempt looks it up by its tracking name.
                message = _("The platform did not confirm the deposit: %(error)s", error=result)
                failures[message] = failures.get(message, self.browse()) | move
            else:
                flows[move] = result
        for message, moves in failures.items():
            moves._o2c_pa_retry_later(message)
        self._o2c_pa_write_flows(flows)

    def _o2c_pa_store(self, field_name, values):
        """Store `values` ({move id: value}) in the technical column `field_name` of the invoices of self in one
        UPDATE: the platform's own identifiers, never tracked nor shown as a change of the invoice."""
        if not values:
            return
        self.flush_model([field_name])
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET %s = data.value FROM (VALUES %s) AS data(id, value) "
                "WHERE account_move.id = data.id",
                SQL.identifier(field_name),
                SQL(", ").join(SQL("(%s, %s)", move_id, value) for move_id, value in values.items()),
            )
        )
        self.browse(list(values)).invalidate_recordset([field_name])

    def _o2c_pa_write_flow(self, flow):
        """Keep the flow id and its state on the invoice; a refused flow writes 213 with the platform's reasons."""
        self.ensure_one()
        self._o2c_pa_write_flows({self: flow})

    @api.model
    def _o2c_pa_write_flows(self, flows):
        """Keep each flow's id and state on its invoice (`flows`: {move: flow}), invoices of the same outcome in
        one write; the acknowledgements write 200 (accepted) or 213 with the platform's reasons (refused)."""
        outcomes = {}
        for move, flow in flows.items():
            state = flow.get("state") or "sent"
            state = state if state in ("sent", "done", "error") else "sent"
            key = (state, flow.get("ap_error_details") or False)
            outcomes[key] = outcomes.get(key, self.browse()) | move
        for (state, message), moves in outcomes.items():
            moves.with_context(**NO_SYNC).write({
                "o2c_pa_flow_state": state, "o2c_pa_state": "rejected" if state == "error" else "sent",
                "o2c_pa_message": message, "o2c_pa_next_try": False,
            })  # fmt: skip
        self._o2c_pa_store("o2c_pa_flow_id", {move.id: flow.get("flowId") for move, flow in flows.items()})
        acks = [
            (move, ACK_STATUS[flow["state"]], flow) for move, flow in flows.items() if flow.get("state") in ACK_STATUS
        ]
        if not acks:
            return
        rows = []
        for move, code, flow in acks:
            reason = None
            if code == "213":
                given = [item.get("reasonCode") for item in (flow.get("acknowledgement") or {}).get("details") or []]
                reason = next((item for item in given if item in REASON_CODES["213"]), "REJ_SEMAN")
            date = (flow.get("updated_at") or fields.Datetime.now()).replace(microsecond=0)
            rows.append({"move": move, "code": code, "reason_code": reason, "date": date,
                         "note": flow.get("ap_error_details") or None, "message_ref": f"{flow.get('flowId')}-ack",
                         "sender_role": "WK"})  # fmt: skip
        written = self._o2c_pa_insert_statuses(rows)
        written.move_id._o2c_pa_log_statuses(written)
        for status in written.filtered(lambda status: status.code == "213"):
            status.move_id._o2c_pa_notify_managers(
                _("Rejected by the platform: %(reasons)s", reasons=status.note or _("no reason given"))
            )

    def _o2c_pa_insert_statuses(self, rows):
        """Write the platform's statuses `rows` (dicts: move, code, reason_code, note, date, message_ref,
        sender_role) in one INSERT; a status already recorded for its invoice (same code and message) is left
        out, even when a concurrent fetch writes it at the same time. Returns the statuses written."""
        Status = self.env["o2c.einvoice.status"]
        if not rows:
            return Status
        Status.flush_model()
        now, uid = fields.Datetime.now(), self.env.uid
        values = SQL(", ").join(
            SQL("(%s, %s, %s, %s, %s, %s, %s, 'platform', %s, %s, %s, %s, %s, %s, %s)", row["move"].id,
                row["move"].company_id.id, row["move"].commercial_partner_id.id, row["code"],
                row.get("reason_code") or None, row.get("note") or None, row["date"], row["message_ref"],
                row.get("sender_role") or STATUS_SENDER_ROLE.get(row["code"]), uid, uid, now, uid, now)
            for row in rows
        )  # fmt: skip
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "INSERT INTO o2c_einvoice_status (move_id, company_id, partner_id, code, reason_code, note, date, "
                    "source, message_ref, sender_role, user_id, create_uid, create_date, write_uid, write_date) "
                    "VALUES %s ON CONFLICT ON CONSTRAINT o2c_einvoice_status_message_once DO NOTHING RETURNING id",
                    values,
                )
            )
        ]
        statuses = Status.browse(ids)
        moves = self.browse({row["move"].id for row in rows})
        moves.invalidate_recordset(["o2c_einvoice_status_ids"])
        # What depends on the statuses (the invoice's last status, the glue addons' fields) is computed again.
        statuses.modified(Status._fields, create=True)
        return statuses

    def _o2c_pa_notify_managers(self, note):
        """A to-do activity on the invoice for an E-invoicing Manager of its company."""
        self.ensure_one()
        group = self.env.ref("o2c_einvoice.group_o2c_einvoice_manager")
        managers = group.users.filtered(lambda user: self.company_id in user.company_ids and user.active)
        user = managers.filtered(lambda user: not user.share)[:1]
        self.activity_schedule("mail.mail_activity_data_todo", note=note, user_id=(user or self.env.user).id,
                               summary=_("E-invoice rejected by the platform"))  # fmt: skip

    @api.model
    def _cron_o2c_pa_send(self, chunk=SEND_CHUNK):
        """Cron: deposit the queued invoices chunk by chunk (locked with SKIP LOCKED, a commit per chunk,
        progress reported); an invoice that cannot go yet waits for its next attempt."""
        cron = self.env["ir.cron"]
        done = 0
        while True:
            self.flush_model(["o2c_pa_state", "o2c_pa_next_try"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM account_move WHERE o2c_pa_state IN ('to_send', 'sending') "
                    "AND (o2c_pa_next_try IS NULL OR o2c_pa_next_try <= %s) ORDER BY id LIMIT %s "
                    "FOR NO KEY UPDATE SKIP LOCKED",
                    fields.Datetime.now(),
                    chunk,
                )
            )
            if not rows:
                break
            moves = self.browse([row[0] for row in rows])
            for company, company_moves in moves.grouped("company_id").items():
                platform = self.env["o2c.einvoice.platform"]._o2c_for_company(company)
                if not platform:
                    company_moves.write({"o2c_pa_state": "none", "o2c_pa_message": _("No platform configured.")})
                    continue
                company_moves.with_company(company)._o2c_pa_deposit(platform)
            done += len(moves)
            remaining = self.search_count([("o2c_pa_state", "in", ("to_send", "sending")),
                                           "|", ("o2c_pa_next_try", "=", False),
                                           ("o2c_pa_next_try", "<=", fields.Datetime.now())])  # fmt: skip
            cron._notify_progress(done=done, remaining=remaining)
            if not self.env["account.move.send"]._can_commit():
                return
            self.env.cr.commit()

    # ------------------------------------------------------------------
    # Statuses in
    # ------------------------------------------------------------------

    @api.model
    def _o2c_pa_receive_flows(self, platform, flows):
        """Write the statuses of the platform's `flows` (parsed by pyfrctc): acknowledgements of our deposits
        and lifecycle messages (CDAR) about our invoices, each once. Returns (statuses written, ids of the
        flows that name no invoice of the company)."""
        unknown = []
        company = platform.company_id
        acks = [flow for flow in flows if flow.get("flow_direction") == "out" and flow.get("state") in ACK_STATUS]
        if acks:
            deposited = self.search_fetch(
                [("o2c_pa_flow_id", "in", [flow["flowId"] for flow in acks]), ("company_id", "=", company.id)],
                ["o2c_pa_flow_id", "o2c_pa_flow_state"],
            )
            by_flow = {move.o2c_pa_flow_id: move for move in deposited}
            # Only what changed: an accepted flow is seen again at each fetch until its lifecycle moves on.
            self._o2c_pa_write_flows({
                by_flow[flow["flowId"]]: flow for flow in acks
                if flow["flowId"] in by_flow and (by_flow[flow["flowId"]].o2c_pa_flow_state != flow["state"])
            })  # fmt: skip
        lifecycle = [
            flow for flow in flows if flow.get("flowType") == "CustomerInvoiceLC" and flow.get("flow_direction") == "in"
        ]
        if not lifecycle:
            return self.env["o2c.einvoice.status"], unknown
        self.env["o2c.einvoice.status"].flush_model(["message_ref"])
        known_refs = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT message_ref FROM o2c_einvoice_status WHERE message_ref = ANY(%s)",
                    [flow["flowId"] for flow in lifecycle],
                )
            )
        }
        new_ids = [flow["flowId"] for flow in lifecycle if flow["flowId"] not in known_refs]
        messages = {}
        for flow_id, content in zip(new_ids, platform._o2c_download_many(new_ids), strict=True):
            if isinstance(content, PlatformUnavailable):
                raise content  # the fetch stops here; it starts again from the same point next time
            try:
                messages[flow_id] = read_status_cdar(content)
            except ValueError:
                unknown.append(flow_id)
        seller_siren = company.partner_id._o2c_einvoice_siren()
        moves = self.search_fetch(
            [("name", "in", list({message.invoice_number for message in messages.values()})),
             ("company_id", "=", company.id), ("move_type", "in", ("out_invoice", "out_refund"))],
            ["name", "company_id", "commercial_partner_id"],
        )  # fmt: skip
        by_name = {move.name: move for move in moves}
        rows = []
        for flow_id, message in messages.items():
            move = by_name.get(message.invoice_number)
            if not move or (message.seller_siren and message.seller_siren != seller_siren):
                unknown.append(flow_id)
                continue
            error = reason_error(message.status_code, message.reason_code or None)
            if error:
                # One wrong message must not stop the others: it is logged and left out.
                _logger.warning("Platform %s: flow %s skipped (%s)", platform.id, flow_id, error)
                unknown.append(flow_id)
                continue
            rows.append({"move": move, "code": message.status_code, "reason_code": message.reason_code or None,
                         "note": "\n".join(filter(None, [message.reason, message.note])) or None,
                         "date": message.issued_at or fields.Datetime.now(), "message_ref": flow_id,
                         "sender_role": message.sender_role or False})  # fmt: skip
        written = self._o2c_pa_insert_statuses(rows)
        if written:
            written.move_id._o2c_pa_log_statuses(written)
            written.move_id._o2c_einvoice_platform_statuses(written)
        return written, unknown

    def _o2c_pa_log_statuses(self, statuses):
        """One chatter line per invoice of self naming the `statuses` it received from the platform (logged
        for all the invoices at once); 211 is said in bold for the collector."""
        bodies = {}
        for move, move_statuses in statuses.grouped("move_id").items():
            names = move_statuses.sorted(lambda status: (status.date, status.id)).mapped("display_name")
            body = Markup("%s") % _("E-invoice statuses from the platform: %(statuses)s", statuses=", ".join(names))
            if "211" in move_statuses.mapped("code"):
                body += Markup("<br/><b>%s</b>") % _("The buyer says the payment is on its way (211 Payment sent).")
            bodies[move.id] = body
        self.browse(list(bodies))._message_log_batch(bodies)

    def _o2c_einvoice_platform_statuses(self, statuses):
        """Extension hook, called on the invoices that received `statuses` from their platform (each status
        once). Glue addons react here: ``o2c_disputes_einvoice`` opens a dispute for 207 and 210, a dunning
        glue pauses reminders on 211. Base implementation: 213 shows the reasons and warns a manager (211 is said
        in the invoice's chatter line of the fetch, for the collector)."""
        for status in statuses:
            move = status.move_id
            if status.code == "213" and move.o2c_pa_state != "rejected":
                move.write({"o2c_pa_state": "rejected", "o2c_pa_message": status.note or False})
                move._o2c_pa_notify_managers(
                    _("Rejected by the platform: %(reasons)s", reasons=status.note or _("no reason given"))
                )
