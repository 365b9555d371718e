from odoo import Command
from odoo.tests import Form, tagged

from .common import O2cCreditCase


@tagged("post_install", "-at_install")
class TestExposureAndBehaviour(O2cCreditCase):
    """A customer with a known history whose figures were computed by hand (see each assertion)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.martin = cls._new_customer("Martin SARL", limit=10000.0)
        cls.contact = cls.env["res.partner"].create({"name": "Paul Martin", "parent_id": cls.martin.id})
        d = cls.days
        # Paid within the 12 months: 1000 paid 10 days late, 2000 on time, 3000 paid 30 days late.
        cls._pay(cls._invoice(cls.martin, 1000, d(-100), invoice_date=d(-130)), 1000, d(-90))
        cls._pay(cls._invoice(cls.martin, 2000, d(-60), invoice_date=d(-90)), 2000, d(-60))
        cls._pay(cls._invoice(cls.martin, 3000, d(-40), invoice_date=d(-70)), 3000, d(-10))
        # Paid more than 12 months ago: out of the behaviour window and of the sales of the year.
        cls._pay(cls._invoice(cls.martin, 500, d(-400), invoice_date=d(-430)), 500, d(-380))
        # Open: 4000 not due, 1500 due 15 days ago with 500 paid, 700 due 45 days ago billed to a contact.
        cls.not_due = cls._invoice(cls.martin, 4000, d(20), invoice_date=d(-10))
        cls._pay(cls._invoice(cls.martin, 1500, d(-15), invoice_date=d(-45)), 500, d(-5))
        cls._invoice(cls.contact, 700, d(-45), invoice_date=d(-75))
        # A confirmed order not invoiced yet and a draft invoice typed by hand.
        cls._order(cls.martin, 2500).action_confirm()
        cls._invoice(cls.martin, 300, d(30), invoice_date=cls.today, post=False)

    def test_exposure_breakdown_at_commercial_entity_level(self):
        for partner in (self.martin, self.contact):
            self.assertAlmostEqual(partner.o2c_exposure_not_due, 4000)
            self.assertAlmostEqual(partner.o2c_exposure_overdue, 1000 + 700)
            self.assertEqual(partner.o2c_days_past_due, 45)
            self.assertAlmostEqual(partner.o2c_exposure_uninvoiced, 2500)
            self.assertAlmostEqual(partner.o2c_exposure_draft, 300)
            self.assertAlmostEqual(partner.o2c_exposure_total, 8500)
            self.assertAlmostEqual(partner.o2c_credit_usage, 85)
            self.assertAlmostEqual(partner.o2c_credit_available, 1500)

    def test_new_quotation_and_new_customer_forms_show_figures_before_saving(self):
        quotation = Form(self.env["sale.order"])
        self.assertEqual(quotation.o2c_exposure_total, 0.0, "no customer chosen yet: no exposure")
        quotation.partner_id = self.contact
        self.assertAlmostEqual(quotation.o2c_exposure_total, 8500)
        self.assertAlmostEqual(quotation.o2c_credit_limit, 10000)
        customer = Form(self.env["res.partner"])
        customer.name = "Nouveau client SAS"
        self.assertEqual(customer.o2c_exposure_total, 0.0)
        self.assertEqual(customer.o2c_paid_count, 0)

    def test_payment_behaviour_over_twelve_months(self):
        martin = self.martin
        # (1000 x 10 + 2000 x 0 + 3000 x 30) / 6000
        self.assertAlmostEqual(martin.o2c_avg_days_late, 100000 / 6000, places=4)
        self.assertEqual(martin.o2c_paid_count, 3)
        self.assertEqual(martin.o2c_late_count, 2)
        self.assertAlmostEqual(martin.o2c_on_time_share, 100 / 3, places=4)
        # The partial payment on the open invoice is the last payment.
        self.assertEqual(martin.o2c_last_payment_date, self.days(-5))
        # Receivable 5700 / sales of the year 12200 x 365
        self.assertAlmostEqual(martin.o2c_dso, 5700 / 12200 * 365, places=4)

    def test_risk_grade_with_reasons(self):
        # 100 - 15 (16.7 days late) - 15 (33 % on time) - 15 (overdue 45 days) = 55
        self.assertEqual(self.martin.o2c_risk_score, 55)
        self.assertEqual(self.martin.o2c_risk_grade, "C")
        self.assertIn("45 days", self.martin.o2c_risk_reasons)
        self.assertIn("late on average", self.martin.o2c_risk_reasons)

    def test_predicted_payment_date_adds_the_customer_delay(self):
        # Due in 20 days + 17 days of usual delay.
        self.assertEqual(self.not_due.o2c_predicted_payment_date, self.days(37))

    def test_half_a_day_of_usual_delay_gives_the_same_date_on_the_invoice_and_in_the_forecast(self):
        customer = self._new_customer("Demi-Jour SAS")
        d = self.days
        # 1000 paid 2 days late and 1000 paid 3 days late: 2.5 days late on average, rounded up to 3.
        self._pay(self._invoice(customer, 1000, d(-50), invoice_date=d(-80)), 1000, d(-48))
        self._pay(self._invoice(customer, 1000, d(-40), invoice_date=d(-70)), 1000, d(-37))
        invoice = self._invoice(customer, 800, d(20), invoice_date=d(-10))
        self.assertAlmostEqual(customer.o2c_avg_days_late, 2.5)
        self.assertEqual(invoice.o2c_predicted_payment_date, d(23))
        forecast = self.env["o2c.credit.cashin.forecast"].search([("move_id", "=", invoice.id)])
        self.assertEqual(forecast.predicted_date, d(23))
        self.assertEqual(forecast.delay_days, 3)

    def test_late_days_alone_are_the_exposure_s_average_delay(self):
        """The predicted dates read the average delay without the rest of the exposure: the same figure."""
        self.env.flush_all()
        exposure = self.env["o2c.credit.exposure"]
        self.env.cr.execute(exposure._late_days_query(self.today, company_ids=self.company.ids))
        late_days = {partner_id: float(days) for partner_id, _company, days in self.env.cr.fetchall()}
        # (1000 x 10 + 2000 x 0 + 3000 x 30) / 6000: the payment more than 12 months ago is left out.
        self.assertAlmostEqual(late_days[self.martin.id], 100000 / 6000, places=6)
        rows = exposure.search([("company_id", "=", self.company.id), ("paid_amount", ">", 0)])
        self.assertTrue(rows)
        self.assertEqual({row.partner_id.id: round(row.avg_days_late, 6) for row in rows},
                         {partner_id: round(days, 6) for partner_id, days in late_days.items()})  # fmt: skip
        customer = self._new_customer("Sans Historique SAS")
        invoice = self._invoice(customer, 900, self.days(5), invoice_date=self.days(-25))
        self.env.flush_all()
        forecast = self.env["o2c.credit.cashin.forecast"].search([("move_id", "=", invoice.id)])
        self.assertEqual((forecast.delay_days, forecast.predicted_date), (0, self.days(5)), "no history, no delay")

    def test_forecast_and_exposure_list_show_what_was_just_written(self):
        """The lists read SQL views: an edit not yet written to the database must be in them all the same."""
        customer = self._new_customer("Tout Juste SAS", limit=5000.0)
        invoice = self._invoice(customer, 1200, self.days(10), invoice_date=self.days(-20))
        forecast = self.env["o2c.credit.cashin.forecast"]
        exposure = self.env["o2c.credit.exposure"]
        self.assertAlmostEqual(forecast.search([("move_id", "=", invoice.id)]).amount_residual, 1200)
        self.assertAlmostEqual(exposure.search([("partner_id", "=", customer.id)]).amount_total, 1200)
        self._pay(invoice, 1000, self.today)
        # The records of a view are read afresh, as the next screen of the web client reads them.
        forecast.invalidate_model()
        exposure.invalidate_model()
        self.assertAlmostEqual(forecast.search([("move_id", "=", invoice.id)]).amount_residual, 200)
        self.assertAlmostEqual(exposure.search([("partner_id", "=", customer.id)]).amount_total, 200)
        # The accountant corrects the due date to five days ago: the ORM holds the change until a flush.
        invoice.line_ids.filtered("date_maturity").date_maturity = self.days(-5)
        forecast.invalidate_model()
        moved = forecast.search([("move_id", "=", invoice.id), ("date_due", "=", self.days(-5))])
        self.assertEqual(len(moved), 1, "the forecast shows the new due date")
        self.assertEqual((moved.is_overdue, moved.predicted_date), (True, self.today), "overdue: expected this week")
        exposure.invalidate_model()
        row = exposure.search([("partner_id", "=", customer.id)])
        self.assertEqual((row.amount_not_due, row.amount_overdue), (0, 200))

    def test_exposure_list_matches_the_customer_tab(self):
        row = self.env["o2c.credit.exposure"].search([("partner_id", "=", self.martin.id)])
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.amount_total, 8500)
        self.assertAlmostEqual(row.credit_limit, 10000)
        self.assertAlmostEqual(row.limit_usage, 85)
        self.assertEqual(row.risk_grade, "C")
        groups = self.env["o2c.credit.exposure"]._read_group(
            [("partner_id", "=", self.martin.id)], [], ["amount_overdue:sum"]
        )
        self.assertAlmostEqual(groups[0][0], 1700)

    def test_cashin_forecast_by_week(self):
        Forecast = self.env["o2c.credit.cashin.forecast"]
        rows = Forecast.search([("partner_id", "=", self.martin.id)])
        self.assertAlmostEqual(sum(rows.mapped("amount_residual")), 5700)
        by_date = {row.amount_residual: row.predicted_date for row in rows}
        self.assertEqual(by_date[4000], self.days(37))
        self.assertEqual(by_date[1000], self.days(2))
        self.assertEqual(by_date[700], self.today, "an overdue amount expected in the past is expected today")
        weeks = Forecast._read_group(
            [("partner_id", "=", self.martin.id)], ["predicted_date:week"], ["amount_residual:sum"]
        )
        self.assertAlmostEqual(sum(amount for _week, amount in weeks), 5700)

    def test_invoiced_order_leaves_the_uninvoiced_exposure(self):
        order = self._order(self.martin, 1000)
        order.action_confirm()
        self.martin.invalidate_recordset()
        self.assertAlmostEqual(self.martin.o2c_exposure_uninvoiced, 3500)
        order.order_line.qty_delivered = 1
        invoice = order._create_invoices()
        invoice.invoice_line_ids.tax_ids = [Command.clear()]
        self.martin.invalidate_recordset()
        self.assertAlmostEqual(self.martin.o2c_exposure_uninvoiced, 3500)
        self.assertAlmostEqual(self.martin.o2c_exposure_draft, 300, msg="the draft invoice of an order counts once")
        invoice.action_post()
        self.martin.invalidate_recordset()
        self.assertAlmostEqual(self.martin.o2c_exposure_uninvoiced, 2500)
        self.assertAlmostEqual(self.martin.o2c_exposure_total, 9500)
