import json
import logging

import pyfrctc

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..facturx.platform import callback_verified
from ..models.o2c_einvoice_platform import PlatformUnavailable

_logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-O2C-Signature"


class _UnknownFlows(Exception):
    """The call names flows that are not about invoices of the company: nothing of it is kept."""


class PlatformCallback(http.Controller):
    @http.route(
        "/o2c_einvoice/platform/<int:platform_id>/callback", type="http", auth="public", methods=["POST"], csrf=False
    )
    def platform_callback(self, platform_id, **_kwargs):
        """The platform tells us of a flow with the AFNOR Flow Service's webhook content, {"flowInfo": {Flow}}
        (XP Z12-013 annex A, 1.1.0), or of several with {"flowIds": [...]}; signed with the shared key
        (HMAC-SHA256 of the body in X-O2C-Signature: the standard names no verification). Only the flow ids are
        taken from the call: each flow is read back from the platform before its statuses (or an e-reporting
        acknowledgement) are written; a call that is not signed right, or names a flow that is not ours, writes
        nothing."""
        body = request.httprequest.get_data()
        platform = request.env["o2c.einvoice.platform"].sudo().browse(platform_id).exists()
        if not platform or not callback_verified(
            platform.callback_secret, body, request.httprequest.headers.get(SIGNATURE_HEADER)
        ):
            return request.make_json_response({"error": "invalid signature"}, status=403)
        try:
            payload = json.loads(body)
            flow_ids = payload.get("flowIds") or [(payload.get("flowInfo") or payload)["flowId"]]
            assert flow_ids and all(isinstance(flow_id, str) for flow_id in flow_ids)
        except (ValueError, KeyError, TypeError, AssertionError, AttributeError):
            return request.make_json_response({"error": "expected {'flowInfo': {'flowId': ...}}"}, status=400)
        platform = platform.with_user(SUPERUSER_ID).with_company(platform.company_id)
        try:
            flows = [platform._o2c_call(pyfrctc.get_flow_metadata_parsed, flow_id) for flow_id in flow_ids]
        except PlatformUnavailable as error:
            _logger.info("Callback of platform %s for unknown flows %s: %s", platform.id, flow_ids, error)
            return request.make_json_response({"error": "unknown flow"}, status=404)
        try:
            with request.env.cr.savepoint():
                written, unknown = platform.env["account.move"]._o2c_pa_receive_flows(platform, flows)
                reports = platform.env["o2c.einvoice.ereport"]._o2c_receive_flows(platform, flows)
                unknown += [flow["flowId"] for flow in flows if flow.get("flowSyntax") == "FRR"
                            and flow["flowId"] not in reports.mapped("flow_id")]  # fmt: skip
                if unknown:
                    raise _UnknownFlows(unknown)
        except _UnknownFlows as error:
            platform.env.invalidate_all()
            return request.make_json_response({"error": "unknown flow", "flowIds": error.args[0]}, status=404)
        return request.make_json_response({"written": len(written)})
