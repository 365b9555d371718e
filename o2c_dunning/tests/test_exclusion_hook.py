from datetime import timedelta

from .common import DunningCase


class TestExclusionHook(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Hook Customer")
        cls.invoice_a = cls._invoice(cls.customer, 1000.0, 15)
        cls.invoice_b = cls._invoice(cls.customer, 500.0, 5)

    def test_nothing_excluded_by_default(self):
        moves = self.invoice_a | self.invoice_b
        self.assertEqual(moves._o2c_dunning_excluded(), {self.invoice_a.id: 0.0, self.invoice_b.id: 0.0})

    def test_invoice_flag_excludes_whole_invoice_until_end_date(self):
        self.invoice_a.write({"o2c_no_dunning": True, "o2c_no_dunning_reason": "Credit note pending"})
        excluded = (self.invoice_a | self.invoice_b)._o2c_dunning_excluded()
        self.assertEqual(excluded[self.invoice_a.id], float("inf"))
        self.assertEqual(excluded[self.invoice_b.id], 0.0)
        self.invoice_a.o2c_no_dunning_until = self.today - timedelta(days=1)
        self.assertEqual(self.invoice_a._o2c_dunning_excluded()[self.invoice_a.id], 0.0)

    def test_customer_flag_excludes_all_its_invoices(self):
        self.customer.write({"o2c_no_dunning": True, "o2c_no_dunning_until": self.today + timedelta(days=3)})
        excluded = (self.invoice_a | self.invoice_b)._o2c_dunning_excluded()
        self.assertEqual(set(excluded.values()), {float("inf")})

    def test_promise_excludes_promised_amount_oldest_first(self):
        self.env["o2c.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [(6, 0, (self.invoice_a | self.invoice_b).ids)],
                "promise_date": self.today + timedelta(days=7),
                "amount": 1200.0,
            }
        )
        excluded = (self.invoice_a | self.invoice_b)._o2c_dunning_excluded()
        self.assertEqual(excluded, {self.invoice_a.id: 1000.0, self.invoice_b.id: 200.0})

    def test_hook_query_count_does_not_grow_with_invoices(self):
        more = self.invoice_a
        for _i in range(10):
            more |= self._invoice(self.customer, 100.0, 3)
        # The count for one invoice depends on which addons extend the hook (disputes, the e-invoicing glue):
        # eleven invoices must take no more queries than one.
        self.invoice_a._o2c_dunning_excluded()  # a fresh company's first call also fills Odoo's caches (access rules)
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self.invoice_a._o2c_dunning_excluded()
        one = self.cr.sql_log_count - start
        self.assertLessEqual(one, 8)
        self.env.invalidate_all()
        with self.assertQueryCount(one):
            more._o2c_dunning_excluded()
