import datetime
from decimal import Decimal

from odoo.addons.o2c_base.tools.money import to_money
from odoo.tests import BaseCase

from ..core import figures, health

D = datetime.date


def M(amount):
    """An amount as the Odoo side hands it to the core."""
    return to_money(amount)


class TestFiguresCore(BaseCase):
    """The figures' arithmetic on examples worked out by hand."""

    def test_countback_covers_the_latest_month_then_a_share_of_the_one_before(self):
        # 150,000 open: December (31 days, 100,000 invoiced) wholly, then 50,000 of November's 80,000.
        days = figures.dso_countback(M(150_000), [(31, M(100_000)), (30, M(80_000))])
        self.assertIsInstance(days, float)
        self.assertAlmostEqual(days, 31 + 30 * 50 / 80)
        self.assertEqual(figures.dso_countback(M(50_000), [(31, M(100_000))]), 15.5)

    def test_countback_without_receivable_or_beyond_the_history(self):
        self.assertEqual(figures.dso_countback(M(0), [(31, M(10))]), 0.0)
        self.assertIsNone(figures.dso_countback(M(0), []))
        # More open than everything invoiced in the months given: all their days, a month without sales too.
        self.assertEqual(figures.dso_countback(M(500), [(31, M(100)), (30, M(0)), (31, M(100))]), 92.0)

    def test_collection_effectiveness_index(self):
        # (100 + 200 - 120) / (100 + 200 - 70) = 180 / 230
        cei = figures.collection_effectiveness(M(100), M(200), M(120), M(70))
        self.assertIsInstance(cei, float)
        self.assertAlmostEqual(cei, 100 * 180 / 230)
        self.assertIsNone(figures.collection_effectiveness(M(0), M(0), M(0), M(0)))

    def test_month_figures_chain_the_countback_over_the_months(self):
        january = figures.MonthData(
            D(2026, 1, 1), sales=M(62_000), receivable_end=M(31_000), receivable_end_not_due=M(15_500), invoices=10
        )
        february = figures.MonthData(
            D(2026, 2, 1),
            sales=M(28_000),
            receivable_start=M(31_000),
            receivable_end=M(42_000),
            receivable_end_not_due=M(14_000),
            invoices=8,
            disputed_invoices=2,
            disputes_resolved=3,
            resolution_days_total=36,
            bank_lines=20,
            bank_lines_auto=15,
        )
        jan, feb = figures.month_figures([january, february])
        self.assertAlmostEqual(jan.dso, 15.5)
        self.assertAlmostEqual(jan.best_dso, 7.75)
        self.assertAlmostEqual(jan.days_delinquent, 7.75)
        self.assertAlmostEqual(jan.overdue_share, 50.0)
        self.assertEqual(jan.dispute_rate, 0.0)
        self.assertIsNone(jan.resolution_days)
        self.assertIsNone(jan.auto_match_share)
        # February: its 28 days wholly (28,000), then 14,000 of January's 62,000 over 31 days = 7 days.
        self.assertAlmostEqual(feb.dso, 35.0)
        self.assertAlmostEqual(feb.best_dso, 14.0)
        self.assertAlmostEqual(feb.days_delinquent, 21.0)
        self.assertAlmostEqual(feb.cei, 100 * 17_000 / 45_000)
        self.assertAlmostEqual(feb.overdue_share, 100 * 28_000 / 42_000)
        self.assertAlmostEqual(feb.dispute_rate, 25.0)
        self.assertAlmostEqual(feb.resolution_days, 12.0)
        self.assertAlmostEqual(feb.auto_match_share, 75.0)

    def test_months_and_weeks(self):
        self.assertEqual(figures.last_months(D(2026, 2, 14), 3), [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)])
        self.assertEqual(figures.month_end(D(2028, 2, 3)), D(2028, 2, 29))
        self.assertEqual(figures.add_months(D(2026, 11, 30), 2), D(2027, 1, 1))
        self.assertEqual(figures.week_start(D(2026, 12, 6)), D(2026, 11, 30))

    def test_weekly_forecast_brings_overdue_into_this_week_and_stops_at_the_horizon(self):
        today = D(2026, 12, 2)  # a Wednesday
        entries = [
            (D(2026, 11, 20), "predicted", M(100)),
            (D(2026, 12, 6), "promise", M(50)),
            (D(2026, 12, 7), "predicted", M(30)),
            (D(2026, 12, 8), "predicted", M(5)),
            (D(2027, 6, 1), "order", M(999)),
        ]
        self.assertEqual(
            figures.weekly_forecast(today, entries),
            {
                (D(2026, 11, 30), "predicted"): Decimal("100.00"),
                (D(2026, 11, 30), "promise"): Decimal("50.00"),
                (D(2026, 12, 7), "predicted"): Decimal("35.00"),
            },
        )

    def test_weekly_forecast_adds_amounts_to_the_cent(self):
        # Odoo's floats 0.1 and 0.2 handed over with to_money: 0.30 exactly, where floats give 0.30000000000000004.
        entries = [(D(2026, 12, 2), "predicted", to_money(0.1)), (D(2026, 12, 3), "predicted", to_money(0.2))]
        total = figures.weekly_forecast(D(2026, 12, 2), entries)[D(2026, 11, 30), "predicted"]
        self.assertEqual(total, Decimal("0.30"))
        self.assertEqual(str(total), "0.30")

    def test_level_effect(self):
        self.assertEqual(figures.level_effect(8, 6), 75.0)
        self.assertIsNone(figures.level_effect(0, 0))


