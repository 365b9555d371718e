"""Every Factur-X states the facts of its invoice (issue 12): each test posts a real invoice through Odoo,
runs every validator on its Factur-X and compares it with Odoo's amounts to the cent."""

from lxml import etree

from odoo import Command
from odoo.addons.o2c_einvoice.facturx.cii import VAT_ON_DEBITS_MENTION
from odoo.exceptions import UserError
from odoo.tests import tagged

from .facts_common import FactsCase, xpath

PROCESS = "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
DUE_CODES = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:DueDateTypeCode"


@tagged("post_install", "-at_install")
class TestFacturxFacts(FactsCase):
    def printed(self, move):
        html, _type = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", move.ids)
        return etree.fromstring(html, etree.HTMLParser())

    def printed_operation_type(self, move):
        return " ".join(" ".join(self.printed(move).xpath("//p[@name='o2c_operation_type']//text()")).split())

    def operation_label(self, move):
        lang = move.partner_id.lang or "en_US"
        field = move._fields["o2c_einvoice_operation_type"]
        return dict(field._description_selection(self.env(context={"lang": lang})))[move.o2c_einvoice_operation_type]

    def test_goods_or_services_of_lines_without_product_follow_tax_account_then_company_default(self):
        no_scope = self.goods20.copy({"name": "TVA 20 % sans portée", "tax_scope": False})
        other_income = self.account("708")
        cases = [
            ("Prestation à l'encaissement", self.services20, other_income, "S1"),
            ("Marchandises (707)", self.goods20, self.account("707"), "B1"),
            ("Prestations (706)", self.goods20, self.account("706"), "S1"),
            ("Portée biens de la taxe", self.goods20, other_income, "B1"),
            ("Défaut de la société", no_scope, other_income, "S1"),
        ]
        self.company.o2c_einvoice_default_supply = "services"
        for name, tax, account, process in cases:
            with self.subTest(name=name):
                move = self.post(
                    [{"name": name, "quantity": 1, "price_unit": 100, "tax_ids": [Command.set(tax.ids)],
                      "account_id": account.id}]
                )  # fmt: skip
                xml = self.assert_true_facturx(move)
                self.assertEqual(xpath(xml, PROCESS), [process])
                expected = "services" if process == "S1" else "goods"
                self.assertEqual(move.o2c_einvoice_operation_type, expected)
                self.assertIn(self.operation_label(move), self.printed_operation_type(move))

    def test_goods_and_services_products_are_declared_mixed_in_xml_and_print(self):
        move = self.make_invoice(self.goods | self.service, post=True)
        xml = self.assert_true_facturx(move)
        self.assertEqual(xpath(xml, PROCESS), ["M1"])
        self.assertEqual(move.o2c_einvoice_operation_type, "mixed")
        self.assertIn(self.operation_label(move), self.printed_operation_type(move))

    def test_vat_due_date_bt8_and_status_212_follow_the_taxes_exigibility(self):
        on_receipts = self.make_invoice(self.service, post=True)
        xml = self.assert_true_facturx(on_receipts)
        self.assertEqual(set(xpath(xml, DUE_CODES)), {"72"})
        self.assertNotIn(VAT_ON_DEBITS_MENTION, etree.tostring(self.printed(on_receipts), encoding=str))
        on_debits = self.post([self.line(self.goods20, self.service, 2, 150)])
        xml = self.assert_true_facturx(on_debits)
        self.assertEqual(set(xpath(xml, DUE_CODES)), {"5"})
        self.assertIn(VAT_ON_DEBITS_MENTION, xpath(xml, "//ram:IncludedNote/ram:Content"))
        self.assertIn(VAT_ON_DEBITS_MENTION, etree.tostring(self.printed(on_debits), encoding=str))
        goods = self.make_invoice(self.goods, post=True)
        self.assertEqual(xpath(self.assert_true_facturx(goods), DUE_CODES), [])
        for move in on_receipts | on_debits | goods:
            self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
                {"payment_date": "2026-09-30"}
            )._create_payments()
        self.assertEqual(on_receipts.o2c_einvoice_status_ids.mapped("code"), ["212"])
        self.assertFalse(on_debits.o2c_einvoice_status_ids | goods.o2c_einvoice_status_ids)

    def test_company_option_for_vat_on_debits_contradicted_by_the_taxes_is_a_warning(self):
        self.company.o2c_einvoice_vat_on_debits = True
        move = self.make_invoice(self.service)
        codes = {finding.code for finding in move._o2c_einvoice_findings()[move]}
        self.assertIn("vat_on_debits_due_on_payment", codes)
        self.assertIn("VAT on debits", move.o2c_einvoice_check_html)

    def test_french_chart_zero_rate_taxes_carry_category_reason_and_vatex_out_of_the_box(self):
        expected = {
            self.exempt_goods: ("E", "VATEX-EU-132"),
            self.exempt_services: ("E", "VATEX-EU-132"),
            self.export_goods: ("G", "VATEX-EU-G"),
            self.export_services: ("G", "VATEX-EU-G"),
            self.intra_goods: ("K", "VATEX-EU-IC"),
            self.intra_services: ("AE", "VATEX-EU-AE"),
        }
        for tax, (category, code) in expected.items():
            with self.subTest(tax=tax.name):
                self.assertEqual((tax.o2c_einvoice_vat_category, tax.o2c_einvoice_exemption_code), (category, code))
                self.assertTrue(tax.o2c_einvoice_exemption_reason)

    def test_a_new_company_loading_the_french_chart_gets_the_categories(self):
        company = self.env["res.company"].create({"name": "Filiale Durand", "country_id": self.env.ref("base.fr").id})
        self.env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
        tax = self.env.ref(f"account.{company.id}_tva_sale_good_intra_0")
        self.assertEqual(tax.o2c_einvoice_vat_category, "K")
        self.assertEqual(tax.o2c_einvoice_exemption_code, "VATEX-EU-IC")

    def test_each_zero_rate_supply_issues_a_valid_facturx_with_its_category_and_reason(self):
        cases = [
            (self.german_customer, self.intra_goods, self.goods, "K"),
            (self.german_customer, self.intra_services, self.service, "AE"),
            (self.us_customer, self.export_goods, self.goods, "G"),
            (self.us_customer, self.export_services, self.service, "G"),
            (self.customer, self.exempt_goods, self.goods, "E"),
            (self.customer, self.exempt_services, self.service, "E"),
        ]
        for partner, tax, product, category in cases:
            with self.subTest(tax=tax.name):
                move = self.post(
                    [{"product_id": product.id, "quantity": 3, "price_unit": 100, "tax_ids": [Command.set(tax.ids)]}],
                    partner=partner,
                )
                xml = self.assert_true_facturx(move)
                block = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
                self.assertEqual(xpath(xml, f"{block}/ram:CategoryCode"), [category])
                self.assertEqual(xpath(xml, f"{block}/ram:ExemptionReason"), [tax.o2c_einvoice_exemption_reason])
                self.assertEqual(xpath(xml, f"{block}/ram:ExemptionReasonCode"), [tax.o2c_einvoice_exemption_code])

    def test_intra_community_supply_states_the_deliver_to_country(self):
        move = self.post([self.line(self.intra_goods, self.goods, 1, 900)], partner=self.german_customer)
        xml = self.assert_true_facturx(move)
        self.assertEqual(xpath(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID"), ["DE"])
        depot = self.env["res.partner"].create(
            {"name": "Lager Müller", "type": "delivery", "parent_id": self.german_customer.id, "street": "Rue 1",
             "zip": "1000", "city": "Bruxelles", "country_id": self.env.ref("base.be").id}
        )  # fmt: skip
        lines = [self.line(self.intra_goods, self.goods, 1, 900)]
        move = self.post(lines, partner=self.german_customer, partner_shipping_id=depot.id)
        xml = self.assert_true_facturx(move)
        self.assertEqual(xpath(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID"), ["BE"])

    def test_a_zero_rate_tax_without_exemption_reason_is_named_and_blocks_issue(self):
        tax = self.exempt_goods.copy(
            {"name": "0 % sans motif", "o2c_einvoice_exemption_reason": False, "o2c_einvoice_exemption_code": False}
        )
        move = self.post([{"name": "Vente", "quantity": 1, "price_unit": 100, "tax_ids": [Command.set(tax.ids)]}])
        errors = "\n".join(move._o2c_einvoice_prepare()[move]["errors"])
        self.assertIn("0 % sans motif", errors)
        self.assertIn("exemption reason", errors)

    def test_buyer_vat_not_matching_its_siren_blocks_issue_and_posting_in_blocking_mode(self):
        customer = self.customer.copy({"vat": "FR64443061841"})
        move = self.make_invoice(partner=customer, post=True)
        self.assertIn("does not match its SIREN", "\n".join(move._o2c_einvoice_prepare()[move]["errors"]))
        self.company.o2c_einvoice_check_mode = "blocking"
        draft = self.make_invoice(partner=customer)
        with self.assertRaisesRegex(UserError, "does not match its SIREN"):
            draft.action_post()
        self.assertEqual(draft.state, "draft")

    def test_final_number_longer_than_35_characters_is_refused_after_odoo_assigns_it(self):
        self.company.o2c_einvoice_check_mode = "blocking"
        journal = self.env["account.journal"].create({"name": "Ventes longues", "code": "VLG", "type": "sale"})
        first = self.make_invoice(journal_id=journal.id)
        first.name = "FAC/2026/" + "9" * 26
        self.assertEqual(len(first.name), 35)
        first.action_post()
        second = self.make_invoice(journal_id=journal.id)
        with self.assertRaisesRegex(UserError, "at most 35"):
            second.action_post()
        self.assertEqual(second.state, "draft")
        self.assertFalse(second.name and second.name.startswith("FAC/2026/1"))

    def test_missing_late_payment_mentions_block_issue(self):
        self.company.o2c_einvoice_penalty_note = False
        move = self.make_invoice(post=True)
        errors = "\n".join(move._o2c_einvoice_prepare()[move]["errors"])
        self.assertIn("late payment penalties", errors)

    def test_in_warning_mode_the_final_number_is_checked_and_shown_like_the_other_warnings(self):
        journal = self.env["account.journal"].create({"name": "Ventes longues", "code": "VLW", "type": "sale"})
        first = self.make_invoice(journal_id=journal.id)
        first.name = "FAC/2026/" + "9" * 27
        self.assertIn("at most 35", first.o2c_einvoice_check_html, "a manual number is checked as it is typed")
        first.name = "FAC/2026/" + "9" * 26
        self.assertFalse(first.o2c_einvoice_check_html)
        first.action_post()
        second = self.make_invoice(journal_id=journal.id)
        self.assertNotIn("at most 35", second.o2c_einvoice_check_html or "")
        second.action_post()
        self.assertEqual(second.state, "posted")
        self.assertEqual(len(second.name), 36)
        warning = second.message_ids.filtered(lambda message: "Posted with failed checks" in (message.body or ""))
        self.assertIn(f"Invoice number {second.name}: at most 35", warning.body)
        self.assertIn(f"Invoice number {second.name}: at most 35", second.o2c_einvoice_check_html)
        self.assertIn(f"Invoice number {second.name}", "\n".join(second._o2c_einvoice_prepare()[second]["errors"]))
