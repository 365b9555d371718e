import ipaddress
import os
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pyfrctc
import pyfrctc.pyfrctc as pyfrctc_api

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..facturx.checks import valid_siren
from ..facturx.validation import CDAR_SCHEMATRON_FILE, check_schematron

FLOW_SUFFIX = "/afnor-flow/v1"
DIRECTORY_SUFFIX = "/afnor-directory/v1"
MANAGER = "o2c_einvoice.group_o2c_einvoice_manager"
# Requests on their way to the platform at once (deposits, downloads): enough to hide its answer time.
PARALLEL_CALLS = 4


class PlatformUnavailable(Exception):
    """The platform could not be reached or answered with an error: the work is kept and retried later."""


def _loopback(url):
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class O2cEinvoicePlatform(models.Model):
    _name = "o2c.einvoice.platform"
    _description = "Approved e-invoicing platform (PA) connection"
    _order = "company_id, id"

    name = fields.Char(required=True, default=lambda self: _("Approved platform"))
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    flow_url = fields.Char(
        string="Flow service URL",
        required=True,
        help="Root of the AFNOR flow service, e.g. https://api.pa.fr/afnor-flow/v1",
    )
    directory_url = fields.Char(
        string="Directory service URL",
        required=True,
        help="Root of the AFNOR directory service, e.g. https://api.pa.fr/afnor-directory/v1",
    )
    token_url = fields.Char(string="Token URL", required=True, help="OAuth2 token endpoint of the platform.")
    client_id = fields.Char(string="Client ID", groups=MANAGER)
    client_secret = fields.Char(copy=False, groups="base.group_system")
    client_secret_input = fields.Char(
        string="Client secret",
        compute="_compute_secret_inputs",
        inverse="_inverse_client_secret_input",
        groups=MANAGER,
        help="Typed once; it is stored and never shown again. Type a new one to replace it.",
    )
    callback_secret = fields.Char(copy=False, groups="base.group_system")
    callback_secret_input = fields.Char(
        string="Callback signing key",
        compute="_compute_secret_inputs",
        inverse="_inverse_callback_secret_input",
        groups=MANAGER,
        help="Key shared with the platform to sign its calls (HMAC-SHA256 of the body in X-O2C-Signature).",
    )
    has_client_secret = fields.Boolean(string="Client secret saved", compute="_compute_has_secrets")
    has_callback_secret = fields.Boolean(string="Callback key saved", compute="_compute_has_secrets")
    access_token = fields.Char(copy=False, groups="base.group_system")
    token_expires_at = fields.Float(copy=False, groups="base.group_system")
    send_at_posting = fields.Boolean(
        string="Send at posting", default=True, help="Posted invoices are deposited on the platform by themselves."
    )
    last_fetch = fields.Char(
        string="Statuses fetched up to", copy=False, readonly=True, help="Last update time read on the platform (UTC)."
    )
    test_result = fields.Text(string="Connection test", readonly=True, copy=False)
    test_ok = fields.Boolean(readonly=True, copy=False)
    callback_url = fields.Char(compute="_compute_callback_url", help="Address the platform calls for new statuses.")

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one connection to an approved platform."),
    ]

    @api.depends_context("uid")
    def _compute_secret_inputs(self):
        for platform in self:
            platform.client_secret_input = False
            platform.callback_secret_input = False

    def _inverse_client_secret_input(self):
        for platform in self.filtered("client_secret_input"):
            platform.sudo().write({"client_secret": platform.client_secret_input, "access_token": False})
        # What was typed must not be read back, not even by the form that saved it.
        self.invalidate_recordset(["client_secret_input", "has_client_secret"])

    def _inverse_callback_secret_input(self):
        for platform in self.filtered("callback_secret_input"):
            platform.sudo().callback_secret = platform.callback_secret_input
        self.invalidate_recordset(["callback_secret_input", "has_callback_secret"])

    def _compute_has_secrets(self):
        for platform, stored in zip(self, self.sudo(), strict=True):
            platform.has_client_secret = bool(stored.client_secret)
            platform.has_callback_secret = bool(stored.callback_secret)

    def _compute_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for platform in self:
            platform.callback_url = f"{base}/o2c_einvoice/platform/{platform.id}/callback" if platform.id else False

    @api.constrains("flow_url", "directory_url", "token_url")
    def _check_urls(self):
        for platform in self:
            for label, url in ((_("Flow service URL"), platform.flow_url), (_("Directory service URL"),
                               platform.directory_url), (_("Token URL"), platform.token_url)):  # fmt: skip
                if not url:
                    continue
                if not url.startswith("https://") and not (url.startswith("http://") and _loopback(url)):
                    raise ValidationError(
                        _("%(field)s of %(platform)s must start with https:// (plain http only for a platform "
                          "on this machine).", field=label, platform=platform.name)
                    )  # fmt: skip
            flow, directory = (platform.flow_url or "").rstrip("/"), (platform.directory_url or "").rstrip("/")
            if (
                flow
                and directory
                and (
                    not flow.endswith(FLOW_SUFFIX)
                    or not directory.endswith(DIRECTORY_SUFFIX)
                    or flow[: -len(FLOW_SUFFIX)] != directory[: -len(DIRECTORY_SUFFIX)]
                )
            ):
                raise ValidationError(
                    _("The flow and directory URLs of %(platform)s must be <address>%(flow)s and "
                      "<address>%(directory)s on the same address (the AFNOR layout pyfrctc uses).",
                      platform=platform.name, flow=FLOW_SUFFIX, directory=DIRECTORY_SUFFIX)
                )  # fmt: skip

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Without a key from the platform, one is drawn here for the manager to hand over.
            vals.setdefault("callback_secret", secrets.token_urlsafe(32))
        return super().create(vals_list)

    @api.model
    def _o2c_for_company(self, company):
        """The active platform connection of `company` (empty when it has none)."""
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    # ------------------------------------------------------------------
    # Session (pyfrctc, OAuth2 client credentials)
    # ------------------------------------------------------------------

    def _o2c_register(self):
        """Make this platform known to pyfrctc, which finds the API's address from the session's token URL."""
        self.ensure_one()
        base = self.flow_url.rstrip("/")[: -len(FLOW_SUFFIX)]
        pyfrctc_api.PLATFORMS[self.token_url] = {
            "afnor_base_url": base,
            "token_url": self.token_url,
            "authorize_url": self.token_url,
            "label": self.name,
        }
        if _loopback(self.token_url) and _loopback(base):
            # oauthlib refuses plain http; the URL check above allows it only for a platform on this machine.
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
        return self.token_url

    def _o2c_session(self):
        """An authenticated pyfrctc session; the token is kept on the connection until it expires. One session
        per transaction and token, so that its HTTP connection is reused."""
        self.ensure_one()
        platform = self.sudo()
        sessions = self.env.cr.cache.setdefault("o2c_pa_sessions", {})
        key = (platform.id, platform.access_token)
        if platform.access_token and platform.token_expires_at > time.time() + 60 and key in sessions:
            return sessions[key]
        session = platform._o2c_new_session()
        sessions[(platform.id, platform.access_token)] = session
        return session

    def _o2c_new_session(self):
        platform = self
        if not platform.client_id or not platform.client_secret:
            raise UserError(_("Set the client ID and secret of %(platform)s first.", platform=self.name))
        key = platform._o2c_register()

        def get_token(_method):
            return {"access_token": platform.access_token, "expires_at": platform.token_expires_at}

        def update_token(token):
            platform.write(
                {"access_token": token["access_token"], "token_expires_at": token.get("expires_at") or time.time()}
            )

        try:
            return pyfrctc.get_session(
                key, "client_credentials", platform.company_id.name, get_token, update_token,
                platform.client_id, platform.client_secret,
            )  # fmt: skip
        except Exception as error:
            raise PlatformUnavailable(_("No token from %(url)s: %(error)s", url=self.token_url, error=error)) from error

    def _o2c_call(self, function, *args, **kwargs):
        """Call a pyfrctc API function with a session; a token the platform no longer accepts (HTTP 401) is
        renewed once. Connection failures and errors of the platform raise PlatformUnavailable."""
        self.ensure_one()
        for attempt in (1, 2):
            session = self._o2c_session()
            try:
                return function(session, *args, **kwargs)
            except (ConnectionError, RuntimeError) as error:
                if attempt == 1 and re.search(r"\b401\b", str(error)):
                    self.sudo().write({"access_token": False, "token_expires_at": 0.0})
                    continue
                raise PlatformUnavailable(str(error)) from error
        return None  # not reached: the second attempt returns or raises

    def _o2c_call_many(self, function, calls):
        """Call a pyfrctc API function once per argument tuple of `calls`, a few at a time over one session (its
        kept-alive connections): the platform's answers come back while the next requests travel. Returns the
        results in the order of `calls`, a PlatformUnavailable in place of each call that failed. A call refused
        for its token (HTTP 401) is made again once with a renewed one; no other failure is retried here (a
        deposit may have landed before its answer was lost)."""
        self.ensure_one()
        session = self._o2c_session()

        def call(args):
            try:
                return function(session, *args)
            except (ConnectionError, RuntimeError) as error:
                return error

        if len(calls) > 1:
            with ThreadPoolExecutor(max_workers=PARALLEL_CALLS) as pool:
                results = list(pool.map(call, calls))
        else:
            results = [call(args) for args in calls]
        for index, result in enumerate(results):
            if not isinstance(result, Exception):
                continue
            if not re.search(r"\b401\b", str(result)):
                results[index] = PlatformUnavailable(str(result))
                continue
            try:
                results[index] = self._o2c_call(function, *calls[index])
            except PlatformUnavailable as error:
                results[index] = error
        return results

    def action_test_connection(self):
        """Button: ask the token, then the healthcheck of the flow and directory services; shows the result."""
        self.ensure_one()
        try:
            for service in ("flow", "directory"):
                self._o2c_call(pyfrctc.healthcheck, raise_if_error=True, type=service)
        except (PlatformUnavailable, UserError) as error:
            message, ok = _("Connection failed: %(error)s", error=error), False
        else:
            message, ok = _("Connection OK: token received, flow and directory services answer."), True
        self.write({"test_result": message, "test_ok": ok})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": message,
                "type": "success" if ok else "danger",
                "sticky": not ok,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Directory
    # ------------------------------------------------------------------

    def _o2c_lookup(self, partners):
        """Look the routing of `partners` (commercial partners) up in the directory and keep it on them with
        its date. Returns the partners found."""
        self.ensure_one()
        found = self.env["res.partner"]
        now = fields.Datetime.now()
        for partner in partners:
            siren = partner._o2c_einvoice_siren()
            if not valid_siren(siren):
                partner.write({"o2c_pa_directory_state": "not_found", "o2c_pa_directory_date": now,
                               "o2c_pa_routing_address": False})  # fmt: skip
                continue
            company_info = self._o2c_call(pyfrctc.get_directory_siren_parsed, siren)
            lines = self._o2c_call(pyfrctc.get_directory_lines_parsed, siren) if company_info.get("name") else {}
            active = {key: line for key, line in lines.items() if line["state"] == "active"}
            siret = re.sub(r"\D", "", partner.company_registry or "")
            chosen = next((key for key, line in active.items() if siret and line.get("siret") == siret), None)
            chosen = chosen or next((key for key, line in active.items() if line["type"] == "siren"), None)
            chosen = chosen or next(iter(active), None)
            values = {
                "o2c_pa_directory_date": now,
                "o2c_pa_public_buyer": company_info.get("entity_type") == "public",
                "o2c_pa_directory_state": "found" if chosen else "not_found",
                "o2c_pa_routing_address": chosen or False,
                "o2c_pa_routing_code": chosen and active[chosen].get("routing_code") or False,
            }
            partner.write(values)
            if chosen:
                found |= partner
        return found

    @api.model
    def _cron_refresh_directory(self, max_age_days=30, limit=200):
        """Cron: refresh the routing of the customers looked up more than `max_age_days` ago."""
        limit_date = fields.Datetime.now() - timedelta(days=max_age_days)
        for platform in self.sudo().search([("active", "=", True)]):
            partners = self.env["res.partner"].search(
                [("o2c_pa_directory_date", "<", limit_date), ("company_id", "in", (False, platform.company_id.id))],
                limit=limit,
            )
            try:
                platform._o2c_lookup(partners)
            except PlatformUnavailable:
                continue

    # ------------------------------------------------------------------
    # Flow search (statuses in)
    # ------------------------------------------------------------------

    def _o2c_search_flows(self, direction, flow_type, updated_after):
        """Flows of the platform updated after `updated_after` (ISO UTC string), parsed by pyfrctc."""
        return self._o2c_call(pyfrctc.search_flows_parsed, updated_after, direction, flow_type)

    def _o2c_download(self, flow_id):
        """The original file of a flow."""
        return self._o2c_call(pyfrctc.get_flow, flow_id, doc_type="Original")

    def _o2c_download_many(self, flow_ids):
        """The original files of the flows `flow_ids`, in order (a PlatformUnavailable for each that failed)."""
        return self._o2c_call_many(pyfrctc.get_flow, [(flow_id, "Original") for flow_id in flow_ids])

    @api.model
    def _o2c_iso(self, moment):
        """`moment` (naive UTC datetime) as the UTC timestamp the AFNOR search expects."""
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    def _o2c_fetch_statuses(self):
        """Fetch the lifecycle flows received since the last fetch and write their statuses; returns how many
        statuses were written."""
        self.ensure_one()
        since = self.last_fetch or self._o2c_iso(datetime(2026, 1, 1))
        flows = self._o2c_search_flows(["In", "Out"], ["CustomerInvoice", "CustomerInvoiceLC"], since)
        written = self.env["account.move"]._o2c_pa_receive_flows(self, flows)
        stamps = [flow["updatedAt"] for flow in flows if flow.get("updatedAt")]
        if stamps:
            self.last_fetch = max(stamps)
        return written

    @api.model
    def _cron_fetch_statuses(self):
        """Cron: fetch the new statuses of every platform; one commit per platform."""
        for platform in self.sudo().search([("active", "=", True)]):
            try:
                platform._o2c_fetch_statuses()
            except PlatformUnavailable:
                continue
            if self.env["account.move.send"]._can_commit():
                self.env.cr.commit()

    # ------------------------------------------------------------------
    # Statuses out (CDAR)
    # ------------------------------------------------------------------

    @api.model
    def _o2c_queue_statuses(self, statuses):
        """Queue the seller's `statuses` for the platform of their invoice's company, if it has one."""
        companies = statuses.company_id.filtered(lambda company: self._o2c_for_company(company))
        queued = statuses.filtered(lambda status: status.company_id in companies)
        if queued:
            queued.sudo().pa_state = "to_send"
            self.env.ref("o2c_einvoice.ir_cron_o2c_einvoice_platform_statuses")._trigger()
        return queued

    def _o2c_send_statuses(self, statuses):
        """Send `statuses` (of this platform's company) as CDAR, each validated first against the CDAR XSD and
        the BR-FR-CDV schematron pyfrctc ships; an invalid one is kept with its errors, never sent."""
        self.ensure_one()
        for status in statuses:
            try:
                xml = status._o2c_cdar_xml()
            except Exception as error:  # pyfrctc raises a bare Exception for an XSD failure
                status.write({"pa_state": "error", "pa_message": str(error)})
                continue
            violations = [v for v in check_schematron(xml, CDAR_SCHEMATRON_FILE, "cdar") if v.blocking]
            if violations:
                message = "\n".join(f"[{v.rule_id}] {v.message}" for v in violations)
                status.write({"pa_state": "error", "pa_message": message})
                continue
            name = f"{status._o2c_outgoing_status().message_id}.xml"
            try:
                flow = self._o2c_call(pyfrctc.send_flow_parsed, xml, name, "CDAR", "B2B")
            except PlatformUnavailable as error:
                status.pa_message = str(error)
                continue
            status.write({"pa_state": "sent", "pa_flow_id": flow.get("flowId"), "pa_message": False})

    @api.model
    def _cron_send_statuses(self, limit=500):
        """Cron: send the queued statuses, per company; a status the platform did not take stays queued."""
        statuses = self.env["o2c.einvoice.status"].sudo().search([("pa_state", "=", "to_send")], limit=limit)
        for company, company_statuses in statuses.grouped("company_id").items():
            platform = self._o2c_for_company(company)
            if platform:
                platform._o2c_send_statuses(company_statuses)
                if self.env["account.move.send"]._can_commit():
                    self.env.cr.commit()
