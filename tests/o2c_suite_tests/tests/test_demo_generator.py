import sys
from datetime import date
from pathlib import Path

from stdnum import iban
from stdnum.fr import siren, tva

from odoo.tests import TransactionCase, tagged

# The generator lives in the repository's setup/, outside any addon.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from setup.demo import load_all
from setup.demo.plan import make_plan

TODAY = date(2026, 11, 20)


@tagged("post_install", "-at_install")
class TestDemoPlan(TransactionCase):
    def test_same_seed_gives_same_customers_orders_and_totals(self):
        first, second = make_plan("demo", seed=7, today=TODAY), make_plan("demo", seed=7, today=TODAY)
        self.assertEqual(first.total_untaxed, second.total_untaxed)
        self.assertEqual([c.name for c in first.customers], [c.name for c in second.customers])
        self.assertEqual([o.lines for o in first.orders], [o.lines for o in second.orders])
        self.assertNotEqual(first.total_untaxed, make_plan("demo", seed=8, today=TODAY).total_untaxed)

    def test_demo_size_is_a_french_sme_and_bench_size_scales_up(self):
        plan = make_plan("demo", today=TODAY)
        self.assertEqual((len(plan.customers), len(plan.orders)), (50, 300))
        self.assertTrue(all(siren.is_valid(c.siren) and tva.is_valid(c.vat) for c in plan.customers))
        self.assertTrue(iban.is_valid(plan.company_iban))
        self.assertEqual(len({o.behaviour for o in plan.orders}), 5, "every payment behaviour is represented")
        self.assertTrue(all((TODAY - o.order_date).days <= 183 for o in plan.orders), "six months of orders")
        bench = make_plan("bench", today=TODAY)
        self.assertEqual((len(bench.customers), len(bench.orders)), (2000, 20000))


@tagged("post_install", "-at_install")
class TestDemoLoad(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.base = load_all(cls.env, size=8, seed=11, today=TODAY)

    def test_loaded_invoices_are_posted_balanced_and_match_the_plan(self):
        invoices = self.base.invoices
        self.assertEqual(len(invoices), len(self.base.plan.orders))
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        for invoice in invoices:
            self.assertAlmostEqual(sum(invoice.line_ids.mapped("balance")), 0.0, places=2)
        self.assertAlmostEqual(sum(invoices.mapped("amount_untaxed")), self.base.plan.total_untaxed, places=2)

    def test_payment_behaviours_leave_paid_partial_and_open_invoices(self):
        states = set(self.base.invoices.mapped("payment_state"))
        self.assertTrue({"not_paid", "partial"} <= states, states)
        self.assertTrue(states & {"paid", "in_payment"}, states)

    def test_customers_have_siren_vat_and_an_accounting_contact(self):
        for customer in self.base.customers:
            self.assertTrue(tva.is_valid(customer.vat))
            accounting = customer.child_ids.filtered(lambda contact: contact.type == "invoice")
            self.assertTrue(accounting, f"{customer.name} has no accounting (invoice) contact")
            self.assertTrue(all(accounting.mapped("email")))
        self.assertTrue(iban.is_valid(self.base.company.partner_id.bank_ids.acc_number))

    def test_cases_reminders_and_promises_belong_to_people_not_to_odoobot(self):
        env = self.env
        bots = env.ref("base.user_root") | env.ref("base.public_user")
        disputes = env["o2c.dispute"].search([("partner_id", "in", self.base.customers.ids)])
        self.assertGreaterEqual(len(disputes), 7)
        self.assertFalse(disputes.filtered(lambda dispute: not dispute.user_id or dispute.user_id in bots))
        self.assertTrue(all(user.has_group("o2c_disputes.group_o2c_dispute_user") for user in disputes.user_id))
        self.assertFalse(disputes.user_id.filtered("share"), "a case's owner is an internal user")
        portal_case = disputes.filtered(lambda dispute: dispute.source == "portal")
        self.assertTrue(portal_case.user_id, "a case raised from the portal gets its owner too")
        reminders = env["o2c.dunning.communication"].search([("partner_id", "in", self.base.customers.ids)])
        self.assertTrue(reminders)
        self.assertFalse(reminders.filtered(lambda reminder: not reminder.user_id or reminder.user_id in bots))
        self.assertTrue(all(user.has_group("o2c_dunning.group_o2c_dunning_collector") for user in reminders.user_id))
        promises = env["o2c.dunning.promise"].search([("partner_id", "in", self.base.customers.ids)])
        self.assertTrue(promises.user_id)
        self.assertFalse(promises.user_id & bots)
        self.assertEqual(promises.message_ids.author_id, promises.user_id.partner_id, "its chatter shows who logged it")
