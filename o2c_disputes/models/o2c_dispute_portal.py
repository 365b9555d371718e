from odoo import Command, _, api, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

# Types whose content is sniffed: a file named .pdf must really be a PDF.
SNIFFED_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


class O2cDispute(models.Model):
    """Portal intake of disputes: a customer contests one of their invoices from the portal (the form is
    ``controllers/portal.py``), with files checked here, and gets an acknowledgment."""

    _inherit = "o2c.dispute"

    @api.model
    def _o2c_portal_submit(self, invoice, reason, amount, message, files=()):
        """Open a dispute as the current portal user on ``invoice`` (an ``account.move`` read with the
        user's rights), for ``amount`` and ``reason``, with ``message`` and ``files``
        (``[(filename, content bytes)]``, already checked by ``_o2c_check_portal_files``). Raises a
        ``UserError`` naming what is wrong and creates nothing then. Returns the new dispute."""
        user = self.env.user
        company = invoice.company_id
        if not company.o2c_dispute_portal_enabled:
            raise UserError(_("Invoices cannot be contested online: please contact us directly."))
        if invoice.commercial_partner_id != user.commercial_partner_id:
            raise UserError(_("Invoice %(invoice)s is not one of yours.", invoice=invoice.name))
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(_("Only issued invoices can be contested: %(invoice)s is not.", invoice=invoice.name))
        if not reason:
            raise UserError(_("Choose the reason of your dispute."))
        currency = invoice.currency_id
        if amount is None or currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(_("Enter the amount you contest, above zero."))
        if currency.compare_amounts(amount, invoice.amount_residual) > 0:
            raise UserError(
                _(
                    "You cannot contest %(amount)s: only %(residual)s is still due on %(invoice)s.",
                    amount=currency.format(amount),
                    residual=currency.format(invoice.amount_residual),
                    invoice=invoice.name,
                )
            )
        dispute = self.with_company(company).create(
            {
                "company_id": company.id,
                "partner_id": invoice.commercial_partner_id.id,
                "contact_partner_id": user.partner_id.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "reason_id": reason.id,
                "amount_disputed": currency.round(amount),
                "description": message,
                "source": "portal",
            }
        )
        # sudo: a portal customer may not create attachments, post on the dispute's chatter nor send the
        # acknowledgment mail; everything above was checked for their own invoice.
        dispute_sudo = dispute.sudo()
        if files:
            # sudo: see above, the customer's documents are attached by the system.
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {"name": filename, "raw": content, "res_model": self._name, "res_id": dispute.id}
                        for filename, content in files
                    ]
                )
            )
            dispute_sudo.message_post(
                body=_("Documents sent by the customer with the dispute."),
                attachment_ids=attachments.ids,
                author_id=user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        dispute_sudo._o2c_acknowledge()
        return dispute

    def _o2c_acknowledge(self):
        """Send the acknowledgment email to the customer and give the owner an activity due at the
        deadline."""
        template = self.env.ref("o2c_disputes.mail_template_dispute_acknowledgment", raise_if_not_found=False)
        for dispute in self:
            if template:
                dispute.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    author_id=(dispute.user_id.partner_id or dispute.company_id.partner_id).id,
                )
            if dispute.user_id:
                dispute.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=dispute.date_deadline,
                    summary=_("Handle dispute %(case)s", case=dispute.name),
                    user_id=dispute.user_id.id,
                )

    @api.model
    def _o2c_check_portal_files(self, files, company):
        """Raise a ``UserError`` when one of ``files`` (``[(filename, content bytes)]``) is too big
        or of a type customers may not send; returns the files otherwise."""
        max_bytes = company.o2c_dispute_attachment_max_mb * 1024 * 1024
        allowed = {ext.strip().lower().lstrip(".") for ext in (company.o2c_dispute_attachment_types or "").split(",")}
        for filename, content in files:
            extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
            if extension not in allowed:
                raise UserError(
                    _(
                        "%(file)s cannot be sent: only these types are accepted: %(types)s.",
                        file=filename,
                        types=", ".join(sorted(allowed)),
                    )
                )
            expected = SNIFFED_TYPES.get(extension)
            if expected and guess_mimetype(content) != expected:
                raise UserError(_("%(file)s is not a real %(type)s file.", file=filename, type=extension.upper()))
            if len(content) > max_bytes:
                raise UserError(
                    _(
                        "%(file)s is too big: files up to %(size)s MB are accepted.",
                        file=filename,
                        size=company.o2c_dispute_attachment_max_mb,
                    )
                )
        return files
