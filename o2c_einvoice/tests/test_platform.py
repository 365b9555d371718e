"""Approved platform (PA): connection, directory, idempotent sending and its faults, against the local AFNOR
API of afnor_server.py."""

import facturx

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .platform_common import PlatformCase


@tagged("post_install", "-at_install")
class TestPlatformConnection(PlatformCase):
    def test_connection_test_says_ok_then_names_the_failure(self):
        self.platform.action_test_connection()
        self.assertTrue(self.platform.test_ok)
        self.assertIn("Connection OK", self.platform.test_result)
        self.pa.down = True
        self.addCleanup(setattr, self.pa, "down", False)
        self.platform.action_test_connection()
        self.assertFalse(self.platform.test_ok)
        self.assertIn("503", self.platform.test_result)

    def test_wrong_secret_fails_the_test_with_the_token_error(self):
        self.platform.client_secret_input = "not-the-secret"
        self.platform.action_test_connection()
        self.assertFalse(self.platform.test_ok)
        self.assertIn("No token", self.platform.test_result)

    def test_expired_token_is_renewed_once(self):
        self.platform.action_test_connection()
        before = self.pa.token_requests
        self.platform.action_test_connection()
        self.assertEqual(self.pa.token_requests, before, "a valid token is reused")
        self.pa.revoke_tokens()
        self.platform.action_test_connection()
        self.assertTrue(self.platform.test_ok)
        self.assertEqual(self.pa.token_requests, before + 1)

    def test_secret_is_never_shown_back_and_only_managers_reach_it(self):
        self.assertFalse(self.platform.client_secret_input)
        self.assertTrue(self.platform.has_client_secret)
        manager = new_test_user(self.env, "pa_manager", groups="o2c_einvoice.group_o2c_einvoice_manager")
        as_manager = self.platform.with_user(manager)
        self.assertFalse(as_manager.client_secret_input)
        with self.assertRaises(AccessError):
            as_manager.read(["client_secret"])
        as_manager.client_secret_input = "rotated-secret"
        self.assertEqual(self.platform.sudo().client_secret, "rotated-secret")
        self.assertFalse(as_manager.client_secret_input)
        self.assertFalse(as_manager.read(["client_secret_input"])[0]["client_secret_input"])
        billing = new_test_user(self.env, "pa_billing", groups="account.group_account_invoice")
        with self.assertRaises(AccessError):
            self.platform.with_user(billing).read(["client_id"])
        with self.assertRaises(AccessError):
            self.platform.with_user(billing).write({"name": "Autre"})

    def test_urls_must_be_https_and_follow_the_afnor_layout(self):
        def values(name):
            return self.pa.connection_values() | {"company_id": self.env["res.company"].create({"name": name}).id}

        with self.assertRaisesRegex(ValidationError, "https://"):
            self.platform.create(values("B") | {"token_url": "http://pa.example.com/oauth2/token"})
        with self.assertRaisesRegex(ValidationError, "/afnor-flow/v1"):
            self.platform.create(values("C") | {"flow_url": "https://pa.example.com/flows"})
        self.platform.create(values("D") | {"flow_url": "https://pa.example.com/afnor-flow/v1", "token_url":
                                       "https://pa.example.com/token", "directory_url":
                                       "https://pa.example.com/afnor-directory/v1"})  # fmt: skip


@tagged("post_install", "-at_install")
class TestPlatformDirectory(PlatformCase):
    def test_lookup_keeps_the_routing_and_its_date_on_the_customer(self):
        self.pa.register("552100554", "Boulangerie Martin SARL", address="552100554_FACT")
        self.platform._o2c_lookup(self.customer)
        self.assertEqual(self.customer.o2c_pa_directory_state, "found")
        self.assertEqual(self.customer.o2c_pa_routing_address, "552100554_FACT")
        self.assertTrue(self.customer.o2c_pa_directory_date)
        self.assertFalse(self.customer.o2c_pa_public_buyer)

    def test_buyer_not_in_the_directory_waits_to_send_with_a_clear_message(self):
        stranger = self.customer.copy({"name": "Inconnu SARL", "company_registry": "356000000",
                                       "vat": "FR39356000000", "o2c_einvoice_address": "356000000"})  # fmt: skip
        move = self.issued_invoice(partner=stranger)
        self.assertEqual(move.o2c_pa_state, "to_send")
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "to_send")
        self.assertEqual(stranger.o2c_pa_directory_state, "not_found")
        self.assertIn("is not in the e-invoicing directory", move.o2c_pa_message)
        self.assertFalse(self.pa.deposits)
        self.pa.register("356000000", "Inconnu SARL")
        stranger.o2c_pa_directory_state = False
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "sent")

    def test_public_buyer_needs_service_code_and_commitment_before_sending(self):
        self.pa.register("552100554", "Boulangerie Martin SARL", public=True)
        move = self.issued_invoice()
        self.send_queued()
        self.assertTrue(self.customer.o2c_pa_public_buyer)
        self.assertEqual(move.o2c_pa_state, "to_send")
        self.assertIn("public buyer", move.o2c_pa_message)
        self.assertFalse(move.invoice_pdf_report_id, "no Factur-X issued without its BT-10 and BT-13")
        self.customer.ref = "SERV-01"
        move.o2c_einvoice_order_ref = "ENG-2026-42"
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "sent")
        _name, xml = facturx.get_facturx_xml_from_pdf(self.pa.flows[-1]["content"], check_xsd=False)
        self.assertIn(b"SERV-01", xml)
        self.assertIn(b"ENG-2026-42", xml)


