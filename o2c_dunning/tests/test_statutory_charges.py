"""The charges the law allows, on the formal notice, its email and the charges invoice: business customers
owe the €40 indemnity and commercial interest computed half-year by half-year, consumers neither; the rate
and the deadline are those of the settings, wherever they are printed."""

from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DunningCase

DUE = date(2025, 6, 10)
RUN = date(2025, 7, 20)  # 40 days late: the formal notice (+30 days) is due


@tagged("post_install", "-at_install")
class TestStatutoryChargesByCustomer(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company.write({"o2c_dunning_interest_margin": 10.0, "o2c_dunning_notice_days": 8})
        cls.business = cls._customer("Kappa Logistique", lang="fr_FR")
        cls.consumer = cls._customer("Jeanne Martin", is_company=False, lang="fr_FR")
        cls.business_invoice = cls._invoice_due(cls.business, 12000.0, DUE)
        cls.consumer_invoice = cls._invoice_due(cls.consumer, 1000.0, DUE)
        (cls.business_invoice | cls.consumer_invoice).o2c_dunning_level_id = cls.call

    @classmethod
    def _invoice_due(cls, partner, amount, due):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "price_unit": amount, "tax_ids": [], "account_id": cls.income_account.id}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _notice(self, partner):
        self.Comm._o2c_run(companies=self.company, run_date=RUN, send=False)
        notice = self._comms(partner)
        self.assertEqual(notice.level_id, self.notice)
        return notice

    def _letter_html(self, notice):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "o2c_dunning.action_report_dunning_letter", notice.ids
        )
        return " ".join(html.decode().split())

    def test_business_or_consumer_follows_the_partner_and_the_collector_can_override_it(self):
        self.assertTrue(self.business.o2c_dunning_is_business)
        self.assertFalse(self.consumer.o2c_dunning_is_business)
        person_with_siren = self._customer("Paul Durand EI", is_company=False, company_registry="732829320")
        self.assertTrue(person_with_siren.o2c_dunning_is_business, "a sole trader with a SIREN is a business")
        contact = self.env["res.partner"].create({"name": "Compta Kappa", "parent_id": self.business.id})
        self.assertTrue(contact.o2c_dunning_is_business, "a contact of a company")
        self.consumer.o2c_dunning_is_business = True
        self.assertTrue(self.consumer.o2c_dunning_is_business)

    def test_business_formal_notice_charges_interest_over_two_half_years_and_the_indemnity(self):
        notice = self._notice(self.business)
        line = notice.dunned_line_ids
        # 11-30 June 2025, 20 days at 13.15 % (ECB 3.15 + 10): 12000 x 13.15 % x 20 / 365 = 86.47
        # 1-20 July 2025, 20 days at 12.15 % (ECB 2.15 + 10): 12000 x 12.15 % x 20 / 365 = 79.89
        self.assertEqual((line.amount_indemnity, line.amount_interest), (40.0, 166.36))
        self.assertEqual(notice.amount_charges, 206.36)
        self.assertEqual(notice.interest_rate, 12.15, "the rate in force on the day of the notice")

        notice.action_invoice_charges()
        charges = notice.charges_move_id
        self.assertEqual(charges.amount_total, 206.36, "outside the scope of VAT")
        self.assertEqual(charges.invoice_date_due, RUN + timedelta(days=8), "due at the notice's deadline")
        self.assertEqual(len(charges.invoice_line_ids), 2)
        self.assertIn("12,15", charges.with_context(lang="fr_FR").narration or "")

    def test_consumer_owes_no_indemnity_and_no_commercial_interest(self):
        notice = self._notice(self.consumer)
        line = notice.dunned_line_ids
        self.assertEqual((line.amount_indemnity, line.amount_interest), (0.0, 0.0))
        self.assertEqual(notice.amount_charges, 0.0)
        self.assertEqual(notice.interest_rate, 6.65, "the legal rate for individuals of 2025 H2")
        with self.assertRaisesRegex(UserError, "no late-payment charges"):
            notice.action_invoice_charges()
        html = self._letter_html(notice)
        self.assertNotIn("o_dunning_charges", html, "no table of indemnities for a consumer")
        self.assertIn("taux légal des particuliers", html)
        self.assertIn("6,65 %", html)
        self.assertNotIn("D441-5", html)

    def test_consumer_is_charged_interest_at_the_legal_rate_for_individuals_after_the_formal_notice(self):
        notice = self._notice(self.consumer)
        notice.action_send()
        self.assertEqual(notice.state, "sent", notice.error_message)
        # Next letter (hand-over to litigation, due + 45 days) on 20 January 2026: interest from the day after
        # the notice (20 July 2025), at the legal rate for individuals of each half-year, no indemnity:
        # 21 July-31 December 2025, 164 days at 6.65 %: 1000 x 6.65 % x 164 / 365 = 29.88
        # 1-20 January 2026, 20 days at 6.67 %: 1000 x 6.67 % x 20 / 365 = 3.65
        self.Comm._o2c_run(companies=self.company, run_date=date(2026, 1, 20), send=False)
        letter = self._comms(self.consumer) - notice
        self.assertEqual(letter.level_id, self.litigation)
        line = letter.dunned_line_ids
        self.assertEqual((line.amount_indemnity, line.amount_interest), (0.0, 33.53))
        self.assertEqual((letter.amount_indemnity, letter.amount_interest, letter.amount_charges), (0.0, 33.53, 33.53))
        self.assertEqual(letter.interest_rate, 6.67, "the legal rate for individuals of 2026 H1")
        html = self._letter_html(letter)
        self.assertIn("o_dunning_charges", html, "the letter shows the interest owed")
        self.assertNotIn("D441-5", html)
        letter.action_invoice_charges()
        self.assertEqual(letter.charges_move_id.amount_total, 33.53)

    def test_a_run_in_a_half_year_without_its_rates_names_the_half_years_to_add(self):
        self.assertEqual(
            self.Comm._o2c_run(companies=self.company, run_date=RUN, send=False)["runs"].rates_warning, False
        )
        # The shipped table stops at 2026 H1: a formal notice of 20 January 2027 (due 10 December 2026).
        invoice = self._invoice_due(self.business, 1000.0, date(2026, 12, 10))
        invoice.o2c_dunning_level_id = self.call
        run = self.Comm._o2c_run(companies=self.company, run_date=date(2027, 1, 20), send=False)["runs"]
        self.assertIn("half-years starting on 07/01/2026, 01/01/2027:", run.rates_warning)
        self.assertIn("Interest Rates", run.rates_warning)
        self.assertIn("07/01/2026, 01/01/2027", run.message_ids[0].body, "in the run's chatter too")
        notice = self.Comm.search([("run_id", "=", run.id), ("partner_id", "=", self.business.id)])
        line = notice.dunned_line_ids.filtered(lambda line: line.move_id == invoice)
        # Not 0: the latest rates (2026 H1, 12.15 %) are used, and the run says so.
        # 11-31 December 2026, 21 days: 1000 x 12.15 % x 21 / 365 = 6.99; 1-20 January 2027, 20 days: 6.66
        self.assertEqual((line.amount_indemnity, line.amount_interest), (40.0, 13.65))
        self.env["o2c.dunning.interest.rate"].create(
            [
                {"date_start": start, "ecb_rate": 2.15, "legal_rate_professional": 2.62, "legal_rate_individual": 6.67}
                for start in ("2026-07-01", "2027-01-01")
            ]
        )
        self.assertFalse(self.Comm._o2c_run(companies=self.company, run_date=date(2027, 1, 21))["runs"].rates_warning)

    def test_business_customer_set_as_consumer_by_the_collector_is_charged_as_a_consumer(self):
        self.business.o2c_dunning_is_business = False
        notice = self._notice(self.business)
        self.assertEqual(notice.amount_charges, 0.0)

    def test_letter_email_and_charges_invoice_state_the_rate_and_deadline_of_the_settings(self):
        self.company.write({"o2c_dunning_interest_margin": 7.0, "o2c_dunning_notice_days": 15})
        self.company.o2c_dunning_invoice_charges = True
        notice = self._notice(self.business)
        # 2.15 + 7 = 9.15 > 3 x 2.76 = 8.28
        self.assertEqual(notice.interest_rate, 9.15)
        html = self._letter_html(notice)
        self.assertIn("majoré de 7 points", html)
        self.assertIn("9,15 %", html)
        self.assertIn("sous 15 jours", html)
        self.assertNotIn("10 points", html)
        self.assertNotIn("huit jours", html)

        notice.action_send()
        self.assertEqual(notice.state, "sent", notice.error_message)
        body = " ".join(notice.mail_id.body_html.split())
        self.assertIn("majoré de 7 points", body)
        self.assertIn("9,15 %", body)
        self.assertIn("sous 15 jours", body)
        charges = notice.charges_move_id
        self.assertEqual(charges.invoice_date_due, RUN + timedelta(days=15))
        narration = charges.with_context(lang="fr_FR").narration
        self.assertIn("majoré de 7 points", narration)
        self.assertIn("sous 15 jours", narration)
        mention = self.company.with_context(lang="fr_FR")._o2c_dunning_invoice_mention()
        self.assertIn("majoré de 7 points", mention)

    def test_settings_refuse_negative_points(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.o2c_dunning_interest_margin = -1.0

    def test_settings_refuse_a_formal_notice_without_deadline(self):
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.company.o2c_dunning_notice_days = 0


class TestInterestRateTable(DunningCase):
    def test_shipped_rates_are_the_published_ones(self):
        rates = self.env.ref("o2c_dunning.interest_rate_2025_h2")
        self.assertEqual((rates.date_start, rates.ecb_rate), (date(2025, 7, 1), 2.15))
        self.assertEqual((rates.legal_rate_professional, rates.legal_rate_individual), (2.76, 6.65))
        first = self.env.ref("o2c_dunning.interest_rate_2020_h1")
        self.assertEqual(
            (first.ecb_rate, first.legal_rate_professional, first.legal_rate_individual), (0.0, 0.87, 3.15)
        )
        self.assertEqual(self.env.ref("o2c_dunning.interest_rate_2026_h1").legal_rate_professional, 2.62)

    def test_a_half_year_starts_on_1_january_or_1_july_and_is_entered_once(self):
        Rates = self.env["o2c.dunning.interest.rate"]
        with self.assertRaisesRegex(ValidationError, "1 January or 1 July"):
            Rates.create({"date_start": "2027-03-01", "ecb_rate": 2.0, "legal_rate_professional": 2.5,
                          "legal_rate_individual": 6.0})  # fmt: skip
        added = Rates.create(
            {"date_start": "2027-01-01", "ecb_rate": 2.0, "legal_rate_professional": 2.5, "legal_rate_individual": 6.0}
        )
        # 2 + 10 = 12 > 3 x 2.5 = 7.5, at the company's 10 points
        self.company.o2c_dunning_interest_margin = 10.0
        self.assertEqual(added.with_company(self.company).commercial_rate, 12.0)
        self.assertEqual(self.company._o2c_dunning_charges_rate(True, date(2027, 2, 1)), 12.0)
        self.assertEqual(self.company._o2c_dunning_charges_rate(False, date(2027, 2, 1)), 6.0)

    def test_invoicing_users_read_the_rates_and_dunning_managers_keep_them(self):
        def user(login, groups):
            return self.env["res.users"].create(
                {"name": login, "login": login, "groups_id": [Command.set([self.env.ref(g).id for g in groups])]}
            )

        collector = user("rates.collector", ["o2c_dunning.group_o2c_dunning_collector"])
        manager = user("rates.manager", ["o2c_dunning.group_o2c_dunning_manager"])
        rates = self.env.ref("o2c_dunning.interest_rate_2025_h2")
        self.assertEqual(rates.with_user(collector).ecb_rate, 2.15)
        with self.assertRaises(AccessError):
            rates.with_user(collector).ecb_rate = 3.0
        rates.with_user(manager).source = "Arrêté du 19 juin 2025"
        self.assertEqual(rates.source, "Arrêté du 19 juin 2025")
