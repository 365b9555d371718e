import logging

from odoo import _, api, models
from odoo.tools.misc import file_path

from ..facturx.pdf import FacturxPdfError, to_pdfa3_many

_logger = logging.getLogger(__name__)
ICC_PROFILE = "tools/data/files/sRGB2014.icc"


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
        prepared = [
            data["o2c_einvoice"]
            for data in invoices_data.values()
            if data.get("o2c_einvoice", {}).get("rendered_pdf", b"").startswith(b"%PDF")
        ]
        if len(prepared) > 1:
            try:
                # One Ghostscript run for the PDF/A-3 of the whole print; each invoice is converted alone if it fails.
                pdfas = to_pdfa3_many([data["rendered_pdf"] for data in prepared], file_path(ICC_PROFILE))
            except FacturxPdfError as error:
                _logger.warning("The PDF/A-3 of %s invoices at once failed, each is converted alone: %s",
                                len(prepared), error)  # fmt: skip
            else:
                for data, pdfa in zip(prepared, pdfas, strict=True):
                    data["pdfa"] = pdfa
        return res

    @api.model
    def _generate_invoice_documents(self, invoices_data, allow_fallback_pdf=False):
        res = super()._generate_invoice_documents(invoices_data, allow_fallback_pdf=allow_fallback_pdf)
        issued = {}
        for invoice, data in invoices_data.items():
            profile = data.get("o2c_einvoice", {}).get("issued_profile")
            if profile and not data.get("error"):
                issued[profile] = issued.get(profile, self.env["account.move"]) | invoice
        for profile, invoices in issued.items():
            # One write per profile for the whole print (an invoice's write is the heavy account.move one).
            invoices.write({"o2c_einvoice_state": "done", "o2c_einvoice_profile_used": profile,
                            "o2c_einvoice_errors": False})  # fmt: skip
        return res

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        prepared = invoice_data.get("o2c_einvoice")
        pdf_values = invoice_data.get("pdf_attachment_values")
        if not prepared or not pdf_values or "rendered_pdf" not in prepared:
            super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
            return
        # The validated Factur-X below is built from the PDF as rendered and replaces the PDF: the silent
        # Factur-X of account_edi_ubl_cii (Odoo's own XML built, embedded, the PDF rewritten) would be thrown
        # away, so only its UBL part runs (a UBL format embeds the rendered PDF in its XML).
        options = invoice_data.get("ubl_cii_xml_options")
        if options and options.get("ubl_cii_format") != "facturx":
            self._postprocess_invoice_ubl_xml(invoice, invoice_data)
        if not prepared["rendered_pdf"].startswith(b"%PDF"):
            # Odoo renders reports as HTML in test mode unless the context sets force_report_rendering.
            invoice_data["error"] = {
                "error_title": _("The Factur-X PDF of %(invoice)s could not be produced:", invoice=invoice.name),
                "errors": [_("The invoice report was not rendered as a PDF.")],
            }
            return
        try:
            # Built from the PDF as rendered, so that no other XML embedded meanwhile survives.
            if "pdfa" in prepared:
                pdf_values["raw"] = invoice._o2c_einvoice_make_pdf(
                    prepared["pdfa"], prepared["xml"], prepared["profile"], already_pdfa=True
                )
            else:
                pdf_values["raw"] = invoice._o2c_einvoice_make_pdf(
                    prepared["rendered_pdf"], prepared["xml"], prepared["profile"]
                )
        except FacturxPdfError as error:
            invoice_data["error"] = {
                "error_title": _("The Factur-X PDF of %(invoice)s could not be produced:", invoice=invoice.name),
                "errors": [str(error)],
            }
            return
        prepared["issued_profile"] = prepared["profile"]  # written for the whole print at the end
