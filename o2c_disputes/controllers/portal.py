from odoo import _, http
from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request


class DisputePortal(PortalAccount):
    """Customer portal: contest an invoice, follow one's disputes and answer in their chatter."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dispute_count" in counters:
            disputes = request.env["o2c.dispute"]
            values["dispute_count"] = disputes.search_count([]) if disputes.has_access("read") else 0
        return values

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        values.update(self._o2c_dispute_form_values(invoice))
        return values

    def _o2c_dispute_form_values(self, invoice):
        """Values of the "Contest this invoice" form for ``invoice`` (sudo record) and the current user."""
        user = request.env.user
        disputes = request.env["o2c.dispute"]
        open_disputes = (
            disputes.search([("invoice_ids", "in", invoice.ids), ("state", "=", "open")])
            if not user._is_public() and disputes.has_access("read")
            else disputes
        )
        can_contest = (
            not user._is_public()
            and invoice.company_id.o2c_dispute_portal_enabled
            and invoice.commercial_partner_id == user.commercial_partner_id
            and invoice.move_type == "out_invoice"
            and invoice.state == "posted"
            and not invoice.currency_id.is_zero(invoice.amount_residual)
            and not open_disputes
        )
        reasons = request.env["o2c.dispute.reason"].search(
            [("company_id", "in", [False, invoice.company_id.id])] if can_contest else [("id", "=", False)]
        )
        return {
            "o2c_dispute_can_contest": can_contest,
            "o2c_dispute_reasons": reasons,
            "o2c_open_disputes": open_disputes,
        }

    # ------------------------------------------------------------------ contest an invoice

    @http.route(["/my/invoices/<int:invoice_id>/dispute"], type="http", auth="user", methods=["POST"], website=True)
    def portal_invoice_dispute(self, invoice_id, reason_id=None, amount=None, message=None, **kw):
        """Open a dispute on one of the customer's own posted invoices; on bad input, show the invoice
        again with the error and create nothing."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id)
        except (AccessError, MissingError):
            # sudo: only to tell the customer why: their own draft or cancelled invoice, or someone else's.
            own = request.env["account.move"].sudo().browse(invoice_id).exists()
            if own and own.commercial_partner_id == request.env.user.commercial_partner_id:
                return self._o2c_refuse(_("Only issued invoices can be contested: this one is a draft or cancelled."))
            return self._o2c_refuse(_("This invoice is not one of yours: you can only contest your own invoices."))
        if invoice_sudo.commercial_partner_id != request.env.user.commercial_partner_id:
            return self._o2c_refuse(_("This invoice is not one of yours: you can only contest your own invoices."))
        invoice = invoice_sudo.sudo(False)
        form = {"reason_id": reason_id, "amount": amount, "message": message}
        try:
            with request.env.cr.savepoint():
                dispute = self._o2c_submit(invoice, reason_id, amount, message)
        except (UserError, ValidationError, AccessError) as error:
            values = self._invoice_get_page_view_values(invoice_sudo, None)
            values.update(o2c_dispute_error=error.args[0], o2c_dispute_form=form, o2c_dispute_can_contest=True)
            values["o2c_dispute_reasons"] = request.env["o2c.dispute.reason"].search(
                [("company_id", "in", [False, invoice_sudo.company_id.id])]
            )
            return request.render("account.portal_invoice_page", values, status=400)
        return request.redirect(f"/my/disputes/{dispute.id}?created=1")

    def _o2c_submit(self, invoice, reason_id, amount, message):
        """Parse the posted form and open the dispute as the current user; raises ``UserError``."""
        reasons = request.env["o2c.dispute.reason"]
        try:
            reason = reasons.browse(int(reason_id)).exists() if reason_id else reasons
        except ValueError:
            reason = reasons
        if reason and reason.company_id and reason.company_id != invoice.company_id:
            reason = reasons
        try:
            value = float((amount or "").replace(",", ".").replace(" ", "").replace("\u202f", ""))
        except ValueError:
            raise UserError(_("Enter the amount you contest as a number, e.g. 120.50.")) from None
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload and upload.filename
        ]
        disputes = request.env["o2c.dispute"]
        disputes._o2c_check_portal_files(files, invoice.company_id)
        return disputes._o2c_portal_submit(invoice, reason, value, (message or "").strip(), files)

    def _o2c_refuse(self, message):
        """A 403 page saying why the request is refused."""
        return request.render(
            "o2c_disputes.portal_dispute_refused", {"o2c_refusal": message, "page_name": "dispute"}, status=403
        )

    # ------------------------------------------------------------------ my disputes

    @http.route(["/my/disputes", "/my/disputes/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_disputes(self, page=1, **kw):
        """List the customer's disputes with their status."""
        disputes = request.env["o2c.dispute"]
        domain = []
        total = disputes.search_count(domain) if disputes.has_access("read") else 0
        pager = portal_pager(url="/my/disputes", total=total, page=page, step=self._items_per_page)
        records = (
            disputes.search(domain, limit=self._items_per_page, offset=pager["offset"])
            if disputes.has_access("read")
            else disputes
        )
        request.session["my_disputes_history"] = records.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({"disputes": records, "pager": pager, "page_name": "dispute", "default_url": "/my/disputes"})
        return request.render("o2c_disputes.portal_my_disputes", values)

    @http.route(["/my/disputes/<int:dispute_id>"], type="http", auth="public", website=True)
    def portal_my_dispute(self, dispute_id, access_token=None, created=None, **kw):
        """One dispute: its status, invoices, documents and chatter, where the customer can reply."""
        try:
            dispute_sudo = self._document_check_access("o2c.dispute", dispute_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo: portal users have no read access on attachments; the dispute passed the access check above.
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "o2c.dispute"), ("res_id", "=", dispute_sudo.id)], order="id")
        )
        attachments.generate_access_token()
        values = {
            "page_name": "dispute",
            "dispute": dispute_sudo,
            "o2c_attachments": attachments,
            "o2c_created": bool(created),
        }
        values = self._get_page_view_values(dispute_sudo, access_token, values, "my_disputes_history", False, **kw)
        return request.render("o2c_disputes.portal_my_dispute", values)
