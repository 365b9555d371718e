from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from ..core.figures import week_start
from .common import CockpitCase


@tagged("post_install", "-at_install")
class TestMonthlyFigures(CockpitCase):
    """Each figure on an example worked out by hand (the README's definitions), as of 15 March 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        d = cls.d
        cls.today = d("2026-03-15")
        cls.customer = cls._customer("Boulangerie Durand")
        # C: December, paid in January; A: January, half paid in February, the rest in March; B: February, open.
        cls.inv_c = cls._invoice(cls.customer, d("2025-12-01"), 600, due=d("2025-12-31"))
        cls._pay(cls.inv_c, 600, d("2026-01-12"))
        cls.inv_a = cls._invoice(cls.customer, d("2026-01-10"), 1200, due=d("2026-02-09"))
        cls._pay(cls.inv_a, 600, d("2026-02-20"))
        cls._pay(cls.inv_a, 600, d("2026-03-05"))
        cls.inv_b = cls._invoice(cls.customer, d("2026-02-15"), 2400, due=d("2026-03-17"))
        # Reminders: C on 5 January (paid 7 days later), A on 14 February (paid in full 19 days later).
        cls.ladder = cls.env["o2c.dunning.ladder"].create(
            {
                "name": "Cockpit ladder",
                "company_id": cls.company.id,
                "level_ids": [Command.create({"name": "First reminder", "sequence": 1, "day_offset": 5})],
            }
        )
        cls.level = cls.ladder.level_ids
        for invoice, run_date in ((cls.inv_c, d("2026-01-05")), (cls.inv_a, d("2026-02-14"))):
            cls.env["o2c.dunning.communication"].create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "level_id": cls.level.id,
                    "run_date": run_date,
                    "state": "sent",
                    "dunned_line_ids": [Command.create({"move_id": invoice.id, "level_id": cls.level.id})],
                }
            )
        # B disputed on 20 February, resolved on 2 March: 10 days.
        dispute = cls.env["o2c.dispute"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "invoice_ids": [Command.set(cls.inv_b.ids)],
                "amount_disputed": 100,
                "reason_id": cls.env.ref("o2c_disputes.o2c_dispute_reason_price").id,
                "date_open": d("2026-02-20"),
            }
        )
        dispute.write(
            {
                "stage_id": cls.env.ref("o2c_disputes.o2c_dispute_stage_resolved").id,
                "outcome": "rejected",
                "date_resolved": d("2026-03-02"),
            }
        )
        # Two bank receipts in February, one matched automatically.
        for day, state in (("2026-02-20", "auto"), ("2026-02-21", "unmatched")):
            line = cls.env["account.bank.statement.line"].create(
                {"journal_id": cls.bank_journal.id, "date": d(day), "amount": 600, "payment_ref": "VIR " + day}
            )
            line.o2c_match_state = state
        cls.env["o2c.cockpit.figure"]._o2c_refresh(cls.company, today=cls.today)
        cls.figures = {
            fig.month: fig for fig in cls.env["o2c.cockpit.figure"].search([("company_id", "=", cls.company.id)])
        }

    def test_twelve_months_are_stored_up_to_the_current_one(self):
        self.assertEqual(len(self.figures), 12)
        self.assertEqual(min(self.figures), self.d("2025-04-01"))
        self.assertEqual(max(self.figures), self.d("2026-03-01"))

    def test_january_receivable_all_not_due(self):
        january = self.figures[self.d("2026-01-01")]
        self.assertAlmostEqual(january.sales, 1200)
        self.assertAlmostEqual(january.receivable, 1200)
        self.assertAlmostEqual(january.dso, 31.0)  # 1,200 open of January's 1,200 over 31 days
        self.assertAlmostEqual(january.best_dso, 31.0)
        self.assertAlmostEqual(january.days_delinquent, 0.0)
        # (600 open at the end of December + 1,200 invoiced - 1,200 open) / (600 + 1,200 - 1,200 not due)
        self.assertAlmostEqual(january.cei, 100.0)
        self.assertAlmostEqual(january.overdue_share, 0.0)

    def test_february_countback_ignores_the_march_payment(self):
        february = self.figures[self.d("2026-02-01")]
        # Open on 28 February: 600 of A (overdue since 9 February; its March payment is ignored) + 2,400 of B.
        self.assertAlmostEqual(february.receivable, 3000)
        self.assertAlmostEqual(february.receivable_overdue, 600)
        # 2,400 of February covers its 28 days; the 600 left are half of January's 1,200: 15.5 days.
        self.assertAlmostEqual(february.dso, 43.5)
        self.assertAlmostEqual(february.best_dso, 28.0)  # the 2,400 not due: February's sales exactly
        self.assertAlmostEqual(february.days_delinquent, 15.5)
        # (1,200 + 2,400 - 3,000) / (1,200 + 2,400 - 2,400)
        self.assertAlmostEqual(february.cei, 50.0)
        self.assertAlmostEqual(february.overdue_share, 20.0)

    def test_current_month_is_measured_up_to_today(self):
        march = self.figures[self.d("2026-03-01")]
        # On 15 March B is not yet due (17 March): 15 days of March without sales, then February's 28.
        self.assertAlmostEqual(march.receivable, 2400)
        self.assertAlmostEqual(march.receivable_overdue, 0)
        self.assertAlmostEqual(march.dso, 43.0)
        self.assertAlmostEqual(march.cei, 100.0)

    def test_dispute_rate_and_resolution_time(self):
        self.assertEqual(self.figures[self.d("2026-01-01")].dispute_rate, 0.0)
        february = self.figures[self.d("2026-02-01")]
        self.assertEqual((february.invoice_count, february.disputed_invoice_count), (1, 1))
        self.assertAlmostEqual(february.dispute_rate, 100.0)
        march = self.figures[self.d("2026-03-01")]
        self.assertEqual(march.resolved_dispute_count, 1)
        self.assertAlmostEqual(march.resolution_days, 10.0)

    def test_share_of_bank_receipts_matched_automatically(self):
        february = self.figures[self.d("2026-02-01")]
        self.assertEqual((february.bank_line_count, february.auto_line_count), (2, 1))
        self.assertAlmostEqual(february.auto_match_share, 50.0)

    def test_effect_of_a_level_is_the_share_paid_within_14_days(self):
        effects = self.env["o2c.cockpit.level.effect"].search([("company_id", "=", self.company.id)])
        by_month = {effect.month: effect for effect in effects}
        self.assertEqual(set(effects.level_id), {self.level})
        january, february = by_month[self.d("2026-01-01")], by_month[self.d("2026-02-01")]
        self.assertEqual((january.reminded_count, january.paid_count, january.paid_share), (1, 1, 100.0))
        self.assertEqual((february.reminded_count, february.paid_count, february.paid_share), (1, 0, 0.0))

    def test_refresh_replaces_the_figures_and_its_query_count_does_not_grow_with_customers(self):
        figure_model = self.env["o2c.cockpit.figure"]
        cr = self.env.cr
        figure_model._o2c_refresh(self.company, today=self.today)  # a fresh test company's first refresh reads more
        self.env.flush_all()
        # Both measured runs start from empty record caches and the ormcaches the first refresh filled: emptied,
        # the ormcaches are read back by whichever run comes first (the user's companies, one query).
        self.env.invalidate_all()
        before = cr.sql_log_count
        figure_model._o2c_refresh(self.company, today=self.today)
        first = cr.sql_log_count - before
        for index in range(6):
            customer = self._customer(f"Client {index}")
            invoice = self._invoice(customer, self.d("2026-01-20"), 100 + index, due=self.d("2026-02-19"))
            self._pay(invoice, 50, self.d("2026-02-25"))
        self.env.flush_all()
        self.env.invalidate_all()
        before = cr.sql_log_count
        figure_model._o2c_refresh(self.company, today=self.today)
        self.assertEqual(cr.sql_log_count - before, first, "the refresh reads in bulk, whatever the customers")
        self.assertEqual(figure_model.search_count([("company_id", "=", self.company.id)]), 12)
        february = figure_model.search([("company_id", "=", self.company.id), ("month", "=", "2026-02-01")])
        self.assertAlmostEqual(february.receivable, 3000 + sum(100 + index - 50 for index in range(6)))


@tagged("post_install", "-at_install")
class TestCashinForecast(CockpitCase):
    """The weekly forecast: open invoices at their predicted date, promises at theirs, orders not yet invoiced."""

    def test_forecast_puts_each_source_in_its_week(self):
        today = fields.Date.context_today(self.env.user)
        customer = self._customer("Garage Petit")
        upcoming = self._invoice(customer, today - timedelta(days=5), 1000, due=today + timedelta(days=10))
        overdue = self._invoice(customer, today - timedelta(days=40), 500, due=today - timedelta(days=10))
        self.env["o2c.dunning.promise"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "move_ids": [Command.set(overdue.ids)],
                "promise_date": today + timedelta(days=20),
                "amount": 300,
            }
        )
        product = self.env["product.product"].create({"name": "Maintenance", "type": "service", "list_price": 1200})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                "commitment_date": fields.Datetime.to_datetime(today + timedelta(days=5)),
                "order_line": [Command.create({"product_id": product.id, "price_unit": 1200, "tax_id": False})],
            }
        )
        order.state = "sale"
        self.env["o2c.cockpit.figure"]._o2c_refresh(self.company)
        weeks = self.env["o2c.cockpit.cashin.week"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {(week.week, week.source): week.amount for week in weeks},
            {
                (week_start(upcoming.invoice_date_due), "predicted"): 1000.0,
                (week_start(today + timedelta(days=20)), "promise"): 300.0,
                (week_start(today + timedelta(days=35)), "order"): 1200.0,
            },
            "the promised invoice is expected at the promised date only",
        )
        self.assertEqual(upcoming.amount_residual, 1000)

    def test_forecast_adds_each_customer_s_average_delay_over_the_last_twelve_months(self):
        today = fields.Date.context_today(self.env.user)
        day = lambda count: today + timedelta(days=count)  # noqa: E731 -- the dates read as offsets from today
        monday = week_start(today)
        late = self._customer("Menuiserie Lenoir")
        # Paid in full within the 12 months: 1000 paid 10 days late, 3000 paid 30 days late.
        self._pay(self._invoice(late, day(-130), 1000, due=day(-100)), 1000, day(-90))
        self._pay(self._invoice(late, day(-90), 3000, due=day(-60)), 3000, day(-30))
        # Not payments of the 12 months: paid more than 12 months ago, settled by a credit note, paid in part only
        # (its rest, 1000 due 40 days ago, is open and expected today, not 15 days ago). Counted, each would
        # make the delay longer.
        self._pay(self._invoice(late, day(-430), 700, due=day(-400)), 700, day(-370))
        credited = self._invoice(late, day(-80), 500, due=day(-50))
        refund = self._invoice(late, day(-20), 500, move_type="out_refund")
        (credited + refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
        self._pay(self._invoice(late, day(-70), 2000, due=day(-40)), 1000, day(0))
        # (1000 x 10 + 3000 x 30) / 4000 = 25 days: an invoice of a contact of the customer due 25 days before
        # the Sunday three weeks on is expected that Sunday (a day more and it would be the next week).
        contact = self.env["res.partner"].create({"name": "Paul Lenoir", "parent_id": late.id})
        self._invoice(contact, day(-20), 800, due=monday + timedelta(days=27 - 25))
        # 1000 paid 2 days late and 1000 paid 3 days late: 2.5 days, rounded half up to 3, so due 3 days before
        # the Monday two weeks on it is expected that Monday (2 days: the week before).
        half = self._customer("Imprimerie Demi")
        self._pay(self._invoice(half, day(-80), 1000, due=day(-50)), 1000, day(-48))
        self._pay(self._invoice(half, day(-70), 1000, due=day(-40)), 1000, day(-37))
        self._invoice(half, day(-20), 600, due=monday + timedelta(days=14 - 3))
        self.env["o2c.cockpit.figure"]._o2c_refresh(self.company)
        weeks = self.env["o2c.cockpit.cashin.week"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {(week.week, week.source): week.amount for week in weeks},
            {
                (monday, "predicted"): 1000.0,
                (monday + timedelta(days=21), "predicted"): 800.0,
                (monday + timedelta(days=14), "predicted"): 600.0,
            },
        )
