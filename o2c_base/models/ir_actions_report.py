import logging
import mimetypes
import time
from urllib.parse import urlparse

import psycopg2.errors

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.http import request, root
from odoo.service import security

from ..pdf import chromium, sheets, wkhtmltopdf

_logger = logging.getLogger(__name__)

RENDERERS = ("auto", "chromium", "wkhtmltopdf")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _o2c_pdf_renderer(self):
        """'chromium' when headless Chromium prints the QWeb PDF reports (the installed wkhtmltopdf lacks
        Odoo's patched Qt, so its PDFs have no header, footer nor text), else 'wkhtmltopdf' (Odoo's own
        path). The system parameter o2c_base.pdf_renderer (auto, chromium, wkhtmltopdf) forces a choice."""
        # sudo: system parameters are readable by administrators only, and every user prints reports.
        choice = self.env["ir.config_parameter"].sudo().get_param("o2c_base.pdf_renderer", "auto")
        if choice not in RENDERERS:
            choice = "auto"
        if choice == "wkhtmltopdf" or (choice == "auto" and wkhtmltopdf.has_patched_qt()):
            return "wkhtmltopdf"
        return "chromium" if chromium.find_chromium() else "wkhtmltopdf"

    @api.model
    def get_wkhtmltopdf_state(self):
        """Odoo's state of the PDF engine; 'ok' when Chromium prints the reports instead of a missing or
        broken wkhtmltopdf."""
        state = super().get_wkhtmltopdf_state()
        if state in ("install", "broken", "upgrade") and self._o2c_pdf_renderer() == "chromium":
            return "ok"
        return state

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        if self._o2c_pdf_renderer() != "chromium":
            return super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        paperformat = self._get_report(report_ref).get_paperformat() if report_ref else self.get_paperformat()
        return self._o2c_print_with_chromium(bodies, header, footer, paperformat, landscape, specific_paperformat_args)

    @api.model
    def _o2c_page_geometry(self, paperformat, landscape, specific_paperformat_args):
        """((page width, page height), (top, right, bottom, left) margins), in mm, as wkhtmltopdf would
        read them: the paper format, overridden by the report's data-report-* attributes."""
        args = specific_paperformat_args or {}
        if landscape is None and args.get("data-report-landscape"):
            landscape = args["data-report-landscape"]
        width, height = paperformat.print_page_width or 210.0, paperformat.print_page_height or 297.0
        if landscape and width < height:
            width, height = height, width
        margin_top = float(args.get("data-report-margin-top") or paperformat.margin_top or 0.0)
        margin_bottom = float(args.get("data-report-margin-bottom") or paperformat.margin_bottom or 0.0)
        margins = (margin_top, paperformat.margin_right or 0.0, margin_bottom, paperformat.margin_left or 0.0)
        return (width, height), margins

    def _o2c_session_cookies(self, base_url):
        """A temporary session of the current web user for the browser, as Odoo gives wkhtmltopdf, so that
        images behind a login load; returns (cookies, session or None)."""
        if not (request and request.db):
            return [], None
        session = root.session_store.new()
        session.update({**request.session, "_trace_disable": True})
        if session.uid:
            session.session_token = security.compute_session_token(session, self.env)
        root.session_store.save(session)
        cookie = {"name": "session_id", "value": session.sid, "url": base_url, "httpOnly": True, "path": "/"}
        return [cookie], session

    @api.model
    def _o2c_report_resource(self, url):
        """(content type, bytes) of a stylesheet bundle or static file a report asks the server for, read in
        this transaction; None for anything else, which the browser fetches from the server. Served from
        here, the report's look never depends on the server being reachable at its report URL, nor on a
        server worker free of the locks this transaction holds (a renamed company blocks the creation of
        the bundle in another transaction until this one ends)."""
        path = urlparse(url).path
        if path.startswith("/web/assets/"):
            filename = path.rsplit("/", 1)[-1]
            try:
                bundle_name, rtl, asset_type = self.env["ir.asset"]._parse_bundle_name(filename, False)
            except ValueError:
                return None
            if asset_type != "css":
                return None
            bundle = self.env["ir.qweb"]._get_asset_bundle(bundle_name, css=True, js=False, rtl=rtl)
            if not bundle.stylesheets:
                return None
            try:
                with self.env.cr.savepoint():
                    # sudo: the bundle's attachment is public stylesheet data that the printing user may not read.
                    content = bundle.css().sudo().raw
            except psycopg2.errors.ReadOnlySqlTransaction:
                return None  # a replica's cursor cannot store a new bundle: the server builds it
            return "text/css; charset=utf-8", content
        static_path = root.get_static_file(path)
        if static_path:
            with open(static_path, "rb") as handle:
                return mimetypes.guess_type(static_path)[0] or "application/octet-stream", handle.read()
        return None

    @api.model
    def _o2c_print_with_chromium(self, bodies, header, footer, paperformat, landscape, specific_paperformat_args):
        """Print the report's bodies (one per record) with headless Chromium, then lay Odoo's header and
        footer of each record, with its page numbers, on each of its pages. Returns the PDF bytes."""
        (width, height), margins = self._o2c_page_geometry(paperformat, landscape, specific_paperformat_args)
        top, right, bottom, left = margins
        params = self.env["ir.config_parameter"].sudo()  # sudo: as above, the renderer's limits are system parameters
        memory_limit = int(params.get_param("o2c_base.pdf_memory_limit_mb", chromium.DEFAULT_MEMORY_LIMIT_MB))
        timeout = int(params.get_param("o2c_base.pdf_timeout", chromium.DEFAULT_TIMEOUT))
        base_url = self._get_report_url()
        started = time.monotonic()
        cookies, session = self._o2c_session_cookies(base_url)
        resources = {}

        def resolve(url):
            # Each body asks for the same stylesheets: read once per print (same transaction, same content).
            if url not in resources:
                resources[url] = self._o2c_report_resource(url)
            return resources[url]

        try:
            with chromium.ChromiumPrinter(
                base_url, resolve, memory_limit_mb=memory_limit, timeout=timeout, cookies=cookies
            ) as printer:
                body_pdfs = [
                    printer.print_html(sheets.add_body_style(body), (width, height), margins) for body in bodies
                ]
                page_counts = [sheets.page_count(pdf) for pdf in body_pdfs]
                sheets_html = sheets.sheets_document(header, footer, page_counts, height, top, bottom)
                sheets_pdf = None
                if sheets_html:
                    sheets_pdf = printer.print_html(sheets_html, (width, height), (0.0, right, 0.0, left))
                    if sheets.page_count(sheets_pdf) != sum(page_counts):
                        raise chromium.ChromiumError(
                            "layout", "the header and footer did not fit on one sheet per page"
                        )
                peak = printer.peak_memory
        except chromium.ChromiumError as error:
            _logger.warning("Chromium could not print a PDF report: %s", error)
            raise UserError(self._o2c_chromium_error_message(error, memory_limit, timeout)) from error
        finally:
            if session:
                root.session_store.delete(session)
        pdf = sheets.stamp_pages(body_pdfs, sheets_pdf)
        _logger.info(
            "PDF report of %s page(s) printed by headless Chromium in %.2f s (peak memory %.0f MB)",
            sum(page_counts),
            time.monotonic() - started,
            peak / 1024 / 1024,
        )
        return pdf

    @api.model
    def _o2c_chromium_error_message(self, error, memory_limit, timeout):
        """What the user reads when Chromium could not print the PDF."""
        if error.kind == "memory":
            return _(
                "The PDF is too large to print: the PDF renderer (headless Chromium) went over its memory cap "
                "of %(limit)s MB. Print fewer records at once, or raise the system parameter "
                "o2c_base.pdf_memory_limit_mb.",
                limit=memory_limit,
            )
        if error.kind == "timeout":
            return _(
                "The PDF renderer (headless Chromium) did not finish within %(timeout)s seconds. Print fewer "
                "records at once, or raise the system parameter o2c_base.pdf_timeout.",
                timeout=timeout,
            )
        if error.kind == "missing":
            return _("Chromium is not installed on the server: the PDF cannot be printed.")
        return _("The PDF renderer (headless Chromium) could not print the PDF: %(reason)s", reason=error.reason)
