import base64
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
from setup.demo.story import STORY

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

    def test_invoices_orders_and_health_checks_name_a_person_not_odoobot(self):
        bots = self.env.ref("base.user_root") | self.env.ref("base.public_user")
        company = self.base.company
        invoices = self.env["account.move"].search(
            [("company_id", "=", company.id), ("move_type", "in", ("out_invoice", "out_refund"))]
        )
        self.assertGreater(len(invoices), len(self.base.invoices), "the areas' own invoices and credit notes too")
        by_bot = invoices.filtered(lambda move: not move.invoice_user_id or move.invoice_user_id in bots)
        self.assertFalse(by_bot, f"salesperson OdooBot or none on {by_bot.mapped('name')}")
        orders = self.env["sale.order"].search([("company_id", "=", company.id)])
        self.assertFalse(orders.filtered(lambda order: not order.user_id or order.user_id in bots))
        checks = self.env["o2c.cockpit.health.check"].search([("company_id", "=", company.id)])
        self.assertEqual(len(checks), 2, "one three months ago, one today: the trend shows")
        self.assertFalse(checks.user_id & bots)
        self.assertTrue(all(user.has_group("account.group_account_manager") for user in checks.user_id))

    def test_credit_notes_are_dated_when_their_error_was_settled_not_on_the_load_day(self):
        refunds = self.env["account.move"].search(
            [("company_id", "=", self.base.company.id), ("move_type", "=", "out_refund"), ("state", "=", "posted")]
        )
        self.assertGreaterEqual(len(refunds), 2, "dispute credit notes and a price error's")
        self.assertFalse(refunds.filtered(lambda refund: refund.invoice_date >= TODAY), refunds.mapped("invoice_date"))

    def test_first_run_reminds_most_customers_early_and_hands_few_to_litigation(self):
        run = self.env["o2c.dunning.run"].search([("company_id", "=", self.base.company.id), ("date", "=", TODAY)])
        self.assertEqual(len(run), 1, "one first run, on the demo's date")
        reminders = self.env["o2c.dunning.communication"].search([("run_id", "=", run.id)])
        tones = {}
        for reminder in reminders:
            tones[reminder.partner_id] = reminder.level_id.tone
        self.assertGreaterEqual(len(tones), 4, tones)
        litigation = [partner for partner, tone in tones.items() if tone == "litigation"]
        early = [partner for partner, tone in tones.items() if tone in ("courteous", "reminder", "firm")]
        self.assertLessEqual(len(litigation) * 5, len(tones), f"at most one customer in five to litigation: {tones}")
        self.assertGreater(len(early) * 2, len(tones), f"most customers at an early level: {tones}")

    def test_company_has_its_own_logo_and_no_free_signup(self):
        logo = (Path(__file__).resolve().parents[3] / "setup" / "demo" / "logo.png").read_bytes()
        self.assertEqual(base64.b64decode(self.base.company.logo), logo, "the demo's logo, not Odoo's placeholder")
        self.assertEqual(self.env["res.users"]._get_signup_invitation_scope(), "b2b")

    def test_each_step_of_the_cycle_is_seen_on_its_named_customer(self):
        env, story = self.env, self.base.story
        self.assertEqual({step: customer.name for step, customer in story.items()},
                         {step: name for step, (name, _city, _siren) in STORY.items()})  # fmt: skip
        invoices = {
            step: env["account.move"].search(
                [("partner_id", "=", customer.id), ("move_type", "=", "out_invoice")],
                order="invoice_date desc, id desc",
            )
            for step, customer in story.items()
        }
        today = {
            step: env["o2c.dunning.communication"].search([("partner_id", "=", customer.id), ("run_date", "=", TODAY)])
            for step, customer in story.items()
        }
        manager = env["res.users"].search([("login", "=", "claire.credit")])

        held = env["sale.order"].search([("partner_id", "=", story["held"].id)])
        self.assertEqual(
            (held.state, held.o2c_credit_state, held.o2c_credit_approval_id.state), ("draft", "hold", "pending")
        )
        self.assertIn(held.o2c_credit_approval_id.approval_group_id, manager.groups_id, "waits for the credit manager")

        approved = env["sale.order"].search([("partner_id", "=", story["approved"].id)])
        self.assertEqual((approved.state, approved.invoice_status), ("sale", "invoiced"))
        self.assertEqual(approved.o2c_credit_approval_id.decided_by_id, manager)
        deposited = approved.invoice_ids
        self.assertEqual((deposited.state, deposited.o2c_pa_state), ("posted", "sent"))
        statuses = deposited.o2c_einvoice_status_ids
        self.assertEqual(set(statuses.mapped("code")), {"200", "205"})
        self.assertEqual(statuses.filtered(lambda status: status.code == "200").source, "platform")

        self.assertEqual(today["courteous"].level_id.tone, "courteous")
        self.assertEqual(today["first_reminder"].level_id.tone, "reminder")

        contested = invoices["contested"].filtered(lambda inv: inv.o2c_dunning_level_id)
        case = env["o2c.dispute"].search([("invoice_ids", "in", contested.ids)])
        self.assertEqual((case.source, case.state), ("portal", "open"))
        self.assertIn("207", contested.o2c_einvoice_status_ids.mapped("code"))
        self.assertFalse(today["contested"], "no reminder while the whole invoice is contested")

        resumed = invoices["resumed"]
        case = env["o2c.dispute"].search([("invoice_ids", "in", resumed.ids)])
        self.assertEqual(case.outcome, "rejected")
        self.assertEqual(resumed.o2c_einvoice_status_ids.sorted("id").mapped("code"), ["207", "205"])
        self.assertEqual(today["resumed"].level_id.tone, "firm", "the dunning resumes at the level after the first")

        promise = env["o2c.dunning.promise"].search([("partner_id", "=", story["promise"].id)])
        self.assertEqual((promise.state, promise.move_ids), ("open", invoices["promise"]))
        self.assertFalse(today["promise"], "no reminder before the promised date")

        self.assertEqual(invoices["partial"].payment_state, "partial")

        cashed = invoices["cashed"]
        self.assertIn(cashed.payment_state, ("paid", "in_payment"))
        self.assertIn("212", cashed.o2c_einvoice_status_ids.mapped("code"))
        statement_line = env["account.bank.statement.line"].search([("payment_ref", "ilike", cashed.name)])
        self.assertTrue(statement_line.is_reconciled, "the CAMT.053 line of the rest is reconciled by itself")

        for step, moves in invoices.items():
            self.assertTrue(all(moves.mapped("invoice_pdf_report_id")), f"{step}: the portal shows the real PDF")
