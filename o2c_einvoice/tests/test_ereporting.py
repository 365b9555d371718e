"""E-reporting from the ledger through the local approved platform: a consumer sale and a payment on services
taxed on receipts give the hand-computed amounts of their period, bad data is refused with a clear message,
the deposit happens once even when its answer is lost, and the platform's acknowledgement is kept."""

import base64
from datetime import date

from lxml import etree

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .platform_common import PlatformCase


@tagged("post_install", "-at_install")
class TestEreporting(PlatformCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platform.ereporting_number = "0042"
        cls.company.write({"o2c_vat_periodicity": "1", "o2c_ereporting_start": date(2026, 9, 1)})
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Jean Dupont", "street": "3 rue Neuve", "zip": "69001", "city": "Lyon",
             "country_id": cls.env.ref("base.fr").id}
        )  # fmt: skip
        cls.german = cls.env["res.partner"].create(
            {"name": "Bäckerei Müller GmbH", "is_company": True, "vat": "DE123456788", "city": "Berlin",
             "country_id": cls.env.ref("base.de").id}
        )  # fmt: skip

    def report(self, kind, start, end):
        return self.env["o2c.einvoice.ereport"].create(
            {"kind": kind, "date_start": start, "date_end": end, "company_id": self.company.id}
        )

    def xml(self, report):
        return etree.fromstring(base64.b64decode(report.report_file))

    def pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": day}
        ).action_create_payments()

    def test_consumer_sale_and_buyer_abroad_give_the_period_s_transactions(self):
        # To a consumer on 15 September: oven 1,200.00 + VAT 20 % (goods) and maintenance 300.00 + VAT 20 %
        # due on payment (services); to a German company, maintenance 300.00 (VAT reverse-charged). Both in the
        # 11-20 September period of the monthly regime; the domestic B2B invoice and the sale of the 21st are not.
        self.make_invoice(partner=self.consumer, post=True)
        self.make_invoice(self.service, partner=self.german, post=True)
        self.make_invoice(post=True)
        self.make_invoice(self.goods, partner=self.consumer, post=True, invoice_date="2026-09-21")
        report = self.report("transactions", date(2026, 9, 11), date(2026, 9, 20))
        report.action_prepare()
        self.assertEqual(report.state, "ready", report.errors)
        xml = self.xml(report)
        aggregated = {
            node.findtext("CategoryCode"): (node.findtext("TaxExclusiveAmount"), node.findtext("TaxTotal"),
                                            node.findtext("TransactionsCount"), node.findtext("TaxDueDateTypeCode"))
            for node in xml.iter("Transactions")
        }  # fmt: skip
        self.assertEqual(aggregated, {"TLB1": ("1200.00", "240.00", "1", None), "TPS1": ("300.00", "60.00", "1", "72")})
        [invoice] = xml.iter("Invoice")
        self.assertEqual(invoice.findtext("Buyer/CompanyId"), "DE123456788")
        self.assertEqual(invoice.findtext("MonetaryTotal/TaxExclusiveAmount"), "300.00")
        # The German company pays no French VAT: the intra-EU fiscal position reverse-charges it.
        self.assertEqual(invoice.findtext("MonetaryTotal/TaxAmount"), "0.00")
        self.assertEqual((report.amount_untaxed, report.amount_tax, report.transaction_count), (1800.0, 300.0, 3))

    def test_payment_on_services_taxed_on_receipts_is_reported_in_its_month(self):
        # Maintenance 300.00 + 60.00 VAT due on payment, 180.00 received on 25 September: 180.00 at 20 %.
        # The oven's VAT is due on delivery: its payment is not reported; nor is a domestic B2B payment.
        service = self.make_invoice(self.service, partner=self.consumer, post=True)
        oven = self.make_invoice(self.goods, partner=self.consumer, post=True)
        domestic = self.make_invoice(self.service, post=True)
        self.pay(service, 180.0, date(2026, 9, 25))
        self.pay(oven, 1440.0, date(2026, 9, 25))
        self.pay(domestic, 360.0, date(2026, 9, 25))
        self.pay(service, 180.0, date(2026, 10, 2))
        report = self.report("payments", date(2026, 9, 1), date(2026, 9, 30))
        report.action_prepare()
        self.assertEqual(report.state, "ready", report.errors)
        xml = self.xml(report)
        self.assertEqual([node.text for node in xml.iter("Date")], ["20260925"])
        self.assertEqual([node.text for node in xml.iterfind(".//SubTotals/Amount")], ["180.00"])
        self.assertEqual([node.text for node in xml.iterfind(".//SubTotals/TaxPercent")], ["20.00"])
        self.assertEqual(report.amount_received, 180.0)

    def test_invalid_data_is_refused_with_a_clear_message_and_not_sent(self):
        self.make_invoice(self.service, partner=self.german.copy({"vat": False}), post=True)
        self.platform.ereporting_number = False
        report = self.report("transactions", date(2026, 9, 11), date(2026, 9, 20))
        report.action_prepare()
        self.assertEqual(report.state, "error")
        self.assertIn("4-character registration number of the platform", report.errors)
        self.assertIn("the buyer abroad has no VAT number", report.errors)
        self.assertFalse(report.report_file)
        report.action_send()
        self.assertEqual(self.pa.deposits, [])

    def test_deposit_is_idempotent_and_the_acknowledgement_is_kept(self):
        self.make_invoice(partner=self.consumer, post=True)
        report = self.report("transactions", date(2026, 9, 11), date(2026, 9, 20))
        report.action_prepare()
        self.pa.lose_next_answers = 1
        report.action_send()
        self.assertEqual(report.state, "sending", "the answer was lost: the report waits to be looked up")
        self.assertIn("did not confirm", report.ack_details)
        report.action_send()
        self.assertEqual(self.pa.deposits, [report.report_filename], "found on the platform, not sent again")
        [flow] = [flow for flow in self.pa.flows if flow["name"] == report.report_filename]
        self.assertEqual(flow["flowSyntax"], "FRR")
        self.assertEqual(flow["flowType"], "AggregatedCustomerTransactionReport")
        self.assertEqual((report.flow_id, report.state, report.ack_status), (flow["flowId"], "done", "Ok"))
        self.assertTrue(report.ack_date)
        report.action_send()
        self.assertEqual(len(self.pa.deposits), 1)

    def test_platform_down_keeps_the_declarations_for_the_next_run_and_sends_each_once(self):
        self.make_invoice(partner=self.consumer, post=True)
        reports = self.report("transactions", date(2026, 9, 11), date(2026, 9, 20)) | self.report(
            "payments", date(2026, 9, 1), date(2026, 9, 30)
        )
        reports.action_prepare()
        self.pa.down = True
        self.addCleanup(setattr, self.pa, "down", False)
        reports.action_send()
        self.assertEqual(sorted(reports.mapped("state")), ["ready", "sending"], "one attempt, the other waits")
        self.assertIn("did not confirm", reports.filtered(lambda r: r.state == "sending").ack_details)
        self.pa.down = False
        reports.action_send()
        self.assertEqual(reports.mapped("state"), ["sent", "sent"], "deposited, acknowledgement pending")
        reports.action_refresh_ack()
        self.assertEqual(reports.mapped("state"), ["done", "done"])
        self.assertEqual(sorted(self.pa.deposits), sorted(reports.mapped("report_filename")))

    def test_refusal_of_the_platform_is_shown_on_the_report(self):
        self.make_invoice(partner=self.consumer, post=True)
        report = self.report("transactions", date(2026, 9, 11), date(2026, 9, 20))
        report.action_prepare()
        self.pa.reject["-TRA-"] = [("InvalidSchema", "Flux 10 rejeté")]
        report.action_send()
        self.assertEqual(report.state, "sent")
        report.action_refresh_ack()
        self.assertEqual((report.state, report.ack_status), ("rejected", "Error"))
        self.assertIn("Flux 10 rejeté", report.ack_details)

    def test_cron_declares_the_periods_that_ended_once(self):
        self.make_invoice(self.service, partner=self.consumer, post=True)
        model = self.env["o2c.einvoice.ereport"]
        model._cron_ereporting(today=date(2026, 10, 1))
        reports = model.search([("company_id", "=", self.company.id)])
        self.assertEqual(
            sorted(reports.mapped(lambda r: (r.kind, str(r.date_start), str(r.date_end), str(r.deadline)))),
            [("payments", "2026-09-01", "2026-09-30", "2026-10-10"),
             ("transactions", "2026-09-01", "2026-09-10", "2026-09-20"),
             ("transactions", "2026-09-11", "2026-09-20", "2026-09-30"),
             ("transactions", "2026-09-21", "2026-09-30", "2026-10-10")],
        )  # fmt: skip
        self.assertEqual(set(reports.mapped("state")), {"done"})
        self.assertEqual(len(self.pa.deposits), 4)
        model._cron_ereporting(today=date(2026, 10, 1))
        self.assertEqual(model.search_count([("company_id", "=", self.company.id)]), 4)
        self.assertEqual(len(self.pa.deposits), 4)

    def test_managers_keep_the_declarations_of_their_companies_only(self):
        report = self.report("payments", date(2026, 9, 1), date(2026, 9, 30))
        company_b = create_second_company(self.env, self.company.currency_id)
        other = self.env["o2c.einvoice.ereport"].create(
            {"kind": "payments", "date_start": date(2026, 9, 1), "date_end": date(2026, 9, 30),
             "company_id": company_b.id}
        )  # fmt: skip
        manager = new_test_user(self.env, "ereport_manager", groups="o2c_einvoice.group_o2c_einvoice_manager",
                                company_id=self.company.id)  # fmt: skip
        both = [("id", "in", (report | other).ids)]
        self.assertEqual(self.env["o2c.einvoice.ereport"].with_user(manager).search(both), report)
        with self.assertRaises(AccessError):
            other.with_user(manager).read(["state"])
        billing = new_test_user(self.env, "ereport_billing", groups="account.group_account_invoice",
                                company_id=self.company.id)  # fmt: skip
        with self.assertRaises(AccessError):
            report.with_user(billing).read(["state"])
        manager.write({"company_ids": [Command.link(company_b.id)]})
        self.assertTrue(other.with_user(manager).with_company(company_b).read(["state"]))
