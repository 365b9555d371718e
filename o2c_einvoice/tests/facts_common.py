"""Helpers of the tests on the facts a Factur-X states: French chart taxes, foreign customers, and the
assertion that a posted invoice's Factur-X passes every validator and equals Odoo's amounts to the cent."""

from collections import defaultdict
from decimal import Decimal

from lxml import etree

from odoo.addons.o2c_einvoice.facturx.cii import NS, build_cii
from odoo.addons.o2c_einvoice.facturx.document import PROFILES
from odoo.addons.o2c_einvoice.facturx.validation import validate_facturx
from odoo.tools import float_repr

from .common import EinvoiceCase


def xpath(xml, path):
    return [n if isinstance(n, str) else (n.text or "") for n in etree.fromstring(xml).xpath(path, namespaces=NS)]


def money(value):
    return Decimal(float_repr(value, 2))


class FactsCase(EinvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company

        def fr_tax(xmlid):
            tax = cls.env.ref(f"account.{company.id}_{xmlid}")
            tax.active = True
            return tax

        cls.fr_tax = staticmethod(fr_tax)
        cls.goods20, cls.goods10, cls.goods55 = (
            fr_tax("tva_normale"),
            fr_tax("tva_intermediaire"),
            fr_tax("tva_reduite"),
        )
        cls.goods20_included = fr_tax("tva_normale_ttc")
        cls.services20, cls.services10 = fr_tax("tva_normale_encaissement"), fr_tax("tva_intermediaire_encaissement")
        cls.exempt_goods, cls.export_goods = fr_tax("tva_sale_good_0"), fr_tax("tva_sale_good_export_0")
        cls.intra_goods, cls.intra_services = fr_tax("tva_sale_good_intra_0"), fr_tax("tva_sale_service_intra_0")
        cls.export_services, cls.exempt_services = fr_tax("tva_sale_service_export_0"), fr_tax("tva_sale_service_0")
        cls.german_customer = cls.env["res.partner"].create(
            {"name": "Bäckerei Müller GmbH", "is_company": True, "vat": "DE136695976", "street": "Hauptstraße 5",
             "zip": "10115", "city": "Berlin", "country_id": cls.env.ref("base.de").id, "email": "rechnung@mueller.de"}
        )  # fmt: skip
        cls.us_customer = cls.env["res.partner"].create(
            {"name": "Bakery Smith Inc.", "is_company": True, "street": "5 Main Street", "zip": "10001",
             "city": "New York", "country_id": cls.env.ref("base.us").id, "email": "ap@smith.example"}
        )  # fmt: skip

    def account(self, prefix):
        """The company's account whose code starts with ``prefix``."""
        return self.env["account.account"].search(
            [("code", "=like", f"{prefix}%"), ("company_ids", "in", self.company.id)], limit=1
        )

    def line(self, tax, product=None, quantity=1, price=100, **values):
        """Values of an invoice line of ``product`` (or none) taxed with ``tax``."""
        if product:
            values["product_id"] = product.id
        return {"quantity": quantity, "price_unit": price, "tax_ids": [(6, 0, tax.ids)], **values}

    def post(self, lines, partner=None, **values):
        """Post a customer invoice of ``lines`` (line values) for ``partner``."""
        move = self.make_invoice(products=self.env["product.product"], partner=partner, **values)
        move.invoice_line_ids = [(0, 0, line) for line in lines]
        move.action_post()
        return move

    def document(self, move):
        return move._o2c_einvoice_documents()[move][0]

    def assert_true_facturx(self, move, profiles=PROFILES):
        """Assert that ``move`` issues (no blocking check), that its Factur-X at every profile of ``profiles``
        passes every validator, and that its totals and VAT breakdown per rate are Odoo's to the cent. Returns
        the EN 16931 XML (or the last profile's)."""
        self.assertEqual(move._o2c_einvoice_prepare()[move]["errors"], [])
        invoice = self.document(move)
        xmls = {}
        for profile in profiles:
            xmls[profile] = build_cii(invoice, profile)
            self.assertEqual(validate_facturx(xmls[profile], profile, french_b2b=invoice.b2b_domestic), [], profile)
        xml = xmls.get("en16931") or xmls[profiles[-1]]
        self.assert_amounts_are_odoo(move, xml)
        return xml

    def assert_amounts_are_odoo(self, move, xml):
        """The XML's totals and per-rate VAT breakdown equal Odoo's amounts of ``move`` to the cent."""
        sign = move.direction_sign
        roundings = move.line_ids.filtered(lambda line: line.display_type == "rounding")
        rounding = sum(line.amount_currency * sign for line in roundings)
        rounding_untaxed = sum(line.amount_currency * sign for line in roundings if not line.tax_repartition_line_id)

        def amount(path):
            found = xpath(xml, f"//ram:SpecifiedTradeSettlementHeaderMonetarySummation/{path}")
            return Decimal(found[0]) if found else Decimal(0)

        currency = move.currency_id.name
        # BT-115 is Odoo's total less what the customer paid before the invoice was issued (BT-113).
        self.assertEqual(amount("ram:DuePayableAmount") + amount("ram:TotalPrepaidAmount"), money(move.amount_total))
        self.assertEqual(amount("ram:LineTotalAmount") + money(rounding_untaxed), money(move.amount_untaxed))
        self.assertEqual(amount("ram:TaxBasisTotalAmount") + money(rounding_untaxed), money(move.amount_untaxed))
        self.assertEqual(
            amount(f"ram:TaxTotalAmount[@currencyID='{currency}']") + money(rounding - rounding_untaxed),
            money(move.amount_tax),
        )
        self.assertEqual(amount("ram:RoundingAmount"), money(rounding))
        expected = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            expected[money(line.tax_ids[:1].amount)][0] += money(line.price_subtotal)
        for line in move.line_ids.filtered(lambda line: line.display_type == "tax"):
            expected[money(line.tax_line_id.amount)][1] += money(line.amount_currency * sign)
        actual = defaultdict(lambda: [Decimal(0), Decimal(0)])
        root = etree.fromstring(xml)
        for block in root.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=NS):
            rate = Decimal(block.findtext("ram:RateApplicablePercent", "0", NS)).quantize(Decimal("0.01"))
            actual[rate][0] += Decimal(block.findtext("ram:BasisAmount", namespaces=NS))
            actual[rate][1] += Decimal(block.findtext("ram:CalculatedAmount", namespaces=NS))
        self.assertEqual(dict(actual), dict(expected))

    def assert_final_invoice_deducts_the_down_payment_with_its_vat(self, final, deposits, xml):
        """The deduction is a negative line with its VAT, as the books have it (French e-invoicing use case 21,
        option 1): the final invoice's VAT and the down payments' add up to the VAT of the whole supply, which the
        administration's pre-filled VAT return sums; BT-112 is already net of the down payments, so BT-113 stays
        0 and BT-115 = BT-112 - BT-113 + BT-114 (BR-CO-16) is what Odoo claims."""
        summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
        due = f"{final.amount_total:.2f}"
        for name, expected in (("GrandTotalAmount", due), ("TotalPrepaidAmount", "0.00"), ("DuePayableAmount", due)):
            self.assertEqual(xpath(xml, f"{summation}/ram:{name}"), [expected], name)
        totals = (
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        )
        deductions = etree.fromstring(xml).xpath(f"//ram:IncludedSupplyChainTradeLineItem[{totals} < 0]", namespaces=NS)
        self.assertEqual(len(deductions), len(final.invoice_line_ids.filtered(lambda line: line.price_subtotal < 0)))
        for deduction in deductions:
            self.assertLess(Decimal(deduction.findtext(".//ram:BilledQuantity", namespaces=NS)), 0)
        blocks = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount"
        supplied = final.invoice_line_ids.filtered(lambda line: line.price_subtotal > 0)
        self.assertEqual(
            sum(Decimal(amount) for amount in xpath(xml, blocks)) + sum(money(d.amount_tax) for d in deposits),
            sum(money(line.price_total - line.price_subtotal) for line in supplied),
        )
