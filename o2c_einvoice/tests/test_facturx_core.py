"""Pure core: CII builder, French mentions, official validators, checks before issue (no database)."""

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import facturx
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from odoo.addons.o2c_einvoice.facturx import checks
from odoo.addons.o2c_einvoice.facturx.cii import NS, build_cii, business_process, format_decimal
from odoo.addons.o2c_einvoice.facturx.document import PROFILES, Address, Party, Tax
from odoo.addons.o2c_einvoice.facturx.validation import SCHEMATRON_FILES, check_schematron, validate_facturx
from odoo.tests import BaseCase

from .facturx_samples import AKRETION_DIR, CONSULTING, KEYBOARD, VAT20, make_invoice


def xpath(xml, path):
    return [
        node if isinstance(node, str) else (node.text or "")
        for node in etree.fromstring(xml).xpath(path, namespaces=NS)
    ]


def rule_ids(invoice, profile="en16931"):
    return {violation.rule_id for violation in validate_facturx(build_cii(invoice, profile), profile)}


class TestFacturxCore(BaseCase):
    """The CII builder and checks of Factur-X over plain data, without a database."""

    def test_each_profile_passes_xsd_facturx_and_br_fr_schematrons(self):
        for profile in PROFILES:
            with self.subTest(profile=profile):
                xml = build_cii(make_invoice(), profile)
                assert validate_facturx(xml, profile) == []
                assert facturx.get_level(etree.fromstring(xml)) == profile

    def test_official_sample_passes_our_validator_so_the_validator_is_the_real_one(self):
        sample = (AKRETION_DIR / "factur-x-en16931.xml").read_bytes()
        assert validate_facturx(sample, "en16931") == []

    def test_schematron_reports_real_errors_on_a_broken_official_sample(self):
        sample = (
            (AKRETION_DIR / "factur-x-en16931.xml")
            .read_bytes()
            .replace(b"<ram:ID>F20260023</ram:ID>", b"<ram:ID>F 2026 0023</ram:ID>")
        )
        found = {v.rule_id for v in check_schematron(sample, SCHEMATRON_FILES["br-fr"], "br-fr")}
        assert "BR-FR-02_BT-1" in found

    def test_business_process_bt23_follows_the_products(self):
        for lines, expected in [((KEYBOARD,), "B1"), ((CONSULTING,), "S1"), ((CONSULTING, KEYBOARD), "M1")]:
            with self.subTest(lines=lines, expected=expected):
                invoice = make_invoice(lines=lines)
                xml = build_cii(invoice)
                assert xpath(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == [expected]
                assert validate_facturx(xml, "en16931") == []

    def test_final_invoice_after_down_payment_uses_the_4_variant(self):
        assert business_process(make_invoice(is_final_after_down_payment=True)) == "M4"

    def test_bt8_is_72_for_services_in_every_tax_block_and_absent_for_goods_only(self):
        services = make_invoice(lines=(CONSULTING, replace(KEYBOARD, tax=Tax("S", D("10")))))
        xml = build_cii(services)
        assert xpath(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:DueDateTypeCode") == [
            "72",
            "72",
        ]
        assert validate_facturx(xml, "en16931") == []
        goods = build_cii(make_invoice(lines=(KEYBOARD,)))
        assert xpath(goods, "//ram:DueDateTypeCode") == []

    def test_services_taxed_on_invoice_write_bt8_5_everywhere_and_the_vat_on_debits_mention(self):
        xml = build_cii(make_invoice(lines=(replace(CONSULTING, tax=VAT20), KEYBOARD)))
        assert set(xpath(xml, "//ram:ApplicableTradeTax/ram:DueDateTypeCode")) == {"5"}
        assert "Option pour le paiement de la taxe d'après les débits" in xpath(xml, "//ram:IncludedNote/ram:Content")
        assert validate_facturx(xml, "en16931") == []

    def test_french_mentions_siren_scheme_0002_electronic_addresses_0225_and_bar_b2b(self):
        xml = build_cii(make_invoice())
        assert xpath(xml, "//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID") == ["732829320"]
        assert xpath(xml, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == ["0002"]
        assert xpath(xml, "//ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID/@schemeID") == ["0225"]
        assert xpath(xml, "//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID")[0].startswith("552100554")
        assert xpath(xml, "//ram:IncludedNote[ram:SubjectCode='BAR']/ram:Content") == ["B2B"]
        for subject in ("PMD", "PMT", "AAB"):
            assert len(xpath(xml, f"//ram:IncludedNote[ram:SubjectCode='{subject}']/ram:Content")) == 1

    def test_siret_bt29_bt46_scheme_0009_beside_the_siren_and_contract_bt12(self):
        invoice = make_invoice(contract_reference="MARCHE-2026-07")
        invoice = replace(invoice, seller=replace(invoice.seller, siret="73282932000017"),
                          buyer=replace(invoice.buyer, siret="55210055400013"))  # fmt: skip
        for profile in PROFILES:
            xml = build_cii(invoice, profile)
            assert validate_facturx(xml, profile) == [], profile
        assert xpath(xml, "//ram:BuyerTradeParty/ram:GlobalID[@schemeID='0009']") == ["55210055400013"]
        assert xpath(xml, "//ram:SellerTradeParty/ram:GlobalID[@schemeID='0009']") == ["73282932000017"]
        assert xpath(xml, "//ram:ContractReferencedDocument/ram:IssuerAssignedID") == ["MARCHE-2026-07"]
        assert checks.run_checks(invoice) == []

    def test_a_siret_of_another_siren_or_with_a_wrong_key_is_a_failed_check(self):
        invoice = make_invoice()
        for siret in ("73282932000017", "55210055400014"):
            found = checks.run_checks(replace(invoice, buyer=replace(invoice.buyer, siret=siret)))
            assert [(f.code, f.params["value"]) for f in found] == [("customer_siret", siret)]
        found = checks.run_checks(replace(invoice, seller=replace(invoice.seller, siret="55210055400013")))
        assert [f.code for f in found] == ["company_siret"]
        # The French rule itself (BR-FR-09) refuses a SIRET that does not start with the SIREN.
        assert "BR-FR-09_BT-46" in rule_ids(replace(invoice, buyer=replace(invoice.buyer, siret="73282932000017")))

    def test_delivery_address_bg15_only_when_given(self):
        assert xpath(build_cii(make_invoice()), "//ram:ShipToTradeParty") == []
        delivery = Party("Entrepôt Martin", Address("1 quai du Port", "", "Marseille", "13002", "FR"))
        xml = build_cii(make_invoice(delivery=delivery))
        assert xpath(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CityName") == ["Marseille"]
        assert validate_facturx(xml, "en16931") == []

    def test_credit_note_references_the_invoice_bt25_bt26(self):
        credit = make_invoice(
            type_code="381",
            preceding_invoice_number="F2026-0041",
            preceding_invoice_date=date(2026, 9, 1),
            due_date=None,
        )
        xml = build_cii(credit)
        assert xpath(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == ["F2026-0041"]
        assert xpath(xml, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString") == [
            "20260901"
        ]
        assert validate_facturx(xml, "en16931") == []
        assert "BR-FR-CO-05_BT-3" in rule_ids(replace(credit, preceding_invoice_number="", preceding_invoice_date=None))

    def test_non_eur_invoice_needs_the_vat_total_in_euros(self):
        assert "BR-FR-CO-12_BT-5" in rule_ids(make_invoice(currency="USD"))
        xml = build_cii(make_invoice(currency="USD", tax_total_accounting=D("215.00")))
        assert xpath(xml, "//ram:TaxTotalAmount[@currencyID='EUR']") == ["215.00"]
        assert validate_facturx(xml, "en16931") == []

    def test_bad_french_data_fails_with_the_right_rule_id(self):
        for changes, rule in [
            ({"buyer": replace(make_invoice().buyer, siren="", electronic_address="")}, "BR-FR-11_BT-47"),
            ({"seller": replace(make_invoice().seller, siren="")}, "BR-FR-10_BT-30"),
            ({"number": "F" * 36}, "BR-FR-01_BT-1"),
            ({"type_code": "999"}, "BR-FR-04_BT-3"),
            ({"penalty_note": ""}, "BR-FR-05_BT-22_PMD"),
            ({"recovery_fee_note": ""}, "BR-FR-05_BT-22_PMT"),
            ({"discount_note": ""}, "BR-FR-05_BT-22_AAB"),
            ({"due_date": date(2026, 9, 1)}, "BR-FR-CO-07_BT-9"),
        ]:
            with self.subTest(changes=changes, rule=rule):
                assert rule in rule_ids(make_invoice(**changes))

    def test_three_decimal_amount_fails_br_fr_dec_01(self):
        invoice = make_invoice(lines=(replace(CONSULTING, total=D("1000.005")), KEYBOARD))
        assert "BR-FR-DEC-01_BT-131" in rule_ids(invoice)
        assert "amount_decimals" in {finding.code for finding in checks.run_checks(invoice)}

    def test_non_french_vat_rate_fails_br_fr_16(self):
        odd = Tax("S", D("7.7"))
        invoice = make_invoice(lines=(replace(KEYBOARD, tax=odd),))
        assert "BR-FR-16_BT-119" in rule_ids(invoice)
        assert "tax_rate" in {finding.code for finding in checks.run_checks(invoice)}

    def test_checks_before_issue_pass_on_a_complete_invoice(self):
        assert checks.run_checks(make_invoice()) == []

    def test_checks_before_issue_list_what_to_fix(self):
        buyer = replace(make_invoice().buyer, siren="", vat="FR00000000000", address=Address(country_code="FR"))
        invoice = make_invoice(buyer=buyer, order_reference="", due_date=None, discount_note="")
        inputs = checks.CheckInputs(
            po_required=True, has_payment_term=False, has_bank_account=False, unknown_taxes=("Taxe X",)
        )
        codes = [finding.code for finding in checks.run_checks(invoice, inputs)]
        for expected in (
            "customer_siren_missing",
            "customer_vat_invalid",
            "customer_address",
            "po_missing",
            "payment_terms",
            "company_bank",
            "mention_discount",
            "tax_unknown",
        ):
            assert expected in codes

    def test_checks_name_a_tax_without_exemption_reason_and_a_vat_on_debits_option_the_taxes_contradict(self):
        inputs = checks.CheckInputs(taxes_without_reason=("0 % sans motif",), vat_on_debits_option=True)
        found = {(f.code, f.params.get("value")) for f in checks.run_checks(make_invoice(), inputs)}
        assert ("tax_exemption_reason", "0 % sans motif") in found
        assert ("vat_on_debits_due_on_payment", None) in found
        on_invoice = make_invoice(lines=(replace(CONSULTING, tax=VAT20),))
        codes = {f.code for f in checks.run_checks(on_invoice, checks.CheckInputs(vat_on_debits_option=False))}
        assert "vat_on_debits_not_opted" in codes
        assert checks.run_checks(on_invoice, checks.CheckInputs(vat_on_debits_option=True)) == []

    def test_cash_rounding_bt114_is_written_and_the_totals_add_up(self):
        invoice = make_invoice()
        rounded = replace(invoice, rounding_amount=D("0.02"), due_amount=invoice.due_amount + D("0.02"))
        assert checks.run_checks(rounded) == []
        xml = build_cii(rounded)
        assert xpath(xml, "//ram:RoundingAmount") == ["0.02"]
        assert validate_facturx(xml, "en16931") == []

    def test_inconsistent_totals_are_a_failed_check(self):
        invoice = make_invoice()
        assert "totals" in {f.code for f in checks.run_checks(replace(invoice, grand_total=invoice.grand_total + 1))}

    @given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
    def test_format_decimal_keeps_two_decimal_amounts_exact(self, value):
        text = format_decimal(value)
        assert D(text) == value and len(text.partition(".")[2]) == 2

    @given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
    def test_format_decimal_never_hides_a_third_decimal(self, value):
        text = format_decimal(value)
        assert D(text) == value
        assert (len(text.partition(".")[2]) == 3) == (value != value.quantize(D("0.01")))

    def test_code_list_rules_still_fire_with_the_code_list_parsed_once(self):
        for profile in PROFILES:
            with self.subTest(profile=profile):
                invoice = make_invoice(lines=(replace(KEYBOARD, unit_code="ZZZ"),))
                violations = validate_facturx(build_cii(invoice, profile), profile)
                assert any(
                    "UNECE Rec 20" in v.message or "Rec 20" in v.message or v.rule_id.startswith("FX-SCH")
                    for v in violations
                )
                assert validate_facturx(build_cii(make_invoice(lines=(KEYBOARD,)), profile), profile) == []

    def test_the_schematrons_as_compiled_here_fail_the_same_rules_as_shipped(self):
        """The stylesheets are compiled leaner than shipped (no SVRL trace of the rules that fired, code lists
        looked up by key, each pattern applied to the nodes its rules match instead of a walk of the whole
        document per pattern): on valid and broken invoices of every profile they report the same violations,
        rule by rule, with the same messages and locations."""
        breakages = [
            lambda xml: xml,
            lambda xml: xml.replace(b">EUR<", b">EUX<"),
            lambda xml: xml.replace(b'unitCode="C62"', b'unitCode="XYZ"', 1),
            lambda xml: xml.replace(b'currencyID="EUR"', b'currencyID="EUX"', 1),
            lambda xml: xml.replace(b"<ram:CategoryCode>S<", b"<ram:CategoryCode>E<"),
            lambda xml: xml.replace(b"<ram:TypeCode>380<", b"<ram:TypeCode>381<"),
            lambda xml: xml.replace(b">732829320<", b">73282932<", 1),
            lambda xml: xml.replace(b"</ram:SpecifiedTradeProduct>", b"<ram:Description/></ram:SpecifiedTradeProduct>"),
            lambda xml: xml.replace(b"<ram:Content>B2B</ram:Content>", b"<ram:Content>B2X</ram:Content>"),
        ]
        invoice = make_invoice()
        invoices = [
            invoice,
            replace(invoice, buyer=replace(invoice.buyer, siret="73282932000017"), contract_reference="M-1"),
            replace(invoice, delivery=Party("Dépôt", Address("1 quai du Port", "", "Marseille", "13002", "FR"))),
        ]
        sample = (AKRETION_DIR / "factur-x-en16931.xml").read_bytes()
        cases = [(profile, build_cii(each, profile)) for profile in PROFILES for each in invoices]
        for profile, xml in [*cases, ("en16931", sample)]:
            for index, breakage in enumerate(breakages):
                broken = breakage(xml)
                for key in (profile, "br-fr"):
                    with self.subTest(profile=profile, breakage=index, schematron=key):
                        ours = check_schematron(broken, SCHEMATRON_FILES[key], key)
                        shipped = check_schematron(broken, SCHEMATRON_FILES[key], key, as_shipped=True)
                        assert Counter(ours) == Counter(shipped)
