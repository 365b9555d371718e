"""A local approved platform for the tests: the AFNOR XP Z12-013 API (OAuth2 client-credentials token,
directory, flow deposit, flow search, flow download, healthchecks) as pyfrctc's client calls it, served on
127.0.0.1 by werkzeug in a thread. The tests drive its faults: down, tokens revoked, a deposit whose answer is
lost, rejections, and they add the buyer's statuses as CDAR flows."""

import base64
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from odoo.addons.o2c_einvoice.facturx.platform import OutgoingStatus, Party, build_status_cdar, callback_signature

CLIENT_ID, CLIENT_SECRET = "o2c-test-client", "s3cret-of-the-test-platform"


class LocalPlatform:
    """State of the local platform and its HTTP server; `url` is its root (http://127.0.0.1:<port>)."""

    def __init__(self):
        self.reset()
        self._clock = datetime(2026, 9, 1, tzinfo=UTC)
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self):
        """Back to a platform that works, knows no flow and no company, and has handed out no token."""
        self.tokens = {}
        self.token_requests = 0
        self.directory = {}  # siren -> {"name", "entity_type", "lines": [{...}]}
        self.flows = []
        self._flows_by_id = {}  # the flows by id, so that a download is found at once among thousands
        self.down = False
        self.lose_next_answers = 0
        self.reject = {}  # part of a flow name -> [(reasonCode, message)]
        self.deposits = []

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    # -- what the tests set up ------------------------------------------------

    def connection_values(self):
        """Values of an o2c.einvoice.platform connected to this platform."""
        return {
            "name": "PA locale de test",
            "flow_url": f"{self.url}/afnor-flow/v1",
            "directory_url": f"{self.url}/afnor-directory/v1",
            "token_url": f"{self.url}/oauth2/token",
            "client_id": CLIENT_ID,
            "client_secret_input": CLIENT_SECRET,
        }

    def register(self, siren, name, public=False, address=None):
        """Put a company in the directory, with one active line: its SIREN, or `address` (SIREN_suffix)."""
        line = {"addressingIdentifier": address or siren, "siren": siren, "directoryLineStatus": "Enabled"}
        if address and address.startswith(f"{siren}_"):
            line["addressingSuffix"] = address[len(siren) + 1 :]
        self.directory[siren] = {
            "name": name,
            "entity_type": "Public" if public else "PrivateVatRegistered",
            "lines": [line],
        }

    def revoke_tokens(self):
        """Forget every token handed out (as a platform does when they expire early)."""
        self.tokens.clear()

    def _tick(self):
        self._clock = max(datetime.now(UTC), self._clock + timedelta(milliseconds=1))
        return self._clock.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def add_flow(self, name, content, syntax, direction, flow_type, ack="Ok", details=()):
        """Record a flow on the platform; returns it."""
        with self._lock:
            flow = {
                "flowId": f"FLOW-{uuid.uuid4().hex[:12]}",
                "name": name,
                "flowSyntax": syntax,
                "flowDirection": direction,
                "flowType": flow_type,
                "submittedAt": self._tick(),
                "acknowledgement": {
                    "status": ack,
                    "details": [
                        {"item": name, "level": "Error", "reasonCode": code, "reasonMessage": message}
                        for code, message in details
                    ],
                },
                "content": content,
            }
            flow["updatedAt"] = flow["submittedAt"]
            self.flows.append(flow)
            self._flows_by_id[flow["flowId"]] = flow
            return flow

    def add_status(self, invoice_number, seller_siren, buyer_siren, code, reason_code="", reason="", role="BY",
                   invoice_date=None):  # fmt: skip
        """The buyer (or a platform, `role` WK) sends status `code` about an invoice: a CDAR flow In."""
        sender = Party(buyer_siren, "Acheteur", role, buyer_siren)
        seller = Party(seller_siren, "Vendeur", "SE", seller_siren)
        status = OutgoingStatus(
            message_id=f"CDV-{uuid.uuid4().hex[:10]}",
            issued_at=datetime.now().replace(microsecond=0),
            status_code=code,
            status_name=code,
            invoice_number=invoice_number,
            invoice_date=invoice_date or datetime(2026, 9, 15).date(),
            invoice_type_code="380",
            sender=sender,
            recipient=seller,
            reason_code=reason_code,
            reason=reason,
        )
        xml = build_status_cdar(status)
        return self.add_flow(f"{status.message_id}.xml", xml, "CDAR", "In", "CustomerInvoiceLC")

    def signed(self, secret, payload):
        """Body and headers of a callback the platform would send."""
        body = json.dumps(payload).encode()
        return body, {"Content-Type": "application/json", "X-O2C-Signature": callback_signature(secret, body)}

    # -- the API ---------------------------------------------------------------

    def _json(self, data, status=200):
        return Response(json.dumps(data), status=status, mimetype="application/json")

    def _error(self, status, code, message):
        return self._json({"errorCode": code, "errorMessage": message}, status)

    def _authorized(self, request):
        header = request.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.tokens

    @Request.application
    def _app(self, request):
        path = request.path
        if self.down:
            return self._error(503, "UNAVAILABLE", "platform under maintenance")
        if path == "/oauth2/token":
            return self._token(request)
        if not self._authorized(request):
            return self._error(401, "UNAUTHORIZED", "invalid or expired token")
        if path.endswith("/healthcheck"):
            return Response("", status=200)
        if path.startswith("/afnor-directory/v1/"):
            return self._directory(request, path[len("/afnor-directory/v1/") :])
        if path == "/afnor-flow/v1/flows" and request.method == "POST":
            return self._deposit(request)
        if path == "/afnor-flow/v1/flows/search":
            return self._search(request)
        if path.startswith("/afnor-flow/v1/flows/"):
            return self._get_flow(request, path.rsplit("/", 1)[1])
        return self._error(404, "NOT_FOUND", path)

    def _token(self, request):
        client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
        if request.authorization:
            client_id, secret = request.authorization.username, request.authorization.password
        if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET) or request.form.get("grant_type") != "client_credentials":
            return self._json({"error": "invalid_client"}, 401)
        self.token_requests += 1
        token = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        self.tokens[token] = True
        return self._json({"access_token": token, "token_type": "Bearer", "expires_in": 3600})

    def _directory(self, request, rest):
        if rest.startswith("siren/code-insee:"):
            siren = rest.split(":", 1)[1]
            entry = self.directory.get(siren)
            if not entry:
                return self._error(404, "NOT_FOUND", f"SIREN {siren} unknown")
            return self._json({"siren": siren, "businessName": entry["name"], "entityType": entry["entity_type"],
                               "administrativeStatus": "A"})  # fmt: skip
        if rest == "directory-line/search":
            siren = request.get_json()["filters"]["siren"]["value"]
            lines = self.directory.get(siren, {}).get("lines", [])
            if not lines:
                return Response("", status=204)
            return self._json({"results": lines, "totalNumberOfResults": len(lines)})
        return self._error(404, "NOT_FOUND", rest)

    def _deposit(self, request):
        info = json.loads(request.form["flowInfo"])
        upload = request.files["file"]
        content = upload.read()
        name = info["name"]
        details = next((reasons for part, reasons in self.reject.items() if part in name), ())
        flow = self.add_flow(
            name,
            content,
            info["flowSyntax"],
            "Out",
            self._flow_type(info["flowSyntax"], content),
            ack="Error" if details else "Ok",
            details=details,
        )
        self.deposits.append(name)
        if self.lose_next_answers:
            # Deposited, but the answer never reaches the client (a timeout on its side).
            self.lose_next_answers -= 1
            return self._error(504, "GATEWAY_TIMEOUT", "upstream timeout")
        return self._json(self._public(flow) | {"acknowledgement": {"status": "Pending"}}, 202)

    @staticmethod
    def _flow_type(syntax, content):
        """The flow type the platform gives a deposit: an e-reporting file (FRR) is typed after its report
        (FRR 10.1 to 10.4, as the standard's FlowType lists them)."""
        if syntax == "CDAR":
            return "CustomerInvoiceLC"
        if syntax != "FRR":
            return "CustomerInvoice"
        individual = b"<Invoice>" in content
        if b"<PaymentsReport>" in content:
            return "UnitaryCustomerPaymentReport" if individual else "AggregatedCustomerPaymentReport"
        aggregated = b"<Transactions>" in content
        if individual and aggregated:
            return "MultiFlowReport"
        return "UnitaryCustomerTransactionReport" if individual else "AggregatedCustomerTransactionReport"

    def _public(self, flow):
        return {key: value for key, value in flow.items() if key != "content"}

    def _search(self, request):
        where = request.get_json()["where"]
        limit = request.get_json().get("limit", 100)
        after = where["updatedAfter"]
        found = [
            flow
            for flow in sorted(self.flows, key=lambda flow: flow["updatedAt"])
            if flow["updatedAt"] > after
            and (not where.get("flowDirection") or flow["flowDirection"] in where["flowDirection"])
            and (not where.get("flowType") or flow["flowType"] in where["flowType"])
        ]
        return self._json({"results": [self._public(flow) for flow in found[:limit]]})

    def _get_flow(self, request, flow_id):
        flow = self._flows_by_id.get(flow_id)
        if not flow:
            return self._error(404, "NOT_FOUND", f"flow {flow_id} unknown")
        if request.args.get("docType") == "Original":
            return Response(flow["content"], mimetype="application/octet-stream")
        return self._json(self._public(flow))
