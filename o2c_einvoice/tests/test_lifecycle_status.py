"""Lifecycle statuses: by hand, automatic 212 Encaissée, CDAR export (validated) and import."""

import base64
import re

from odoo.addons.o2c_einvoice.facturx.platform import read_status_cdar
from odoo.addons.o2c_einvoice.facturx.validation import (
    CDAR_SCHEMATRON_FILE,
    CDAR_XSD_FILE,
    check_schematron,
    check_xsd,
)
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import EinvoiceCase


@tagged("post_install", "-at_install")
class TestLifecycleStatus(EinvoiceCase):
    def pay(self, move):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {"payment_date": "2026-09-30"}
        )._create_payments()

    def test_status_set_by_hand_through_the_wizard(self):
        move = self.make_invoice(post=True)
        wizard = Form(self.env["o2c.einvoice.status.wizard"].with_context(active_model="account.move",
                                                                          active_ids=move.ids))  # fmt: skip
        wizard.code = "210"
        wizard.reason_code = "TX_TVA_ERR"
        wizard.note = "Taux de TVA contesté"
        wizard.save().action_apply()
        self.assertEqual(move.o2c_einvoice_status_code, "210")
        self.assertEqual(move.o2c_einvoice_status_ids.reason_code, "TX_TVA_ERR")
        self.assertEqual(move.o2c_einvoice_status_ids.source, "manual")

    def test_refusal_without_reason_or_with_a_wrong_reason_is_refused(self):
        move = self.make_invoice(post=True)
        with self.assertRaisesRegex(UserError, "requires a reason code"):
            move._o2c_einvoice_add_status("210")
        with self.assertRaisesRegex(UserError, "not allowed"):
            move._o2c_einvoice_add_status("208", reason_code="DOUBLON")
        self.assertFalse(move.o2c_einvoice_status_ids)

    def test_paid_services_invoice_gets_212_with_amount_and_rate_once(self):
        move = self.make_invoice(self.service, post=True)
        self.pay(move)
        cashed = move.o2c_einvoice_status_ids.filtered(lambda status: status.code == "212")
        self.assertEqual(len(cashed), 1)
        self.assertEqual(cashed.source, "auto")
        self.assertAlmostEqual(cashed.amount, 360.0)
        self.assertAlmostEqual(cashed.vat_rate, 20.0)
        self.assertEqual(cashed.paid_by_rate, {"20.00": 360.0})
        self.assertEqual(move.o2c_einvoice_status_code, "212")

    def test_goods_invoice_or_vat_on_debits_get_no_automatic_212(self):
        goods = self.make_invoice(self.goods, post=True)
        self.pay(goods)
        self.assertFalse(goods.o2c_einvoice_status_ids)
        self.company.o2c_einvoice_vat_on_debits = True
        self.service.taxes_id = self.tax20
        services = self.make_invoice(self.service, post=True)
        self.pay(services)
        self.assertFalse(services.o2c_einvoice_status_ids)

    def test_cashed_status_exports_as_cdar_valid_against_schema_and_br_fr_cdv(self):
        move = self.make_invoice(self.service | self.goods, post=True)
        self.pay(move)
        status = move.o2c_einvoice_status_ids.filtered(lambda s: s.code == "212")
        xml = status._o2c_cdar_xml()
        self.assertEqual(check_xsd(xml, CDAR_XSD_FILE), [])
        self.assertEqual([v.rule_id for v in check_schematron(xml, CDAR_SCHEMATRON_FILE, "cdar") if v.blocking], [])
        message = read_status_cdar(xml, check_rules=True)
        self.assertEqual((message.invoice_number, message.status_code, message.sender_role), (move.name, "212", "SE"))
        self.assertEqual(message.paid_amounts, ((1800, 20),))
        action = status.action_export_cdar()
        self.assertIn("/web/content/", action["url"])

    def test_refusal_exports_with_its_reason_and_validates(self):
        move = self.make_invoice(post=True)
        status = move._o2c_einvoice_add_status("210", reason_code="DOUBLON", note="Déjà facturé")
        xml = status._o2c_cdar_xml()
        self.assertEqual(check_xsd(xml, CDAR_XSD_FILE), [])
        self.assertEqual([v.rule_id for v in check_schematron(xml, CDAR_SCHEMATRON_FILE, "cdar") if v.blocking], [])

    def test_cdar_import_writes_statuses_once_and_rejects_unknown_invoices(self):
        move = self.make_invoice(post=True)
        status = move._o2c_einvoice_add_status("207", reason_code="QTE_ERR", note="Quantité")
        xml = status._o2c_cdar_xml()
        status.unlink()
        for _attempt in range(2):
            wizard = self.env["o2c.einvoice.cdar.import"].create({"file": base64.b64encode(xml), "filename": "s.xml"})
            wizard.action_import()
        imported = move.o2c_einvoice_status_ids
        self.assertEqual(len(imported), 1)
        self.assertEqual((imported.code, imported.reason_code, imported.source), ("207", "QTE_ERR", "import"))
        wrong = xml.replace(move.name.encode(), b"F-UNKNOWN-1")
        wizard = self.env["o2c.einvoice.cdar.import"].create({"file": base64.b64encode(wrong), "filename": "w.xml"})
        with self.assertRaisesRegex(UserError, "F-UNKNOWN-1"):
            wizard.action_import()
        garbage = self.env["o2c.einvoice.cdar.import"].create({"file": base64.b64encode(b"<a/>"), "filename": "g.xml"})
        with self.assertRaisesRegex(UserError, "not a valid status message"):
            garbage.action_import()

    def test_cdar_import_checks_the_br_fr_cdv_rules_and_keeps_the_amounts_received(self):
        move = self.make_invoice(self.service | self.goods, post=True)
        status = move._o2c_einvoice_add_status("207", reason_code="QTE_ERR", note="Quantité")
        xml = status._o2c_cdar_xml()
        status.unlink()
        # A dispute (207) without its reason: the XSD takes it, the BR-FR-CDV schematron does not.
        without_reason = re.sub(rb"<ram:ReasonCode>.*?</ram:ReasonCode>", b"", xml)
        wizard = self.env["o2c.einvoice.cdar.import"].create({"file": base64.b64encode(without_reason),
                                                              "filename": "r.xml"})  # fmt: skip
        with self.assertRaisesRegex(UserError, r"r\.xml is not a valid status message: \[BR-FR-CDV-15"):
            wizard.action_import()
        self.assertFalse(move.o2c_einvoice_status_ids)
        self.pay(move)
        cashed = move.o2c_einvoice_status_ids.filtered(lambda s: s.code == "212")
        xml = cashed._o2c_cdar_xml()
        cashed.unlink()
        wizard = self.env["o2c.einvoice.cdar.import"].create({"file": base64.b64encode(xml), "filename": "p.xml"})
        wizard.action_import()
        imported = move.o2c_einvoice_status_ids
        self.assertEqual((imported.code, imported.source, imported.sender_role), ("212", "import", "SE"))
        self.assertEqual((imported.amount, imported.paid_by_rate), (1800.0, {"20.00": 1800.0}))
