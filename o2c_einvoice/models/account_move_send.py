from odoo import _, api, models

from ..facturx.pdf import FacturxPdfError


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _hook_invoice_document_before_pdf_report_render(self, invoice, invoice_data):
        applicable = bool(invoice._o2c_einvoice_applicable())
        if applicable and invoice_data.get("invoice_edi_format") == "facturx":
            # Our validated Factur-X replaces Odoo's: no second, unvalidated XML beside the PDF.
            invoice_data["invoice_edi_format"] = False
        super()._hook_invoice_document_before_pdf_report_render(invoice, invoice_data)
        if not applicable or invoice.invoice_pdf_report_id:
            return
        prepared = invoice._o2c_einvoice_prepare()[invoice]
        if prepared["errors"]:
            invoice_data["error"] = {
                "error_title": _("The Factur-X of %(invoice)s cannot be issued:", invoice=invoice.name),
                "errors": prepared["errors"],
            }
            invoice_data.pop("error_but_continue", None)
        else:
            invoice_data["o2c_einvoice"] = prepared

    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        res = super()._prepare_invoice_pdf_report(invoices_data)
        for data in invoices_data.values():
            if "o2c_einvoice" in data and data.get("pdf_attachment_values"):
                # Kept as rendered, before any other module embeds its own XML in it.
                data["o2c_einvoice"]["rendered_pdf"] = data["pdf_attachment_values"]["raw"]
        return res

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        prepared = invoice_data.get("o2c_einvoice")
        pdf_values = invoice_data.get("pdf_attachment_values")
        if not prepared or not pdf_values or "rendered_pdf" not in prepared:
            return
        if not prepared["rendered_pdf"].startswith(b"%PDF"):
            # Odoo renders reports as HTML in test mode unless the context sets force_report_rendering.
            invoice_data["error"] = {
                "error_title": _("The Factur-X PDF of %(invoice)s could not be produced:", invoice=invoice.name),
                "errors": [_("The invoice report was not rendered as a PDF.")],
            }
            return
        try:
            # Built from the PDF as rendered, so that no other XML embedded meanwhile survives.
            pdf_values["raw"] = invoice._o2c_einvoice_make_pdf(
                prepared["rendered_pdf"], prepared["xml"], prepared["profile"]
            )
        except FacturxPdfError as error:
            invoice_data["error"] = {
                "error_title": _("The Factur-X PDF of %(invoice)s could not be produced:", invoice=invoice.name),
                "errors": [str(error)],
            }
            return
        invoice.write(
            {
                "o2c_einvoice_state": "done",
                "o2c_einvoice_profile_used": prepared["profile"],
                "o2c_einvoice_errors": False,
            }
        )
