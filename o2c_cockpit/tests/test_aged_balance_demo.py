import sys
from datetime import date
from pathlib import Path

from odoo.tests import TransactionCase, tagged

# The demo generator lives in the repository's setup/, outside any addon (as in o2c_suite_tests).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from setup.demo import load_all

from ..wizard.o2c_cockpit_aged_balance_line import BUCKET_FIELDS

TODAY = date(2026, 11, 20)
MONTH_END = date(2026, 9, 30)


@tagged("post_install", "-at_install")
class TestAgedBalanceOnDemoData(TransactionCase):
    """On the demo company (a small one: 8 customers, 48 orders, their payments, credit notes, disputes and
    reminders), the aged balance's totals equal the receivable accounts' balance at the date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.base = load_all(cls.env, size=8, seed=11, today=TODAY)
        cls.company = cls.base.company

    def _receivable_balance(self, at):
        """The balance of the receivable accounts at ``at``, as Odoo's general ledger sums it."""
        [(total,)] = self.env["account.move.line"]._read_group(
            [("company_id", "=", self.company.id), ("parent_state", "=", "posted"),
             ("account_id.account_type", "=", "asset_receivable"), ("date", "<=", at)],
            aggregates=["balance:sum"],
        )  # fmt: skip
        return total

    def _totals(self, at, basis="due"):
        balance = self.env["o2c.cockpit.aged.balance"].create(
            {"company_id": self.company.id, "date_at": at, "basis": basis}
        )
        balance._o2c_compute()
        return balance._o2c_totals()

    def test_demo_has_payments_after_the_month_end(self):
        # Otherwise the month-end balance would prove nothing about ignoring later reconciliations.
        later = self.env["account.partial.reconcile"].search_count(
            [("company_id", "=", self.company.id), ("max_date", ">", MONTH_END),
             ("debit_move_id.date", "<=", MONTH_END)]
        )  # fmt: skip
        self.assertGreater(later, 0)

    def test_totals_equal_receivable_balance_at_month_end_and_today(self):
        for at in (MONTH_END, TODAY):
            expected = self._receivable_balance(at)
            self.assertGreater(expected, 0)
            for basis in ("due", "invoice"):
                with self.subTest(at=at, basis=basis):
                    totals = self._totals(at, basis)
                    self.assertAlmostEqual(totals["amount_residual"], expected, places=2)
                    columns = sum(totals[name] for name in BUCKET_FIELDS)
                    self.assertAlmostEqual(columns, expected, places=2, msg="the age columns add up to the total")
        self.assertNotAlmostEqual(self._receivable_balance(MONTH_END), self._receivable_balance(TODAY), places=2)