@tagged("post_install", "-at_install")
class TestPlatformSending(PlatformCase):
    def test_deposit_keeps_flow_id_then_200_and_the_buyers_205_arrive(self):
        move = self.issued_invoice()
        self.send_queued()
        self.assertEqual((move.o2c_pa_state, move.o2c_pa_flow_state), ("sent", "sent"), move.o2c_pa_message)
        deposited = self.pa.flows[-1]
        self.assertEqual(move.o2c_pa_flow_id, deposited["flowId"])
        self.assertEqual(deposited["flowSyntax"], "Factur-X")
        self.assertTrue(deposited["content"].startswith(b"%PDF"))
        self.pa.add_status(move.name, "732829320", "552100554", "205")
        self.fetch()
        statuses = move.o2c_einvoice_status_ids.sorted("id")
        self.assertEqual([(s.code, s.sender_role, s.source) for s in statuses],
                         [("200", "WK", "platform"), ("205", "BY", "platform")])  # fmt: skip
        self.assertEqual(move.o2c_pa_flow_state, "done")
        self.assertEqual(move.o2c_einvoice_status_code, "205", statuses.mapped("date"))

    def test_platform_down_keeps_the_invoice_queued_then_deposits_it_once(self):
        move = self.issued_invoice()
        self.pa.down = True
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "to_send")
        self.assertTrue(move.o2c_pa_next_try)
        self.assertIn("No token from", move.o2c_pa_message)
        self.env["account.move"]._cron_o2c_pa_send()
        self.assertEqual(move.o2c_pa_attempts, 1, "not retried before its next attempt")
        self.pa.down = False
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "sent")
        self.send_queued()
        self.assertEqual(self.pa.deposits, [move.o2c_pa_tracking])

    def test_lost_answer_is_found_again_by_tracking_name_not_deposited_twice(self):
        move = self.issued_invoice()
        self.pa.lose_next_answers = 1
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "sending")
        self.assertEqual(len(self.pa.deposits), 1)
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "sent")
        self.assertEqual(len(self.pa.deposits), 1)
        self.assertEqual(move.o2c_pa_flow_id, self.pa.flows[-1]["flowId"])

    def test_rejection_shows_the_platforms_reasons_and_warns_a_manager(self):
        move = self.issued_invoice()
        self.pa.reject[f"-{move.id}-"] = [("REJ_COH", "Total TTC incohérent avec les lignes")]
        self.send_queued()
        self.fetch()
        self.assertEqual(move.o2c_pa_state, "rejected")
        self.assertIn("Total TTC incohérent", move.o2c_pa_message)
        rejected = move.o2c_einvoice_status_ids.filtered(lambda status: status.code == "213")
        self.assertEqual((len(rejected), rejected.reason_code), (1, "REJ_COH"))
        activity = move.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("Total TTC incohérent", activity.note)
        self.assertTrue(activity.user_id.has_group("o2c_einvoice.group_o2c_einvoice_manager"))

    def test_same_status_received_twice_is_written_once(self):
        move = self.issued_invoice()
        self.send_queued()
        self.pa.add_status(move.name, "732829320", "552100554", "204")
        self.fetch()
        self.platform.last_fetch = False
        self.fetch()
        self.assertEqual(move.o2c_einvoice_status_ids.mapped("code").count("204"), 1)
        self.assertEqual(move.o2c_einvoice_status_ids.mapped("code").count("200"), 1)

    def test_status_without_the_reason_its_code_requires_is_left_out_and_the_others_written(self):
        move = self.issued_invoice()
        self.pa.add_status(move.name, "732829320", "552100554", "206")
        self.pa.add_status(move.name, "732829320", "552100554", "204")
        self.fetch()
        self.assertEqual(move.o2c_einvoice_status_ids.mapped("code"), ["204"])

    def test_status_about_an_invoice_of_another_seller_is_ignored(self):
        move = self.issued_invoice()
        self.pa.add_status(move.name, "356000000", "552100554", "205")
        self.fetch()
        self.assertFalse(move.o2c_einvoice_status_ids.filtered(lambda status: status.code == "205"))
