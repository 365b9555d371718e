"""Every Odoo invoicing feature comes through the Factur-X (issue 12, items 4, 5, 6 and 8): credit notes,
references, prices including VAT, cash rounding, early payment discounts, instalments and down payments; each
on a real posted invoice, checked by every validator and against Odoo's amounts to the cent."""

from odoo import Command
from odoo.tests import tagged

from .facts_common import FactsCase, xpath

SUMMATION = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
PROCESS = "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"


@tagged("post_install", "-at_install")
class TestFacturxInvoicingFeatures(FactsCase):
    def reverse(self, invoice):
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Retour", "journal_id": invoice.journal_id.id, "date": "2026-09-20"})
        )
        credit = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        credit.action_post()
        return credit

    def test_credit_note_is_valid_at_every_profile_and_references_the_corrected_invoice(self):
        invoice = self.make_invoice(post=True, o2c_einvoice_order_ref="PO-77")
        credit = self.reverse(invoice)
        self.assertIn("Reversal", credit.ref or "")
        xml = self.assert_true_facturx(credit)
        self.assertEqual(xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode"), ["381"])
        self.assertEqual(xpath(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"), [invoice.name])
        self.assertEqual(xpath(xml, "//ram:InvoiceReferencedDocument//qdt:DateTimeString"), ["20260915"])
        self.assertTrue(xpath(xml, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"))
        # Odoo's "Reversal of ..." is never the buyer's order reference.
        self.assertNotIn(credit.ref, xpath(xml, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"))

    def test_order_reference_bt13_is_the_customer_order_ref_and_bt10_the_customer_reference(self):
        self.customer.ref = "CLI-0042"
        move = self.make_invoice(post=True, ref="note interne", o2c_einvoice_order_ref="BC-2026-9")
        xml = self.assert_true_facturx(move)
        self.assertEqual(xpath(xml, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"), ["BC-2026-9"])
        self.assertEqual(xpath(xml, "//ram:BuyerReference"), ["CLI-0042"])
        plain = self.make_invoice(post=True, ref="note interne")
        self.assertEqual(xpath(self.assert_true_facturx(plain), "//ram:BuyerOrderReferencedDocument"), [])

    def test_prices_including_vat_are_written_without_vat(self):
        move = self.post([self.line(self.goods20_included, self.goods, 3, 120.0, discount=10)])
        xml = self.assert_true_facturx(move)
        line = move.invoice_line_ids
        self.assertAlmostEqual(line.price_subtotal, 270.0)
        self.assertEqual(xpath(xml, "//ram:NetPriceProductTradePrice/ram:ChargeAmount"), ["90.00"])
        self.assertEqual(xpath(xml, "//ram:GrossPriceProductTradePrice/ram:ChargeAmount"), ["100.00"])
        self.assertEqual(xpath(xml, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"),
                         ["270.00"])  # fmt: skip

    def test_cash_rounding_is_written_as_bt114_and_the_totals_add_up(self):
        profit, loss = self.account("7588") or self.account("75"), self.account("6588") or self.account("65")
        for strategy in ("add_invoice_line", "biggest_tax"):
            with self.subTest(strategy=strategy):
                rounding = self.env["account.cash.rounding"].create(
                    {"name": f"0,05 {strategy}", "rounding": 0.05, "strategy": strategy, "rounding_method": "HALF-UP",
                     "profit_account_id": profit.id, "loss_account_id": loss.id}
                )  # fmt: skip
                move = self.post(
                    [self.line(self.goods20, self.goods, 1, 10.01), self.line(self.services10, self.service, 1, 3.37)],
                    invoice_cash_rounding_id=rounding.id,
                )
                self.assertTrue(move.line_ids.filtered(lambda line: line.display_type == "rounding"))
                xml = self.assert_true_facturx(move, profiles=("en16931", "extended"))
                self.assertTrue(xpath(xml, f"{SUMMATION}/ram:RoundingAmount"))

    def test_early_payment_discount_is_stated_in_the_payment_terms_note(self):
        term = self.env["account.payment.term"].create(
            {"name": "30 jours, escompte 2 % à 10 jours", "early_discount": True, "discount_percentage": 2,
             "discount_days": 10,
             "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})]}
        )  # fmt: skip
        move = self.make_invoice(post=True, invoice_payment_term_id=term.id)
        xml = self.assert_true_facturx(move)
        note = xpath(xml, "//ram:IncludedNote[ram:SubjectCode='AAB']/ram:Content")
        self.assertEqual(note, ["Escompte de 2 % pour paiement sous 10 jours (avant le 25/09/2026)."])
        self.assertEqual(move.o2c_einvoice_discount_mention, note[0])
        plain = self.make_invoice(post=True)
        aab = "//ram:IncludedNote[ram:SubjectCode='AAB']/ram:Content"
        self.assertEqual(xpath(self.assert_true_facturx(plain), aab), [self.company.o2c_einvoice_discount_note])

    def test_instalments_state_every_due_date_and_amount(self):
        term = self.env["account.payment.term"].create(
            {"name": "30 % comptant, solde à 30 jours", "line_ids": [
                Command.create({"value": "percent", "value_amount": 30, "nb_days": 0}),
                Command.create({"value": "percent", "value_amount": 70, "nb_days": 30})]}
        )  # fmt: skip
        move = self.make_invoice(post=True, invoice_payment_term_id=term.id)
        self.assertAlmostEqual(move.amount_total, 1800.0)
        xml = self.assert_true_facturx(move, profiles=("basic", "en16931"))
        description = xpath(xml, "//ram:SpecifiedTradePaymentTerms/ram:Description")[0]
        self.assertIn("540.00 EUR le 15/09/2026", description)
        self.assertIn("1260.00 EUR le 15/10/2026", description)
        extended = self.assert_true_facturx(move, profiles=("extended",))
        self.assertEqual(xpath(extended, "//ram:SpecifiedTradePaymentTerms/ram:PartialPaymentAmount"),
                         ["540.00", "1260.00"])  # fmt: skip
        self.assertEqual(xpath(extended, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"),
                         ["20260915", "20261015"])  # fmt: skip

    def test_down_payment_on_account_4191_is_a_386_and_the_final_invoice_deducts_it(self):
        down_payment_account = self.account("4191")
        deposit = self.post([self.line(self.goods20, None, 1, 300.0, name="Acompte 30 %",
                                       account_id=down_payment_account.id)])  # fmt: skip
        xml = self.assert_true_facturx(deposit)
        self.assertEqual(xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode"), ["386"])
        self.assertEqual(xpath(xml, PROCESS), ["B1"])
        final = self.post(
            [self.line(self.goods20, self.goods, 1, 1000.0),
             self.line(self.goods20, None, -1, 300.0, name="Déduction", account_id=down_payment_account.id)]
        )  # fmt: skip
        xml = self.assert_true_facturx(final)
        self.assertEqual(xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode"), ["380"])
        self.assertEqual(xpath(xml, PROCESS), ["B4"])
        self.assert_final_invoice_deducts_the_down_payment_with_its_vat(final, deposit, xml)

    def pay(self, invoice, amount, date):
        """A customer payment of ``amount`` on ``date``, posted and matched with ``invoice``."""
        journals = self.env["account.journal"]
        bank = journals.search([("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1)
        payment = self.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": invoice.partner_id.id,
             "amount": amount, "date": date, "journal_id": bank.id}
        )  # fmt: skip
        payment.action_post()
        (payment.move_id.line_ids | invoice.line_ids).filtered(
            lambda line: line.account_id == invoice.partner_id.property_account_receivable_id and not line.reconciled
        ).reconcile()
        return payment

    def test_a_payment_received_before_issue_is_the_prepaid_amount_bt113(self):
        """A quotation paid online, or a payment received before the invoice and matched with it: the invoice
        states the whole supply (BT-112), what was paid (BT-113) and what remains due (BT-115). A payment
        received after the invoice date is not a fact of the invoice: a later print states what was issued."""
        invoice = self.post([self.line(self.goods20, self.goods, 1, 1000.0)])
        self.pay(invoice, 500.0, "2026-09-01")
        xml = self.assert_true_facturx(invoice)
        for name, expected in (("GrandTotalAmount", "1200.00"), ("TotalPrepaidAmount", "500.00"),
                               ("DuePayableAmount", "700.00")):  # fmt: skip
            self.assertEqual(xpath(xml, f"{SUMMATION}/ram:{name}"), [expected], name)
        self.pay(invoice, 700.0, "2026-09-20")
        self.assertEqual(invoice.payment_state, "paid")
        xml = self.assert_true_facturx(invoice)
        self.assertEqual(xpath(xml, f"{SUMMATION}/ram:TotalPrepaidAmount"), ["500.00"])
        self.assertEqual(xpath(xml, f"{SUMMATION}/ram:DuePayableAmount"), ["700.00"])

    def test_invoice_assigned_to_a_factor_names_the_factor_as_payee_bg10(self):
        factor = self.env["res.partner"].create(
            {"name": "Affacturage Lyonnais SA", "is_company": True, "company_registry": "443061841",
             "vat": "FR64443061841", "street": "1 place Bellecour", "zip": "69002", "city": "Lyon",
             "country_id": self.env.ref("base.fr").id}
        )  # fmt: skip
        factor_account = self.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": factor.id}
        )
        move = self.make_invoice(post=True, partner_bank_id=factor_account.id)
        xml = self.assert_true_facturx(move)
        self.assertEqual(xpath(xml, "//ram:PayeeTradeParty/ram:Name"), ["Affacturage Lyonnais SA"])
        self.assertEqual(xpath(xml, "//ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:ID"), ["443061841"])
        plain = self.make_invoice(post=True)
        self.assertEqual(xpath(self.assert_true_facturx(plain), "//ram:PayeeTradeParty"), [])
