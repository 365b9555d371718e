"""Pure core of e-reporting (no database): declaration periods per VAT regime, the amounts of a consumer sale
and of a payment on services taxed on receipts (hand-computed), and the Flux 10 checks refusing bad data."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D

from lxml import etree

from odoo.addons.o2c_einvoice.facturx import ereporting as er
from odoo.addons.o2c_einvoice.facturx.document import Address, Party
from odoo.tests import BaseCase

from .facturx_samples import CONSULTING, KEYBOARD, make_invoice

DECLARANT = er.Declarant("732829320", "Atelier Durand SAS", "0042", "PA locale")
CONSUMER = Party("Jean Dupont", Address(city="Lyon", country_code="FR"), is_company=False)
GERMAN_BUYER = Party("Bäckerei Müller GmbH", Address(city="Berlin", country_code="DE"), vat="DE123456789")
ISSUED = datetime(2026, 9, 21, 8, 0, 0)


def texts(xml, path):
    return [node.text for node in etree.fromstring(xml).xpath(path)]


class TestEreportingCore(BaseCase):
    def test_periods_follow_the_vat_regime(self):
        # Monthly normal regime: transactions by ten days (deadline ten days later), payments by month.
        self.assertEqual(
            er.closed_periods(date(2026, 9, 5), "transactions", "1", date(2026, 10, 1)),
            [(date(2026, 9, 1), date(2026, 9, 10), date(2026, 9, 20)),
             (date(2026, 9, 11), date(2026, 9, 20), date(2026, 9, 30)),
             (date(2026, 9, 21), date(2026, 9, 30), date(2026, 10, 10))],
        )  # fmt: skip
        self.assertEqual(
            er.closed_periods(date(2026, 9, 5), "payments", "1", date(2026, 10, 1)),
            [(date(2026, 9, 1), date(2026, 9, 30), date(2026, 10, 10))],
        )
        # Simplified regime: a month, due at the end of the next one; a month not over is not declared.
        self.assertEqual(
            er.closed_periods(date(2026, 9, 1), "transactions", "12", date(2026, 10, 31)),
            [(date(2026, 9, 1), date(2026, 9, 30), date(2026, 10, 31))],
        )
        # Under the VAT-free threshold: two months starting in an odd month.
        self.assertEqual(
            er.closed_periods(date(2026, 10, 15), "payments", "franchise", date(2026, 11, 1)),
            [(date(2026, 9, 1), date(2026, 10, 31), date(2026, 11, 30))],
        )

    def test_scope_leaves_out_domestic_b2b_invoices(self):
        self.assertEqual(er.reporting_scope(make_invoice()), "b2b")
        self.assertEqual(er.reporting_scope(make_invoice(b2b_domestic=False, buyer=CONSUMER)), "consumer")
        self.assertEqual(er.reporting_scope(make_invoice(b2b_domestic=False, buyer=GERMAN_BUYER)), "international")

    def test_consumer_sale_is_reported_in_daily_totals_per_category(self):
        # 1,000.00 of consulting (VAT 20 % due on payment) and 150.00 of keyboards (VAT 20 %) to a consumer.
        sale = er.ReportedInvoice(make_invoice(b2b_domestic=False, buyer=CONSUMER))
        data = er.transactions_data(DECLARANT, "o2c-T-1", ISSUED, date(2026, 9, 11), date(2026, 9, 20), [sale])
        xml = er.build_report("transactions", data)
        self.assertEqual(texts(xml, "//Transactions/CategoryCode"), ["TLB1", "TPS1"])
        self.assertEqual(texts(xml, "//Transactions/TaxExclusiveAmount"), ["150.00", "1000.00"])
        self.assertEqual(texts(xml, "//Transactions/TaxTotal"), ["30.00", "200.00"])
        self.assertEqual(texts(xml, "//Transactions/TaxDueDateTypeCode"), ["72"])
        self.assertEqual(texts(xml, "//Transactions/Date"), ["20260915", "20260915"])
        self.assertEqual(texts(xml, "//Issuer/Id"), ["732829320"])
        self.assertEqual(texts(xml, "//Sender/Id"), ["0042"])

    def test_credit_note_to_a_consumer_takes_off_the_day_s_total(self):
        sale = er.ReportedInvoice(make_invoice(lines=(KEYBOARD,), b2b_domestic=False, buyer=CONSUMER))
        refund = er.ReportedInvoice(
            make_invoice(lines=(KEYBOARD,), number="AV2026-0001", type_code="381", b2b_domestic=False,
                         buyer=CONSUMER, preceding_invoice_number="F2026-0042",
                         preceding_invoice_date=date(2026, 9, 15))
        )  # fmt: skip
        data = er.transactions_data(DECLARANT, "o2c-T-2", ISSUED, date(2026, 9, 11), date(2026, 9, 20),
                                    [sale, refund])  # fmt: skip
        xml = er.build_report("transactions", data)
        self.assertEqual(texts(xml, "//Transactions/TaxExclusiveAmount"), ["0.00"])
        self.assertEqual(texts(xml, "//Transactions/TransactionsCount"), ["2"])

    def test_payment_on_services_is_reported_per_rate_tax_included(self):
        # Invoice of 1,000.00 consulting + 150.00 keyboards, VAT 20 %: 1,380.00. 690.00 received (half):
        # half of the consulting's 1,200.00 tax included, the keyboards' VAT is due on delivery.
        invoice = er.ReportedInvoice(make_invoice(b2b_domestic=False, buyer=CONSUMER))
        payment = er.Payment(invoice, date(2026, 9, 25), D("690.00"))
        self.assertEqual(er.paid_by_rate(payment), {D("20"): D("600.00")})
        data = er.payments_data(DECLARANT, "o2c-P-1", ISSUED, date(2026, 9, 1), date(2026, 9, 30), [payment])
        xml = er.build_report("payments", data)
        self.assertEqual(texts(xml, "//Transactions/Payment/Date"), ["20260925"])
        self.assertEqual(texts(xml, "//Transactions/Payment/SubTotals/Amount"), ["600.00"])
        self.assertEqual(texts(xml, "//Transactions/Payment/SubTotals/TaxPercent"), ["20.00"])

    def test_international_b2b_invoice_is_reported_alone_with_its_buyer(self):
        invoice = er.ReportedInvoice(make_invoice(lines=(CONSULTING,), b2b_domestic=False, buyer=GERMAN_BUYER))
        data = er.transactions_data(DECLARANT, "o2c-T-3", ISSUED, date(2026, 9, 11), date(2026, 9, 20), [invoice])
        xml = er.build_report("transactions", data)
        self.assertEqual(texts(xml, "//Invoice/ID"), ["F2026-0042"])
        self.assertEqual(texts(xml, "//Invoice/Buyer/CompanyId"), ["DE123456789"])
        self.assertEqual(etree.fromstring(xml).xpath("//Invoice/Buyer/CompanyId/@schemeId"), ["0223"])
        self.assertEqual(texts(xml, "//Invoice/MonetaryTotal/TaxExclusiveAmount"), ["1000.00"])
        without_vat = replace(invoice.invoice, buyer=replace(GERMAN_BUYER, vat=""))
        self.assertEqual(er.invoice_errors(er.ReportedInvoice(without_vat)), ["buyer_identifier"])

    def test_the_flux_10_schematron_refuses_bad_data(self):
        sale = er.ReportedInvoice(make_invoice(b2b_domestic=False, buyer=CONSUMER))
        bad = replace(DECLARANT, platform_number="42")
        self.assertEqual(er.declarant_errors(bad), ["platform_number"])
        data = er.transactions_data(bad, "o2c-T-4", ISSUED, date(2026, 9, 11), date(2026, 9, 20), [sale])
        with self.assertRaises(er.ReportInvalid) as caught:
            er.build_report("transactions", data)
        self.assertTrue(any("G6.22" in error for error in caught.exception.errors), caught.exception.errors)
        data = er.transactions_data(DECLARANT, "o2c T4 (rapport n°4)", ISSUED, date(2026, 9, 20), date(2026, 9, 11),
                                    [sale])  # fmt: skip
        with self.assertRaises(er.ReportInvalid) as caught:
            er.build_report("transactions", data)
        errors = "\n".join(caught.exception.errors)
        self.assertIn("G6.25", errors)
        self.assertIn("G1.104", errors)
