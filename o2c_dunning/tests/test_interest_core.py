"""Plain unit tests of the statutory charges (no database): half-year rates, business and consumer."""

from datetime import date
from decimal import Decimal as D

from odoo.addons.o2c_dunning.core import interest as core
from odoo.tests import BaseCase

# The published rates of 2024 and 2025 (ECB main refinancing rate, legal rates professionals / individuals).
TABLE = (
    core.HalfYearRates(date(2024, 1, 1), 4.50, 5.07, 8.01),
    core.HalfYearRates(date(2024, 7, 1), 4.25, 4.92, 8.16),
    core.HalfYearRates(date(2025, 1, 1), 3.15, 3.71, 7.21),
    core.HalfYearRates(date(2025, 7, 1), 2.15, 2.76, 6.65),
)


class TestInterestCore(BaseCase):
    def test_half_year_boundaries(self):
        self.assertEqual(core.half_year_start(date(2025, 6, 30)), date(2025, 1, 1))
        self.assertEqual(core.half_year_start(date(2025, 7, 1)), date(2025, 7, 1))
        self.assertEqual(core.next_half_year_start(date(2025, 12, 31)), date(2026, 1, 1))
        self.assertTrue(core.is_half_year_start(date(2025, 7, 1)))
        self.assertFalse(core.is_half_year_start(date(2025, 7, 2)))
        self.assertFalse(core.is_half_year_start(date(2025, 4, 1)))

    def test_business_rate_is_ecb_plus_points_floored_at_three_times_the_legal_rate(self):
        # 2025 H2: 2.15 + 10 = 12.15 > 3 x 2.76 = 8.28
        self.assertEqual(core.commercial_rate(TABLE[3], 10.0), 12.15)
        # 2024 H1: 4.50 + 10 = 14.50 < 3 x 5.07 = 15.21, the floor applies
        self.assertEqual(core.commercial_rate(TABLE[0], 10.0), 15.21)
        # fewer points than the law's default: the floor again (2025 H2: 2.15 + 3 = 5.15 < 8.28)
        self.assertEqual(core.commercial_rate(TABLE[3], 3.0), 8.28)
        self.assertEqual(core.individual_rate(TABLE[3]), 6.65)

    def test_business_interest_over_two_half_years_with_two_rates(self):
        # 12,000.00 due on 10 June 2025, charged on 20 July 2025:
        #   11-30 June 2025, 20 days at 13.15 % (3.15 + 10): 12000 * 13.15 / 100 * 20 / 365 = 86.465... -> 86.47
        #   1-20 July 2025, 20 days at 12.15 % (2.15 + 10): 12000 * 12.15 / 100 * 20 / 365 = 79.890... -> 79.89
        charges = core.invoice_charges(D("12000.00"), date(2025, 6, 10), date(2025, 7, 20), TABLE, business=True)
        self.assertEqual(
            [(p.start, p.end, p.days, p.rate, p.interest) for p in charges.periods],
            [
                (date(2025, 6, 11), date(2025, 6, 30), 20, 13.15, D("86.47")),
                (date(2025, 7, 1), date(2025, 7, 20), 20, 12.15, D("79.89")),
            ],
        )
        self.assertEqual(charges.interest, D("166.36"))
        self.assertEqual(charges.indemnity, D("40.00"))

    def test_business_interest_where_the_legal_floor_applies_in_both_half_years(self):
        # 10,000.00 due on 31 May 2024, charged on 15 August 2024:
        #   June 2024, 30 days at 15.21 % (3 x 5.07 > 4.50 + 10): 10000 * 15.21 / 100 * 30 / 365 = 125.013... -> 125.01
        #   1 July - 15 August 2024, 46 days at 14.76 % (3 x 4.92 > 4.25 + 10): 1476 * 46 / 365 = 186.016... -> 186.02
        charges = core.invoice_charges(10000.0, date(2024, 5, 31), date(2024, 8, 15), TABLE, business=True)
        periods = [(p.days, p.rate, p.interest) for p in charges.periods]
        self.assertEqual(periods, [(30, 15.21, D("125.01")), (46, 14.76, D("186.02"))])
        self.assertEqual(charges.interest, D("311.03"))

    def test_consumer_owes_no_indemnity_and_only_legal_interest_after_the_formal_notice(self):
        # Before any notice, or on the day of the notice: nothing.
        before = core.invoice_charges(1000.0, date(2025, 5, 15), date(2025, 7, 1), TABLE, business=False)
        self.assertEqual((before.indemnity, before.interest, before.periods), (D(0), D(0), ()))
        # Notice on 1 July 2025, charged on 30 August 2025: 2 July - 30 August, 60 days at the legal rate for
        # individuals of 2025 H2, 6.65 %: 1000 * 6.65 / 100 * 60 / 365 = 10.931... -> 10.93
        after = core.invoice_charges(
            1000.0, date(2025, 5, 15), date(2025, 8, 30), TABLE, business=False, notice_date=date(2025, 7, 1)
        )
        self.assertEqual(after.indemnity, D(0))
        self.assertEqual([(p.days, p.rate) for p in after.periods], [(60, 6.65)])
        self.assertEqual(after.interest, D("10.93"))

    def test_only_late_invoices_are_charged(self):
        charges = core.statutory_charges(
            [(1, date(2025, 6, 10), 12000.0), (2, date(2025, 7, 20), 500.0), (3, date(2025, 6, 1), 0.0)],
            date(2025, 7, 20),
            TABLE,
            business=True,
        )
        self.assertEqual(list(charges), [1])
        self.assertEqual((charges[1].indemnity, charges[1].interest), (D("40.00"), D("166.36")))

    def test_rates_not_yet_published_are_carried_over_and_older_ones_are_required(self):
        self.assertEqual(core.rates_in_force(TABLE, date(2026, 3, 1)), TABLE[3])
        with self.assertRaises(core.MissingRatesError) as caught:
            core.invoice_charges(1000.0, date(2023, 12, 1), date(2024, 1, 10), TABLE, business=True)
        self.assertEqual(caught.exception.half_year, date(2023, 7, 1))

    def test_half_years_without_their_own_rates_are_named(self):
        self.assertEqual(core.missing_half_years(TABLE, date(2025, 12, 31)), [])
        self.assertEqual(core.missing_half_years(TABLE, date(2026, 8, 1)), [date(2026, 1, 1), date(2026, 7, 1)])
        with_gap = (TABLE[0], TABLE[2], TABLE[3])
        self.assertEqual(core.missing_half_years(with_gap, date(2025, 7, 1)), [date(2024, 7, 1)])
        self.assertEqual(core.missing_half_years((), date(2025, 7, 1)), [])
