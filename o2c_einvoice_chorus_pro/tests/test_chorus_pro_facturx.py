"""With Odoo's l10n_fr_facturx_chorus_pro, the Factur-X states the service code, the commitment number and the
contract where Odoo's own Factur-X writes them, and both parties' SIRET as the French rules place it (BT-29/BT-46,
scheme 0009, beside the SIREN of BT-30/BT-47); a public buyer's invoice waits for them before it is sent."""

import facturx

from odoo.addons.o2c_einvoice.tests.facts_common import FactsCase, xpath
from odoo.addons.o2c_einvoice.tests.platform_common import PlatformCase
from odoo.tests import tagged

AGREEMENT = "//ram:ApplicableHeaderTradeAgreement"
REFERENCES = (
    f"{AGREEMENT}/ram:BuyerReference",
    f"{AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    f"{AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID",
)
BUYER, SELLER = f"{AGREEMENT}/ram:BuyerTradeParty", f"{AGREEMENT}/ram:SellerTradeParty"


@tagged("post_install", "-at_install")
class TestChorusProFacturx(FactsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.siret = "73282932000017"
        cls.town = cls.env["res.partner"].create(
            {"name": "Commune de Nantes", "is_company": True, "company_registry": "214401093",
             "siret": "21440109300015", "vat": "FR74214401093", "street": "2 rue de l'Hôtel de Ville",
             "zip": "44000", "city": "Nantes", "country_id": cls.env.ref("base.fr").id,
             "email": "factures@mairie-nantes.fr"}
        )  # fmt: skip

    def public_invoice(self, **values):
        return self.make_invoice(
            partner=self.town, post=True, buyer_reference="SERV-EXEC-12", purchase_order_reference="EJ-2026-0042",
            contract_reference="MARCHE-2026-07", **values,
        )  # fmt: skip

    def test_service_code_commitment_and_contract_are_written_as_odoos_own_facturx_writes_them(self):
        move = self.public_invoice(o2c_einvoice_order_ref="BC-INTERNE")
        xml = self.assert_true_facturx(move)
        self.assertEqual([xpath(xml, path) for path in REFERENCES],
                         [["SERV-EXEC-12"], ["EJ-2026-0042"], ["MARCHE-2026-07"]])  # fmt: skip
        odoo_xml = self.env["account.edi.xml.cii"]._export_invoice(move)[0]
        self.assertEqual([xpath(odoo_xml, path) for path in REFERENCES], [xpath(xml, path) for path in REFERENCES])

    def test_both_siret_are_written_beside_the_siren_as_the_french_rules_place_them(self):
        xml = self.assert_true_facturx(self.public_invoice())
        self.assertEqual(xpath(xml, f"{BUYER}/ram:GlobalID[@schemeID='0009']"), ["21440109300015"])
        self.assertEqual(xpath(xml, f"{BUYER}/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']"), ["214401093"])
        self.assertEqual(xpath(xml, f"{SELLER}/ram:GlobalID[@schemeID='0009']"), ["73282932000017"])
        self.assertEqual(xpath(xml, f"{SELLER}/ram:SpecifiedLegalOrganization/ram:ID"), ["732829320"])

    def test_without_the_chorus_pro_fields_the_customer_references_are_kept(self):
        self.customer.ref = "CLI-0042"
        move = self.make_invoice(post=True, o2c_einvoice_order_ref="BC-2026-9")
        xml = self.assert_true_facturx(move)
        self.assertEqual([xpath(xml, path) for path in REFERENCES], [["CLI-0042"], ["BC-2026-9"], []])
        self.assertEqual(xpath(xml, f"{BUYER}/ram:GlobalID"), [])

    def test_a_siret_that_is_not_of_the_customers_siren_blocks_issue(self):
        self.town.siret = "55210055400013"
        move = self.public_invoice()
        errors = "\n".join(move._o2c_einvoice_prepare()[move]["errors"])
        self.assertIn("Customer SIRET 55210055400013", errors)


@tagged("post_install", "-at_install")
class TestChorusProSending(PlatformCase):
    def test_a_public_buyers_invoice_waits_for_the_chorus_pro_service_code_and_commitment(self):
        self.pa.register("552100554", "Boulangerie Martin SARL", public=True)
        self.customer.siret = "55210055400013"
        move = self.issued_invoice()
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "to_send")
        for named in ("public buyer", "Buyer Reference", "Purchase Order Reference"):
            self.assertIn(named, move.o2c_pa_message)
        self.assertFalse(move.invoice_pdf_report_id, "no Factur-X issued without what the public buyer requires")
        move.buyer_reference = "SERV-EXEC-12"
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "to_send")
        self.assertIn("Purchase Order Reference", move.o2c_pa_message)
        self.assertNotIn("Buyer Reference", move.o2c_pa_message)
        move.purchase_order_reference = "EJ-2026-0042"
        self.send_queued()
        self.assertEqual(move.o2c_pa_state, "sent")
        _name, xml = facturx.get_facturx_xml_from_pdf(self.pa.flows[-1]["content"], check_xsd=False)
        self.assertEqual([xpath(xml, path) for path in REFERENCES[:2]], [["SERV-EXEC-12"], ["EJ-2026-0042"]])
        self.assertEqual(xpath(xml, f"{BUYER}/ram:GlobalID[@schemeID='0009']"), ["55210055400013"])
