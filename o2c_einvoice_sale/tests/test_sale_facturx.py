"""Invoices made from sale orders: the customer's order reference is BT-13, and Odoo's down-payment wizard gives
a down payment invoice 386 and a final invoice B4/S4/M4 that deducts it, each Factur-X passing every validator
with Odoo's amounts to the cent."""

from odoo import Command
from odoo.addons.o2c_einvoice.tests.facts_common import FactsCase, xpath
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSaleFacturx(FactsCase):
    def order(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "client_order_ref": "BC-CLIENT-2026-31",
             "payment_term_id": self.term_30.id,
             "order_line": [Command.create({"product_id": self.goods.id, "product_uom_qty": 1, "price_unit": 1000}),
                            Command.create({"product_id": self.service.id, "product_uom_qty": 2, "price_unit": 300})]}
        )  # fmt: skip
        order.action_confirm()
        return order

    def invoice(self, order, **wizard_values):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create(wizard_values or {"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        move = order.invoice_ids.sorted("id")[-1]
        move.write({"invoice_date": "2026-09-15", "partner_bank_id": self.bank_account.id})
        move.action_post()
        return move

    def test_invoice_of_a_sale_order_states_the_customer_order_reference_as_bt13(self):
        order = self.order()
        for line in order.order_line:
            line.qty_delivered = line.product_uom_qty
        move = self.invoice(order)
        self.assertEqual(move.o2c_einvoice_order_ref, "BC-CLIENT-2026-31")
        xml = self.assert_true_facturx(move)
        self.assertEqual(xpath(xml, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"), ["BC-CLIENT-2026-31"])

    def test_down_payment_wizard_gives_a_386_then_a_final_invoice_that_deducts_it(self):
        order = self.order()
        deposit = self.invoice(order, advance_payment_method="percentage", amount=30)
        xml = self.assert_true_facturx(deposit)
        self.assertEqual(xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode"), ["386"])
        for line in order.order_line.filtered("product_id"):
            line.qty_delivered = line.product_uom_qty
        final = self.invoice(order)
        self.assertTrue(final.invoice_line_ids.filtered("is_downpayment"))
        xml = self.assert_true_facturx(final)
        self.assertEqual(xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode"), ["380"])
        self.assertEqual(xpath(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"), ["M4"])
        self.assert_final_invoice_deducts_the_down_payment_with_its_vat(final, deposit, xml)
        # EN 16931 BT-25/BT-26: a final invoice refers to the prepayment invoices it deducts.
        reference = "//ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument"
        self.assertEqual(xpath(xml, f"{reference}/ram:IssuerAssignedID"), [deposit.name])
        self.assertEqual(xpath(xml, f"{reference}//qdt:DateTimeString"), ["20260915"])

    def test_two_down_payments_are_each_deducted_and_referenced(self):
        order = self.order()
        first = self.invoice(order, advance_payment_method="percentage", amount=20)
        second = self.invoice(order, advance_payment_method="fixed", fixed_amount=240)
        for line in order.order_line.filtered("product_id"):
            line.qty_delivered = line.product_uom_qty
        final = self.invoice(order)
        xml = self.assert_true_facturx(final)
        self.assert_final_invoice_deducts_the_down_payment_with_its_vat(final, first | second, xml)
        reference = "//ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
        self.assertEqual(xpath(xml, reference), [first.name, second.name])
