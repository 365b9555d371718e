import base64

from odoo import _, fields, models
from odoo.addons.o2c_base.tools.safe_xml import XmlRefused, user_message
from odoo.exceptions import UserError

from ..facturx.lifecycle import STATUS_CODES
from ..facturx.platform import CdarError, read_status_cdar


class O2cEinvoiceCdarImport(models.TransientModel):
    _name = "o2c.einvoice.cdar.import"
    _description = "Import e-invoice status messages (CDAR)"

    file = fields.Binary(string="CDAR file", required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)

    def action_import(self):
        """Read the CDAR message with pyfrctc, once it passes the CDAR XSD and the BR-FR-CDV rules, and write its
        status on its invoice; a status already imported from the same message is skipped, so importing a file
        twice changes nothing."""
        self.ensure_one()
        try:
            messages = [read_status_cdar(base64.b64decode(self.file), check_rules=True)]
        except XmlRefused as error:
            raise UserError(user_message(self.env, error, self.filename))
        except CdarError as error:
            raise UserError(_("%(file)s is not a valid status message: %(error)s", file=self.filename, error=error))
        unknown_codes = sorted({message.status_code for message in messages} - set(STATUS_CODES))
        if unknown_codes:
            raise UserError(_("Unknown status codes: %(codes)s.", codes=", ".join(unknown_codes)))
        numbers = {message.invoice_number for message in messages}
        moves = self.env["account.move"].search(
            [("name", "in", list(numbers)), ("move_type", "in", ("out_invoice", "out_refund")),
             ("company_id", "in", self.env.companies.ids)]
        )  # fmt: skip
        by_number = {move.name: move for move in moves}
        missing = sorted(numbers - set(by_number))
        if missing:
            raise UserError(_("No customer invoice numbered %(numbers)s.", numbers=", ".join(missing)))
        existing = {
            (status.move_id.id, status.code, status.message_ref)
            for status in moves.o2c_einvoice_status_ids.filtered("message_ref")
        }
        imported = 0
        for message in messages:
            move = by_number[message.invoice_number]
            if (move.id, message.status_code, message.message_id) in existing:
                continue
            paid = {}
            for amount, rate in message.paid_amounts:
                paid[f"{rate:.2f}"] = paid.get(f"{rate:.2f}", 0.0) + float(amount)
            move._o2c_einvoice_add_status(
                message.status_code,
                reason_code=message.reason_code or None,
                note=message.reason or None,
                amount=sum(paid.values()) or None,
                date=message.issued_at or fields.Datetime.now(),
                source="import",
                message_ref=message.message_id,
                sender_role=message.sender_role or False,
                paid_by_rate=paid or False,
            )
            imported += 1
        self.result = _("%(imported)s statuses imported, %(skipped)s already known.",
                        imported=imported, skipped=len(messages) - imported)  # fmt: skip
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