class TestHealthCore(BaseCase):
    """Scores and findings of the health check on a prepared company."""

    def test_answers_and_measures_make_the_scores_and_findings(self):
        answers = {
            "terms_clauses": "yes",
            "credit_insurance": "no",
            "credit_policy": "partly",
            "invoice_on_delivery": "yes",
            "customer_po": "yes",
            "graduated_reminders": "yes",
            "automatic_matching": "yes",
            "direct_debit": "no",
        }
        measures = {
            "late_share": 30.0,  # 0 points
            "invoice_to_payment_days": 50.0,  # 1
            "complete_share": 96.0,  # 2
            "order_to_invoice_days": 1.0,  # 2
            "invoicing_error_rate": 4.0,  # 1
            "auto_match_share": 85.0,  # 2
            "dispute_rate": None,  # not measured
            "resolution_days": 40.0,  # 0
            "missing": {"siren": 3, "vat": 0},
            "unmatched": {"unmatched": 4, "proposed": 0},
            "disputes_by_reason": {"Price": 2, "Quantity": 5},
            "einvoice_failed": 1,
        }
        result = health.evaluate(answers, "monthly", 3, measures, level_offsets=[-3, 10, 30], late_days=[20, 40, 24])
        # credit: 2 + 0 + 1 of 6; invoicing: 2 + 2 (answers) + 2 + 2 + 1 of 10;
        # collection: 2 (answer) + 1 (monthly review) + 0 + 1 of 8; cash: 2 + 0 + 1 (3 accounts) + 2 of 8.
        self.assertAlmostEqual(result.scores["credit"], 50.0)
        self.assertAlmostEqual(result.scores["invoicing"], 90.0)
        self.assertAlmostEqual(result.scores["collection"], 50.0)
        self.assertAlmostEqual(result.scores["cash"], 62.5)
        self.assertAlmostEqual(result.scores["disputes"], 0.0)
        self.assertAlmostEqual(result.overall, 100 * (3 + 9 + 4 + 5 + 0) / (6 + 10 + 8 + 8 + 2))
        codes = [finding.code for finding in result.findings]
        self.assertEqual(
            codes,
            [
                "q_credit_insurance",
                "q_credit_policy",
                "m_invoicing_error_rate",
                "missing_siren",
                "einvoice_failed",
                "m_late_share",
                "q_aged_balance_review",
                "m_invoice_to_payment_days",
                "ladder_bring_forward",
                "q_direct_debit",
                "q_bank_accounts",
                "unmatched",
                "m_resolution_days",
                "disputes_top_reason",
            ],
        )
        by_code = {finding.code: finding for finding in result.findings}
        self.assertEqual(
            by_code["ladder_bring_forward"].params, {"median_days": 24, "count": 3, "offset": 15, "current": 30}
        )
        self.assertEqual(by_code["disputes_top_reason"].params["reason"], "Quantity")
        self.assertAlmostEqual(by_code["disputes_top_reason"].params["share"], 100 * 5 / 7)
        self.assertEqual(by_code["q_credit_insurance"].severity, "high")
        self.assertEqual(by_code["q_credit_policy"].severity, "medium")

    def test_invoicing_after_delivery_is_scored_and_found_only_where_measured(self):
        # Deliveries measured (o2c_cockpit_stock): 5 days from delivery to invoice is "to watch" (1 point of 2).
        result = health.evaluate(
            {}, None, 0, {"delivery_to_invoice_days": 5.0, "invoiced_after_delivery": {"count": 4, "days": 3}}
        )
        self.assertAlmostEqual(result.scores["invoicing"], 50.0)
        self.assertEqual(
            [(f.code, f.severity, f.params) for f in result.findings],
            [
                ("m_delivery_to_invoice_days", "medium", {"value": 5.0, "target": 2.0}),
                ("invoiced_after_delivery", "medium", {"count": 4, "days": 3}),
            ],
        )
        # Without deliveries nothing is scored nor found.
        result = health.evaluate({}, None, 0, {"delivery_to_invoice_days": None, "invoiced_after_delivery": None})
        self.assertIsNone(result.scores["invoicing"])
        self.assertEqual(result.findings, [])

    def test_ladder_suggestion_targets_the_first_fortnight_after_the_due_date(self):
        late = [16, 30]
        self.assertIsNone(health.ladder_suggestion([5], []))
        self.assertEqual(health.ladder_suggestion([], late)[0], "create_ladder")
        self.assertEqual(
            health.ladder_suggestion([-5, 30], late), ("add_level", {"median_days": 23, "count": 2, "offset": 7})
        )
        self.assertEqual(health.ladder_suggestion([7, 30], late)[0], "add_pre_due")
        self.assertEqual(health.ladder_suggestion([-5, 7], late)[0], "add_call")

    def test_nothing_answered_nothing_measured_scores_nothing(self):
        result = health.evaluate({}, None, 0, {})
        self.assertEqual(result.scores, dict.fromkeys(health.STEPS))
        self.assertIsNone(result.overall)
        self.assertEqual(result.findings, [])

    def test_trend_since_the_last_check(self):
        self.assertEqual(
            health.trend({"credit": 50.0, "cash": None, "disputes": 80.0}, {"credit": 25.0, "cash": 10.0}),
            {"credit": 25.0, "cash": None, "disputes": None},
        )
