from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

BATCH_SIZE = 50


class O2cEinvoiceBatch(models.Model):
    _name = "o2c.einvoice.batch"
    _description = "Factur-X batch generation"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, default=lambda self: _("New batch"))
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", string="Requested by", readonly=True, default=lambda self: self.env.user)
    state = fields.Selection(
        [("queued", "Queued"), ("running", "Running"), ("done", "Done")],
        default="queued",
        required=True,
        readonly=True,
        tracking=True,
    )
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    line_ids = fields.One2many("o2c.einvoice.batch.line", "batch_id", string="Results", readonly=True)
    total_count = fields.Integer(string="Number of invoices", compute="_compute_counts", store=True)
    done_count = fields.Integer(string="Processed", compute="_compute_counts", store=True)
    failed_count = fields.Integer(string="Failed", compute="_compute_counts", store=True)
    progress = fields.Float(compute="_compute_counts", store=True)

    def _creation_message(self):
        """The chatter line of a new batch (its own sentence, so that French can agree in gender)."""
        return _("Factur-X batch created")

    @api.depends("move_ids", "line_ids.state")
    def _compute_counts(self):
        for batch in self:
            batch.total_count = len(batch.move_ids)
            batch.done_count = len(batch.line_ids)
            batch.failed_count = len(batch.line_ids.filtered(lambda line: line.state == "failed"))
            batch.progress = 100.0 * batch.done_count / batch.total_count if batch.total_count else 100.0

    @api.model
    def _o2c_create_for(self, moves):
        """Queue the Factur-X generation of `moves` (posted customer invoices) and open the batch."""
        invoices = moves._o2c_einvoice_applicable().filtered(lambda move: move.state == "posted")
        if not invoices:
            raise UserError(_("Select posted customer invoices or credit notes of a company that issues Factur-X."))
        batch = self.create(
            {
                "name": _("Factur-X of %(count)s invoices", count=len(invoices)),
                "company_id": invoices[:1].company_id.id,
                "move_ids": [fields.Command.set(invoices.ids)],
            }
        )
        self.env.ref("o2c_einvoice.ir_cron_o2c_einvoice_batch")._trigger()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": batch.id,
            "view_mode": "form",
            "target": "current",
        }

    def _o2c_process_chunk(self, size=BATCH_SIZE):
        """Generate the Factur-X of the next `size` unprocessed invoices of this batch, printed together; if the
        print fails, each invoice again in its own savepoint so that one failure never undoes the others.
        Returns the number left."""
        self.ensure_one()
        done = self.line_ids.move_id
        todo = self._o2c_lock_invoices((self.move_ids - done).ids, size)
        if self.state == "queued":
            self.state = "running"
        to_issue = todo.filtered(lambda move: not move.invoice_pdf_report_id)
        try:
            # The whole chunk in one print: one browser for every PDF (starting it costs more than a page).
            with self.env.cr.savepoint():
                failed = to_issue._o2c_einvoice_generate(raise_errors=False)
        except Exception:  # one invoice that breaks the print must not fail the others: each on its own
            failed = {}
            for move in to_issue:
                try:
                    with self.env.cr.savepoint():
                        failed.update(move._o2c_einvoice_generate(raise_errors=False))
                except Exception as error:
                    failed[move] = [str(error)]
        results = []
        for move in todo:
            if move not in to_issue:
                results.append({"move_id": move.id, "state": "skipped", "message": _("Already issued.")})
            elif failed.get(move):
                results.append({"move_id": move.id, "state": "failed", "message": "\n".join(failed[move])})
            else:
                results.append({"move_id": move.id, "state": "done", "message": False})
        self.env["o2c.einvoice.batch.line"].create([{**values, "batch_id": self.id} for values in results])
        left = len(self.move_ids) - len(self.line_ids)
        if not left:
            self.state = "done"
            self._o2c_notify_done()
        return left

    def _o2c_lock_invoices(self, move_ids, size):
        """Lock up to `size` invoices of `move_ids` for this transaction, skipping those a concurrent run is
        issuing (the same invoice queued in two batches, or issued from its form meanwhile). Returns them."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
                move_ids,
                size,
            )
        )
        return self.env["account.move"].browse([row[0] for row in rows])

    def _o2c_notify_done(self):
        self.ensure_one()
        message = _(
            "%(done)s of %(total)s Factur-X issued, %(failed)s failed.",
            done=self.done_count - self.failed_count,
            total=self.total_count,
            failed=self.failed_count,
        )
        self.message_post(body=message)
        self.user_id._bus_send(
            "simple_notification",
            {"title": self.name, "message": message, "type": "warning" if self.failed_count else "success"},
        )

    @api.model
    def _cron_process(self):
        """Cron: process the queued batches chunk by chunk, committing after each chunk and reporting
        progress, so that a crash resumes where it stopped."""
        cron = self.env["ir.cron"]
        busy, retried = [], set()  # busy: batches whose next invoices a concurrent run is issuing, left for later
        while True:
            row = self.env.execute_query(
                SQL(
                    "SELECT id FROM o2c_einvoice_batch WHERE state != 'done' AND id != ALL(%s) "
                    "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    busy,
                )
            )
            if not row:
                break
            batch = self.browse(row[0][0])
            before = len(batch.line_ids)
            try:
                with self.env.cr.savepoint():
                    left = batch._o2c_process_chunk()
            except psycopg2.errors.SerializationFailure:
                # A concurrent run issued some of these invoices since this transaction began: once more on
                # fresh data, then later.
                if batch.id in retried:
                    busy.append(batch.id)
                retried.add(batch.id)
            else:
                if left and len(batch.line_ids) == before:
                    busy.append(batch.id)
                else:
                    cron._notify_progress(done=batch.done_count, remaining=left)
            if not self.env["account.move.send"]._can_commit():
                return
            self.env.cr.commit()
        if busy:
            cron = self.env.ref("o2c_einvoice.ir_cron_o2c_einvoice_batch")
            cron._trigger(fields.Datetime.now() + timedelta(minutes=1))
