"""Statuses with the approved platform: the seller's statuses sent as validated CDAR naming the right sender,
and the platform's signed callback (refused when the signature or the flow is wrong)."""

from lxml import etree

from odoo.addons.o2c_einvoice.facturx.platform import CDAR_NS, read_status_cdar
from odoo.addons.o2c_einvoice.facturx.validation import CDAR_SCHEMATRON_FILE, check_schematron
from odoo.tests import tagged

from .platform_common import PlatformCase, PlatformHttpCase


def sender_role(xml):
    return etree.fromstring(xml).findtext("rsm:ExchangedDocument/ram:SenderTradeParty/ram:RoleCode", "", CDAR_NS)


@tagged("post_install", "-at_install")
class TestStatusesOut(PlatformCase):
    def test_sellers_taking_charge_is_sent_as_valid_cdar_with_the_seller_as_sender(self):
        move = self.issued_invoice()
        status = move._o2c_einvoice_add_status("204", note="Litige pris en charge par le service client")
        self.assertEqual((status.sender_role, status.pa_state), ("SE", "to_send"))
        self.env["o2c.einvoice.platform"]._cron_send_statuses()
        self.assertEqual(status.pa_state, "sent")
        flow = next(flow for flow in self.pa.flows if flow["flowId"] == status.pa_flow_id)
        self.assertEqual(flow["flowSyntax"], "CDAR")
        self.assertEqual(sender_role(flow["content"]), "SE")
        self.assertEqual([v.rule_id for v in check_schematron(flow["content"], CDAR_SCHEMATRON_FILE, "cdar")
                          if v.blocking], [])  # fmt: skip
        message = read_status_cdar(flow["content"])
        self.assertEqual((message.invoice_number, message.status_code), (move.name, "204"))

    def test_cashed_212_is_sent_with_the_amount_per_vat_rate(self):
        move = self.issued_invoice()
        status = move._o2c_einvoice_add_status("212", amount=360.0, vat_rate=20.0, paid_by_rate={"20.0": 360.0},
                                               source="auto")  # fmt: skip
        self.env["o2c.einvoice.platform"]._cron_send_statuses()
        self.assertEqual(status.pa_state, "sent", status.pa_message)
        content = next(flow["content"] for flow in self.pa.flows if flow["flowId"] == status.pa_flow_id)
        root = etree.fromstring(content)
        self.assertEqual(root.findtext(".//ram:SpecifiedDocumentCharacteristic/ram:ValueAmount", "", CDAR_NS), "360.00")
        self.assertEqual(root.findtext(".//ram:SpecifiedDocumentCharacteristic/ram:ValuePercent", "", CDAR_NS), "20.00")

    def test_buyers_status_recorded_by_hand_is_exported_with_the_buyer_as_sender_and_not_sent(self):
        move = self.issued_invoice()
        status = move._o2c_einvoice_add_status("205")
        self.assertEqual(status.sender_role, "BY")
        self.assertFalse(status.pa_state)
        xml = status._o2c_cdar_xml()
        self.assertEqual(sender_role(xml), "BY")
        self.assertEqual([v.rule_id for v in check_schematron(xml, CDAR_SCHEMATRON_FILE, "cdar") if v.blocking], [])

    def test_status_list_covers_the_codes_of_the_french_rules(self):
        codes = dict(self.env["o2c.einvoice.status"]._fields["code"].selection)
        for code in ("200", "201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
                     "214", "220", "221", "501"):  # fmt: skip
            self.assertIn(code, codes)


@tagged("post_install", "-at_install")
class TestPlatformCallback(PlatformHttpCase):
    def call(self, body, headers):
        return self.url_open(f"/o2c_einvoice/platform/{self.platform.id}/callback", data=body, headers=headers)

    def setUp(self):
        super().setUp()
        self.move = self.issued_invoice()
        self.flow = self.pa.add_status(self.move.name, "732829320", "552100554", "205")
        self.secret = self.platform.sudo().callback_secret

    def test_signed_callback_writes_the_status_once(self):
        body, headers = self.pa.signed(self.secret, {"flowIds": [self.flow["flowId"]]})
        response = self.call(body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"written": 1})
        response = self.call(body, headers)
        self.assertEqual(response.json(), {"written": 0})
        self.assertEqual(self.move.o2c_einvoice_status_ids.mapped("code"), ["205"])
        self.assertEqual(self.move.o2c_einvoice_status_ids.sender_role, "BY")

    def test_wrong_signature_is_refused_and_writes_nothing(self):
        body, headers = self.pa.signed("not-the-key", {"flowIds": [self.flow["flowId"]]})
        self.assertEqual(self.call(body, headers).status_code, 403)
        body, headers = self.pa.signed(self.secret, {"flowIds": [self.flow["flowId"]]})
        self.assertEqual(self.call(body + b" ", headers).status_code, 403)
        self.assertFalse(self.move.o2c_einvoice_status_ids)

    def test_unknown_flow_is_refused_and_writes_nothing(self):
        body, headers = self.pa.signed(self.secret, {"flowIds": ["FLOW-unknown"]})
        self.assertEqual(self.call(body, headers).status_code, 404)
        other = self.pa.add_status("F-NOT-OURS-1", "732829320", "552100554", "210", reason_code="DOUBLON")
        body, headers = self.pa.signed(self.secret, {"flowIds": [self.flow["flowId"], other["flowId"]]})
        self.assertEqual(self.call(body, headers).status_code, 404)
        self.assertFalse(self.move.o2c_einvoice_status_ids)

    def test_standard_webhook_content_is_read_back_from_the_platform(self):
        # The AFNOR Flow Service's callback content: {"flowInfo": Flow}. What it says of the flow is not
        # trusted: the flow is read back from the platform.
        pushed = self.pa._public(self.flow) | {"flowType": "CustomerInvoice", "flowDirection": "Out"}
        body, headers = self.pa.signed(self.secret, {"flowInfo": pushed})
        response = self.call(body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"written": 1})
        self.assertEqual(self.move.o2c_einvoice_status_ids.mapped("code"), ["205"])
        body, headers = self.pa.signed(self.secret, {"flowInfo": {"flowSyntax": "CDAR"}})
        self.assertEqual(self.call(body, headers).status_code, 400)

    def test_callback_brings_the_acknowledgement_of_an_e_report(self):
        self.platform.ereporting_number = "0042"
        consumer = self.env["res.partner"].create({"name": "Jean Dupont", "country_id": self.env.ref("base.fr").id})
        self.make_invoice(partner=consumer, post=True)
        report = self.env["o2c.einvoice.ereport"].create(
            {"kind": "transactions", "date_start": "2026-09-11", "date_end": "2026-09-20"}
        )
        report.action_prepare()
        report.action_send()
        self.assertEqual(report.state, "sent")
        [flow] = [flow for flow in self.pa.flows if flow["flowId"] == report.flow_id]
        pushed = self.pa._public(flow) | {"acknowledgement": {"status": "Error"}}
        body, headers = self.pa.signed(self.secret, {"flowInfo": pushed})
        response = self.call(body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        report.invalidate_recordset()
        self.assertEqual((report.state, report.ack_status), ("done", "Ok"), "the platform's word, not the call's")
        unknown = self.pa.add_flow("other.xml", b"<Report/>", "FRR", "Out", "AggregatedCustomerTransactionReport")
        body, headers = self.pa.signed(self.secret, {"flowInfo": self.pa._public(unknown)})
        self.assertEqual(self.call(body, headers).status_code, 404)
