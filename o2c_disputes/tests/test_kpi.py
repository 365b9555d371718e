from datetime import timedelta

from odoo.tests import tagged

from .common import DisputeCase


@tagged("post_install", "-at_install")
class TestDisputeKpi(DisputeCase):
    """KPIs read the way the pivot view reads them (``read_group`` with each measure's aggregator),
    on an example computed by hand:

    - Dubois, I1, 1 000 untaxed: D1 (price) 300, opened 10 days ago, 100 credited today (partial);
    - Dubois, I2, 500 untaxed: D2 (price) 600, opened 6 days ago, still open;
    - Dubois, I3, 250 untaxed: no dispute;
    - Leroy, J1, 2 000 untaxed: D3 (goods damaged) 2 400, opened 4 days ago, rejected today.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        i1 = cls._invoice(cls.customer, [(cls.product, 10, 100.0)])
        i2 = cls._invoice(cls.customer, [(cls.product, 5, 100.0)])
        cls.i3 = cls._invoice(cls.customer, [(cls.service, 5, 50.0)])
        j1 = cls._invoice(cls.other_customer, [(cls.product, 20, 100.0)])
        d1 = cls._dispute(i1, 300.0, cls.reason_price, date_open=cls.today - timedelta(days=10))
        cls._dispute(i2, 600.0, cls.reason_price, date_open=cls.today - timedelta(days=6))
        d3 = cls._dispute(j1, 2400.0, cls.reason_damaged, date_open=cls.today - timedelta(days=4))
        d1._o2c_resolve("partial", 100.0, cls.root_pricing)
        d3._o2c_resolve("rejected", root_cause=cls.root_customer)
        cls.customers = cls.customer | cls.other_customer

    def _pivot(self, model, groupby, measures):
        rows = self.env[model].read_group([("partner_id", "in", self.customers.ids)], measures, groupby, lazy=False)
        return {row[groupby[0]][1] if isinstance(row[groupby[0]], tuple) else row[groupby[0]]: row for row in rows}

    def _total(self, model, measures):
        return self.env[model].read_group([("partner_id", "in", self.customers.ids)], measures, [])[0]

    def test_dispute_rate_by_invoices_and_by_revenue(self):
        measures = [
            "invoice_count",
            "disputed_invoice_count",
            "invoice_dispute_rate",
            "revenue",
            "disputed_revenue",
            "revenue_dispute_rate",
        ]
        by_customer = self._pivot("o2c.dispute.invoice.report", ["partner_id"], measures)
        dubois = by_customer[self.customer.display_name]
        self.assertEqual((dubois["invoice_count"], dubois["disputed_invoice_count"]), (3, 2))
        self.assertAlmostEqual(dubois["invoice_dispute_rate"], 200 / 3, places=2)
        self.assertEqual((dubois["revenue"], dubois["disputed_revenue"]), (1750.0, 1500.0))
        self.assertAlmostEqual(dubois["revenue_dispute_rate"], 1500 / 1750 * 100, places=2)
        leroy = by_customer[self.other_customer.display_name]
        self.assertEqual((leroy["invoice_dispute_rate"], leroy["revenue_dispute_rate"]), (100.0, 100.0))
        total = self._total("o2c.dispute.invoice.report", measures)
        self.assertAlmostEqual(total["invoice_dispute_rate"], 75.0, places=2)
        self.assertAlmostEqual(total["revenue_dispute_rate"], 3500 / 3750 * 100, places=2, msg="weighted by revenue")

    def test_open_amount_and_resolution_times(self):
        measures = [
            "dispute_count",
            "amount_disputed",
            "amount_open",
            "amount_credited",
            "resolution_days",
            "resolution_days_max",
            "open_age_days",
        ]
        total = self._total("o2c.dispute.report", measures)
        self.assertEqual(total["dispute_count"], 3)
        self.assertEqual(total["amount_disputed"], 3300.0)
        self.assertEqual(total["amount_open"], 600.0, "only D2 is still open")
        self.assertEqual(total["amount_credited"], 100.0)
        self.assertEqual(total["resolution_days"], 7.0, "(10 + 4) / 2: open disputes are not averaged in")
        self.assertEqual(total["resolution_days_max"], 10.0)
        self.assertEqual(total["open_age_days"], 6.0)

        by_reason = self._pivot("o2c.dispute.report", ["reason_id"], measures)
        price = by_reason[self.reason_price.display_name]
        self.assertEqual((price["dispute_count"], price["amount_open"], price["resolution_days"]), (2, 600.0, 10.0))
        damaged = by_reason[self.reason_damaged.display_name]
        self.assertEqual((damaged["amount_open"], damaged["resolution_days"]), (0.0, 4.0))

        by_team = self._pivot("o2c.dispute.report", ["team"], measures)
        self.assertEqual(by_team["sales_admin"]["amount_disputed"], 900.0)
        self.assertEqual(by_team["logistics"]["amount_disputed"], 2400.0)

        by_cause = self._pivot("o2c.dispute.report", ["root_cause_id"], measures)
        self.assertEqual(by_cause[self.root_pricing.display_name]["amount_credited"], 100.0)
        self.assertEqual(by_cause[self.root_customer.display_name]["resolution_days"], 4.0)

        by_customer = self._pivot("o2c.dispute.report", ["partner_id"], measures)
        self.assertEqual(by_customer[self.customer.display_name]["amount_open"], 600.0)

    def test_a_dispute_just_opened_counts_at_once(self):
        self._dispute(self.i3, 30.0)
        self.assertEqual(self._total("o2c.dispute.report", ["amount_open"])["amount_open"], 630.0)
        rate = self._total("o2c.dispute.invoice.report", ["invoice_dispute_rate"])["invoice_dispute_rate"]
        self.assertAlmostEqual(rate, 100.0, places=2, msg="all four invoices are now disputed")
