from datetime import date, datetime

from odoo.addons.o2c_einvoice.tests.common import EinvoiceCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPaymentSentPause(EinvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.move = cls.make_invoice(cls.service, post=True, invoice_date="2026-09-01")

    def excluded(self, day):
        return self.move.with_context(o2c_dunning_date=day)._o2c_dunning_excluded()[self.move.id]

    def test_buyers_payment_sent_pauses_dunning_for_five_days_only(self):
        self.assertEqual(self.excluded(date(2026, 10, 12)), 0.0)
        self.move._o2c_einvoice_add_status("211", date=datetime(2026, 10, 10, 9, 0), source="platform")
        self.assertEqual(self.excluded(date(2026, 10, 12)), float("inf"))
        self.assertEqual(self.excluded(date(2026, 10, 15)), float("inf"))
        self.assertEqual(self.excluded(date(2026, 10, 16)), 0.0)
