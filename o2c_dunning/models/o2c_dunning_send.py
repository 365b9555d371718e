from collections import defaultdict

import psycopg2.errors
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools import SQL, format_amount, split_every

OPEN_PAYMENT_STATES = ("not_paid", "partial")
SEND_BATCH_SIZE = 20


class O2cDunningSend(models.AbstractModel):
    """The sending step of reminders (as Odoo's ``account.move.send`` is for invoices): delivery through
    each communication's channel (email with the PDF letter, letter, call activity), retry of the failed
    ones, and the bookkeeping of what was sent (levels reached, activities, chatter history)."""

    _name = "o2c.dunning.send"
    _description = "Dunning Sending"

    @api.model
    def _o2c_send_pending(self, company, commit=False):
        """Send the automatic reminders of `company` waiting to be sent and retry the failed ones, in small
        batches, each locked so that two runs never send the same reminder. Returns (sent, failed)."""
        Comm = self.env["o2c.dunning.communication"]
        Comm.flush_model()
        pending = Comm.search([("company_id", "=", company.id), ("state", "in", ("to_send", "failed"))], order="id").ids
        sent = failed = Comm.browse()
        for ids in split_every(SEND_BATCH_SIZE, pending):
            try:
                batch = self._o2c_lock_pending(ids)
            except psycopg2.errors.SerializationFailure:
                # a concurrent run sent some of them since this transaction began: leave them to it
                if not commit:
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
                continue
            self._o2c_send(batch, commit=commit)
            sent |= batch.filtered(lambda c: c.state == "sent")
            failed |= batch.filtered(lambda c: c.state == "failed")
            if commit:
                self.env.cr.commit()
        return sent, failed

    @api.model
    def _o2c_lock_pending(self, ids):
        """Lock the communications of `ids` still waiting to be sent, skipping those a concurrent run holds."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM o2c_dunning_communication WHERE id = ANY(%s) "
                "AND state IN ('to_send', 'failed') ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                list(ids),
            )
        )
        batch = self.env["o2c.dunning.communication"].browse([row[0] for row in rows])
        batch.invalidate_recordset()
        return batch

    @api.model
    def _o2c_send(self, comms, commit=False):
        """Deliver each pending communication of `comms`: email (with the PDF statement), letter, call
        activity. A mail server error marks it failed with the error, to be retried by the next run.
        Returns the communications delivered."""
        pending = self._o2c_recheck(comms)
        delivered = comms.browse()
        for comm in pending:
            error = self._o2c_deliver(comm, commit=commit)
            if error:
                comm.write({"state": "failed", "error_message": error})
                comm._message_log(body=escape(_("Reminder not sent: %(error)s", error=error)))
            else:
                delivered |= comm
        self._o2c_mark_sent(delivered)
        return delivered

    @api.model
    def _o2c_recheck(self, comms):
        """Check the pending communications of `comms` again just before they are sent or printed: the
        invoices paid, credited or disputed since they were prepared are dropped, the amounts follow
        what is still open, net of the customer's unapplied credits; a communication left with nothing
        to claim is cancelled with the reason in its error message and chatter. What changed is rendered
        again (the statement PDF, the email not yet sent). Returns the communications still to send."""
        pending = comms.filtered(lambda c: c.state in ("draft", "to_send", "failed"))
        if not pending:
            return pending
        today = fields.Date.context_today(self)
        moves = pending.dunned_line_ids.move_id
        moves.fetch(["state", "payment_state", "amount_residual", "name"])
        excluded = moves.with_context(o2c_dunning_date=today)._o2c_dunning_excluded()
        several = pending.dunned_line_ids.filtered("move_line_id").move_id
        instalments = several._o2c_dunning_instalments(today) if several else {}
        balances = {}
        for company in pending.company_id:
            of_company = pending.filtered(lambda c, company=company: c.company_id == company)
            balances.update(self.env["o2c.dunning.run"]._o2c_balances(company, of_company.partner_id.ids, today))
        reasons = {
            "paid": _("paid"),
            "credited": _("credited"),
            "disputed": _("disputed or kept out of dunning"),
        }
        stale_lines = self.env["o2c.dunning.communication.line"]
        cancelled = comms.browse()
        for comm in pending:
            dropped, kept_amount = [], 0.0
            for line in comm.dunned_line_ids:
                move = line.move_id
                # An instalment is checked on its own receivable line (missing: paid, or its invoice closed).
                instalment = instalments.get(line.move_line_id.id) if line.move_line_id else None
                residual = (instalment or {}).get("residual", 0.0) if line.move_line_id else move.amount_residual
                kept_out = instalment["excluded"] if instalment else excluded.get(move.id, 0.0)
                why = None
                if move.state != "posted" or move.payment_state == "reversed":
                    why = "credited"
                elif move.payment_state not in OPEN_PAYMENT_STATES or residual <= 0:
                    why = "paid"
                elif kept_out >= residual:
                    why = "disputed"
                if why:
                    dropped.append((line, why))
                    continue
                amount_excluded = min(kept_out, residual)
                if (line.amount_residual, line.amount_excluded) != (residual, amount_excluded):
                    line.write({"amount_residual": residual, "amount_excluded": amount_excluded})
                kept_amount += residual - amount_excluded
            by_kind = balances.get(comm.partner_id.id, {})
            credit = -(by_kind.get("credit_note", 0.0) + by_kind.get("payment", 0.0))
            claimed = comm.currency_id.round(kept_amount - min(max(credit, 0.0), kept_amount))
            values = {
                "amount_dunned": claimed,
                "invoice_count": len(comm.dunned_line_ids) - len(dropped),
                "amount_overdue": by_kind.get("overdue", 0.0),
                "amount_not_due": by_kind.get("not_due", 0.0),
                "amount_credit": by_kind.get("credit_note", 0.0) + by_kind.get("payment", 0.0),
                "amount_balance": sum(by_kind.values()),
            }
            changed = bool(dropped) or comm.currency_id.compare_amounts(claimed, comm.amount_dunned) != 0
            if dropped:
                stale_lines |= self.env["o2c.dunning.communication.line"].union(*(line for line, _why in dropped))
                comm._message_log(
                    body=escape(
                        _(
                            "Dropped before sending: %(invoices)s.",
                            invoices=", ".join(
                                f"{line.name or line.move_id.name} ({reasons[why]})" for line, why in dropped
                            ),
                        )
                    )
                )
            if comm.invoice_count and values["invoice_count"] == 0:
                if all(why == "paid" for _line, why in dropped):
                    values["error_message"] = _("All reminded invoices were paid before sending.")
                else:
                    values["error_message"] = _(
                        "Nothing left to claim: the reminded invoices were paid, credited or disputed since "
                        "the reminder was prepared."
                    )
                values["state"] = "cancelled"
            elif claimed <= 0:
                values["error_message"] = _(
                    "Nothing left to claim: the customer's unapplied credit notes and payments cover the "
                    "reminded invoices; reconcile them instead."
                )
                values["state"] = "cancelled"
            if changed:
                self._o2c_forget_rendering(comm)
            comm.write(values)
            if values.get("state") == "cancelled":
                cancelled |= comm
                comm._message_log(body=escape(values["error_message"]))
        # sudo: dropping a stale invoice from a reminder is the re-check's bookkeeping, not a user's deletion
        stale_lines.sudo().unlink()
        return pending - cancelled

    @api.model
    def _o2c_forget_rendering(self, comm):
        """The statement PDF and the email not yet sent of `comm` no longer say what it claims: render them
        again when it is sent."""
        # sudo: mail.mail and the attachment are readable by administrators only
        mail = comm.mail_id.sudo()
        if mail and mail.state != "sent":
            mail.write({"state": "cancel"})
        if comm.attachment_id:
            attachment = comm.attachment_id.sudo()
            comm.attachment_id = False
            attachment.unlink()

    @api.model
    def _o2c_deliver(self, comm, commit=False):
        """Deliver one communication; returns None when done, else the error message."""
        comm.ensure_one()
        if comm.is_formal_notice and comm.channel in ("email_letter", "letter") and not comm._o2c_letter_recipient():
            # a formal notice goes by registered letter: without a postal address it cannot be sent at all
            return _(
                "No postal address for the formal notice: enter the street and city of %(contact)s or of the "
                "customer %(customer)s, then send again.",
                contact=comm.contact_id.display_name or comm.partner_id.display_name,
                customer=comm.partner_id.commercial_partner_id.display_name,
            )
        if comm.channel in ("email", "email_letter", "letter"):
            self._o2c_statement_attachment(comm)
        if comm.channel not in ("email", "email_letter"):
            return None
        mail = comm.mail_id.sudo()  # sudo: mail.mail is readable by administrators only
        if mail and mail.state == "sent":
            return None  # sent by an interrupted run: never send it twice
        if not mail or mail.state == "cancel":
            template = comm.level_id.mail_template_id or self.env.ref("o2c_dunning.mail_template_dunning_reminder")
            mail_id = template.send_mail(
                comm.id,
                force_send=False,
                email_values={"attachment_ids": [fields.Command.link(comm.attachment_id.id)], "auto_delete": False},
                email_layout_xmlid="mail.mail_notification_light",
            )
            mail = self.env["mail.mail"].sudo().browse(mail_id)  # sudo: as above, to link the email just queued
            comm.mail_id = mail
        else:
            mail.write({"state": "outgoing", "failure_reason": False})
        if commit:
            # the email is recorded before it leaves: an interrupted run finds it and never sends it twice
            self.env.cr.commit()
        mail.send(auto_commit=commit, raise_exception=False)
        mail.invalidate_recordset(["state", "failure_reason"])
        if mail.state != "sent":
            return mail.failure_reason or _("The mail server did not accept the email.")
        return None

    @api.model
    def _o2c_statement_attachment(self, comm):
        """The PDF letter with the statement of open items of `comm`, rendered once and kept on it."""
        comm.ensure_one()
        if comm.attachment_id:
            return comm.attachment_id
        content, report_format = self.env["ir.actions.report"]._render_qweb_pdf(
            "o2c_dunning.action_report_dunning_letter", comm.ids
        )
        extension = "pdf" if report_format == "pdf" else "html"
        title = _("Formal notice") if comm.is_formal_notice else _("Statement")
        comm.attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"{title} - {comm.partner_id.name} - {comm.run_date}.{extension}",
                "raw": content,
                "res_model": comm._name,
                "res_id": comm.id,
                "mimetype": "application/pdf" if extension == "pdf" else "text/html",
            }
        )
        return comm.attachment_id

    @api.model
    def _o2c_mark_sent(self, comms):
        """Bulk bookkeeping of delivered communications: state, levels reached by the invoices, activities,
        history on the communication, the customer and each invoice, charges invoice of formal notices."""
        if not comms:
            return
        comms.write({"state": "sent", "sent_date": fields.Datetime.now(), "error_message": False})
        self._o2c_reach_levels(comms)
        call_type = self.env.ref("mail.mail_activity_data_call")
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        activities = []
        for comm in comms.filtered(lambda c: c.call_planned or c.channel == "litigation"):
            contact = comm.contact_id
            if comm.channel == "litigation":
                activity_type, summary = (
                    todo_type,
                    _("Hand over %(customer)s to litigation", customer=comm.partner_id.name),
                )
            else:
                activity_type, summary = call_type, _("Call %(contact)s about overdue invoices", contact=contact.name)
            note = Markup("<p>%s</p><p>%s</p>") % (
                _(
                    "%(contact)s — phone: %(phone)s, mobile: %(mobile)s, email: %(email)s",
                    contact=contact.display_name,
                    phone=contact.phone or "-",
                    mobile=contact.mobile or "-",
                    email=contact.email or "-",
                ),
                _(
                    "Amount reminded: %(amount)s; net balance: %(balance)s.",
                    amount=format_amount(self.env, comm.amount_dunned, comm.currency_id),
                    balance=format_amount(self.env, comm.amount_balance, comm.currency_id),
                ),
            )
            activities.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(comms._name),
                    "res_id": comm.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note,
                    "user_id": comm.user_id.id or self.env.user.id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        if activities:
            self.env["mail.activity"].create(activities)
        self._o2c_log_history(comms, _("sent"))
        formal = comms.filtered(
            lambda c: c.is_formal_notice and c.company_id.o2c_dunning_invoice_charges and c.amount_charges
        )
        formal.filtered(lambda c: not c.charges_move_id)._o2c_create_charges_invoices()

    @api.model
    def _o2c_reach_levels(self, comms):
        """The reminded invoices and instalments of `comms` have reached their line's level; an invoice the
        most advanced level among its reminded instalments."""
        lines = comms.dunned_line_ids
        by_level, instalments_by_level = defaultdict(list), defaultdict(list)
        most_advanced = {}
        for line in lines:
            move = line.move_id
            if line.move_line_id:
                instalments_by_level[line.level_id].append(line.move_line_id.id)
            best = most_advanced.get(move)
            if not best or (line.level_id.sequence, line.level_id.day_offset) > (best.sequence, best.day_offset):
                most_advanced[move] = line.level_id
        for move, level in most_advanced.items():
            by_level[level].append(move.id)
        for level, line_ids in instalments_by_level.items():
            self.env["account.move.line"].browse(line_ids).write({"o2c_dunning_level_id": level.id})
        for level, move_ids in by_level.items():
            self.env["account.move"].browse(move_ids).write(
                {"o2c_dunning_level_id": level.id, "o2c_dunning_escalate": False}
            )

    @api.model
    def _o2c_log_history(self, comms, event):
        """Log `event` of each communication of `comms` in the chatter of the communication, the customer
        and the reminded invoices (one batch of messages per model)."""
        channels = dict(comms._fields["channel"]._description_selection(self.env))
        comm_bodies, partner_bodies, move_bodies = {}, defaultdict(list), defaultdict(list)
        for comm in comms:
            text = _(
                "Dunning %(level)s %(event)s — %(channel)s to %(contact)s, %(count)s invoice(s), %(amount)s.",
                level=comm.level_id.name,
                event=event,
                channel=channels.get(comm.channel),
                contact=comm.contact_id.display_name,
                count=comm.invoice_count,
                amount=format_amount(self.env, comm.amount_dunned, comm.currency_id),
            )
            link = Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (comms._name, comm.id, comm.name)
            comm_bodies[comm.id] = escape(text)
            partner_bodies[comm.partner_id.id].append(Markup("%s %s") % (link, text))
            for move in comm.dunned_line_ids.move_id:
                move_bodies[move.id].append(Markup("%s %s") % (link, text))
        comms._message_log_batch(bodies=comm_bodies)
        self.env["res.partner"].browse(list(partner_bodies))._message_log_batch(
            bodies={pid: Markup("<br/>").join(bodies) for pid, bodies in partner_bodies.items()}
        )
        self.env["account.move"].browse(list(move_bodies))._message_log_batch(
            bodies={mid: Markup("<br/>").join(bodies) for mid, bodies in move_bodies.items()}
        )
