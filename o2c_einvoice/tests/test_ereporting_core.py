"""Pure core of e-reporting (no database): declaration periods per VAT regime, the amounts of a consumer sale
and of a payment on services taxed on receipts (hand-computed), and the Flux 10 checks refusing bad data."""

from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D

import pyfrctc
from lxml import etree

from odoo.addons.o2c_einvoice.facturx import ereporting as er
from odoo.addons.o2c_einvoice.facturx import platform as pf
from odoo.addons.o2c_einvoice.facturx.document import Address, Party
from odoo.addons.o2c_einvoice.facturx.ereporting import FRR_SCHEMATRON_FILE
from odoo.addons.o2c_einvoice.facturx.validation import CDAR_SCHEMATRON_FILE, check_schematron
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


class TestLeanSchematronsOfTheOtherFlows(BaseCase):
    """The lifecycle statuses (CDAR) and the e-reporting (Flux 10) are checked by the same leaner compilation of
    their schematrons as the Factur-X: on valid and broken documents it reports the same violations, rule by
    rule, with the same messages and locations, as the stylesheets as shipped."""

    def assert_same_violations(self, documents, schematron, source):
        for name, xml in documents:
            with self.subTest(document=name):
                ours = check_schematron(xml, schematron, source)
                shipped = check_schematron(xml, schematron, source, as_shipped=True)
                self.assertEqual(Counter(ours), Counter(shipped))

    def test_cdar_statuses_valid_and_broken(self):
        seller = pf.Party("732829320", "Atelier Durand SAS", "SE", "732829320")
        buyer = pf.Party("552100554", "Client SA", "BY", "552100554")
        paid = pf.OutgoingStatus(
            message_id="CDV-1", issued_at=ISSUED, status_code="212", status_name="Encaissée",
            invoice_number="F2026-0042", invoice_date=date(2026, 9, 15), invoice_type_code="380",
            sender=seller, recipient=buyer, paid_amounts=((D("600.00"), D("20")), (D("110.00"), D("10"))),
        )  # fmt: skip
        refused = replace(
            paid, message_id="CDV-2", status_code="210", status_name="Refusée", sender=buyer, recipient=seller,
            reason_code="TX_TVA_ERR", reason="Taux de TVA erroné", paid_amounts=(),
        )  # fmt: skip
        documents = []
        for status in (paid, refused):
            xml = pf.build_status_cdar(status)
            documents += [
                (f"{status.status_code}", xml),
                (f"{status.status_code} unknown status", xml.replace(f">{status.status_code}<".encode(), b">999<", 1)),
                (f"{status.status_code} bad SIREN", xml.replace(b">732829320<", b">73282932<", 1)),
                (f"{status.status_code} bad currency", xml.replace(b'currencyID="EUR"', b'currencyID="EUX"', 1)),
                (f"{status.status_code} bad type", xml.replace(b">380<", b">999<", 1)),
                (f"{status.status_code} bad role", xml.replace(b">SE<", b">ZZ<", 1)),
            ]
        self.assertTrue(any(check_schematron(xml, CDAR_SCHEMATRON_FILE, "cdar") for _name, xml in documents[1:]),
                        "some breakage must be caught, or the comparison proves nothing")  # fmt: skip
        self.assert_same_violations(documents, CDAR_SCHEMATRON_FILE, "cdar")

    def test_ereporting_transactions_and_payments_valid_and_broken(self):
        sale = er.ReportedInvoice(make_invoice(b2b_domestic=False, buyer=CONSUMER))
        abroad = er.ReportedInvoice(make_invoice(lines=(CONSULTING,), b2b_domestic=False, buyer=GERMAN_BUYER))
        period = (date(2026, 9, 11), date(2026, 9, 20))
        bad = replace(DECLARANT, platform_number="42")
        payment = er.Payment(sale, date(2026, 9, 25), D("690.00"))
        datas = {
            "transactions": er.transactions_data(DECLARANT, "o2c-T-1", ISSUED, *period, [sale, abroad]),
            "transactions, bad platform": er.transactions_data(bad, "o2c-T-2", ISSUED, *period, [sale]),
            "transactions, dates swapped": er.transactions_data(
                DECLARANT, "o2c T3 (n°3)", ISSUED, *period[::-1], [sale]
            ),
            "payments": er.payments_data(DECLARANT, "o2c-P-1", ISSUED, date(2026, 9, 1), date(2026, 9, 30), [payment]),
        }
        documents = []
        for name, data in datas.items():
            generate = pyfrctc.generate_ereporting_payments if name == "payments" else (
                pyfrctc.generate_ereporting_transactions
            )  # fmt: skip
            xml = generate(data, check_xsd=False)
            documents += [(name, xml), (f"{name}, bad currency", xml.replace(b">EUR<", b">EUX<"))]
        self.assertTrue(any(check_schematron(xml, FRR_SCHEMATRON_FILE, "ereporting") for _name, xml in documents),
                        "some breakage must be caught, or the comparison proves nothing")  # fmt: skip
        self.assert_same_violations(documents, FRR_SCHEMATRON_FILE, "ereporting")
