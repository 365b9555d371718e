"""Plain unit tests of the one-letter-per-customer rule and the net position (no database)."""

from datetime import date, timedelta
from decimal import Decimal

from odoo.addons.o2c_dunning.core import ladder as ladder_core
from odoo.addons.o2c_dunning.core import letter as letter_core
from odoo.tests import BaseCase

LADDER = ladder_core.Ladder(
    id=1,
    levels=(
        ladder_core.Level(id=11, day_offset=1),
        ladder_core.Level(id=12, day_offset=10),
        ladder_core.Level(id=13, day_offset=20),
    ),
)
RUN = date(2025, 6, 30)


def invoice(id, days_late, residual, partner=7, reached=None, excluded=0.0):
    return ladder_core.OpenInvoice(
        id=id,
        partner_id=partner,
        due_date=RUN - timedelta(days=days_late),
        residual=residual,
        excluded=excluded,
        reached_level_id=reached,
    )


class TestLetterCore(BaseCase):
    def test_one_letter_per_customer_at_the_highest_level_due(self):
        # 3 days late: first reminder (11); 12 days late with the first reminder sent: second (12)
        invoices = [invoice(1, 3, 400.0), invoice(2, 12, 250.0, reached=11), invoice(3, 2, 100.0, partner=8)]
        letters, covered = letter_core.plan_letters({7: LADDER, 8: LADDER}, invoices, RUN)
        self.assertEqual([(letter.partner_id, letter.level_id) for letter in letters], [(7, 12), (8, 11)])
        self.assertEqual(letters[0].invoice_levels, {1: 11, 2: 12}, "each invoice keeps its own level")
        self.assertEqual(
            (letters[0].amount_due, letters[0].credit, letters[0].amount),
            (Decimal("650.00"), Decimal("0.00"), Decimal("650.00")),
        )
        self.assertEqual(letters[0].invoice_ids, [1, 2])
        self.assertEqual(covered, [])

    def test_customer_already_reminded_today_gets_no_second_letter(self):
        letters, covered = letter_core.plan_letters({7: LADDER}, [invoice(1, 3, 400.0)], RUN, reminded_today={7})
        self.assertEqual((letters, covered), ([], []))

    def test_invoice_already_reminded_at_its_level_is_left_out(self):
        invoices = [invoice(1, 3, 400.0), invoice(2, 4, 50.0)]
        letters, _covered = letter_core.plan_letters({7: LADDER}, invoices, RUN, already_planned={(1, 11)})
        self.assertEqual(letters[0].invoice_levels, {2: 11})
        self.assertEqual(letters[0].amount, Decimal("50.00"))

    def test_credits_covering_what_is_due_mean_no_letter_but_a_reconciliation(self):
        # 400 + 250 due, a credit note of 500 and a payment of 150 not applied: 650 covered
        invoices = [invoice(1, 3, 400.0), invoice(2, 5, 250.0)]
        letters, covered = letter_core.plan_letters({7: LADDER}, invoices, RUN, credits={7: 650.0})
        self.assertEqual((letters, covered), ([], [7]))

    def test_credits_covering_part_lower_the_amount_claimed(self):
        # 400 + 250 due, 180 of credit: 470 claimed
        invoices = [invoice(1, 3, 400.0), invoice(2, 5, 250.0)]
        letters, covered = letter_core.plan_letters({7: LADDER}, invoices, RUN, credits={7: 180.0})
        self.assertEqual(
            (letters[0].amount_due, letters[0].credit, letters[0].amount),
            (Decimal("650.00"), Decimal("180.00"), Decimal("470.00")),
        )
        self.assertEqual(covered, [])

    def test_disputed_part_is_not_claimed(self):
        letters, _covered = letter_core.plan_letters({7: LADDER}, [invoice(1, 3, 400.0, excluded=150.0)], RUN)
        self.assertEqual(letters[0].amount, Decimal("250.00"))

    def test_amounts_are_decimal_to_the_cent_whatever_the_caller_hands(self):
        # three invoices of 0.10, 0.20 and 0.30 as Odoo's floats (their float sum is 0.6000000000000001) against
        # a credit of 0.60: exactly covered, no letter for a float's noise
        invoices = [invoice(1, 3, 0.1), invoice(2, 4, 0.2), invoice(3, 5, 0.3)]
        letters, covered = letter_core.plan_letters({7: LADDER}, invoices, RUN, credits={7: 0.6})
        self.assertEqual((letters, covered), ([], [7]))
        # the same invoices with a Decimal credit of 0.25: 0.35 claimed, a Decimal of two places
        letters, _covered = letter_core.plan_letters({7: LADDER}, invoices, RUN, credits={7: Decimal("0.25")})
        self.assertEqual(
            (letters[0].amount_due, letters[0].credit, letters[0].amount),
            (Decimal("0.60"), Decimal("0.25"), Decimal("0.35")),
        )
        self.assertIsInstance(letters[0].amount, Decimal)
        self.assertEqual(str(letters[0].amount), "0.35")
