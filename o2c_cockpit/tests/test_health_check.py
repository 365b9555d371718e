import ast
from datetime import timedelta

from stdnum.fr import siren as stdnum_siren

from odoo import Command, fields
from odoo.tests import tagged

from .common import CockpitCase


def french_vat(siren):
    """The French VAT number of a SIREN (key = (12 + 3 × (SIREN mod 97)) mod 97)."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


@tagged("post_install", "-at_install")
class TestHealthCheck(CockpitCase):
    """Findings of the health check on a prepared set of customers and invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.today = fields.Date.context_today(cls.env.user)
        days = lambda n: today - timedelta(days=n)  # noqa: E731 - dates of the story, read as "n days ago"
        france = cls.env.ref("base.fr")
        terms = cls.env.ref("account.account_payment_term_30days")
        address = {"street": "1 rue de la Paix", "zip": "75002", "city": "Paris", "country_id": france.id}
        siren_ok, siren_other = "732829320", "552100554"
        assert stdnum_siren.is_valid(siren_ok) and stdnum_siren.is_valid(siren_other)
        cls.complete = cls._customer(
            "Complet SA", company_registry=siren_ok, vat=french_vat(siren_ok), email="compta@complet.example",
            property_payment_term_id=terms.id, **address,
        )  # fmt: skip
        cls.no_ids = cls._customer(
            "Sans Identifiants SARL", email="compta@sansid.example", property_payment_term_id=terms.id, **address
        )
        cls.no_contact = cls._customer(
            "Sans Contact SAS", company_registry=siren_other, vat=french_vat(siren_other), country_id=france.id
        )
        # Paid 5 days late, paid 30 days late, paid 30 days late.
        on_time = cls._invoice(cls.complete, days(60), 1000, due=days(30))
        cls._pay(on_time, 1000, days(25))
        cls.late_1 = cls._invoice(cls.complete, days(90), 1000, due=days(60))
        cls._pay(cls.late_1, 1000, days(30))
        cls.late_2 = cls._invoice(cls.no_ids, days(50), 500, due=days(40))
        cls._pay(cls.late_2, 500, days(10))
        # Corrected by a credit note; disputed for its price.
        cls.corrected = cls._invoice(cls.no_contact, days(20), 800, due=days(10))
        cls._invoice(cls.no_contact, days(5), 800, move_type="out_refund", reversed_entry_id=cls.corrected.id)
        cls.disputed = cls._invoice(cls.no_ids, days(15), 300, due=days(0))
        cls.dispute = cls.env["o2c.dispute"].create(
            {
                "partner_id": cls.no_ids.id,
                "company_id": cls.company.id,
                "invoice_ids": [Command.set(cls.disputed.ids)],
                "amount_disputed": 300,
                "reason_id": cls.env.ref("o2c_disputes.o2c_dispute_reason_price").id,
                "date_open": days(10),
            }
        )
        # The only reminder of the ladder comes 30 days after the due date.
        cls.ladder = cls.env["o2c.dunning.ladder"].create(
            {
                "name": "Late ladder",
                "company_id": cls.company.id,
                "level_ids": [Command.create({"name": "Reminder", "sequence": 1, "day_offset": 30})],
            }
        )
        cls.company.o2c_dunning_ladder_id = cls.ladder
        answers = {f"q_{key}": "yes" for key in (
            "terms_clauses", "credit_policy", "invoice_on_delivery", "customer_po", "graduated_reminders",
            "automatic_matching", "direct_debit",
        )}  # fmt: skip
        cls.check = cls.env["o2c.cockpit.health.check"].create(
            {
                "company_id": cls.company.id,
                "q_credit_insurance": "no",
                "q_aged_balance_review": "weekly",
                "q_bank_accounts": 1,
                **answers,
            }
        )
        cls.check.action_measure()
        cls.findings = {finding.code: finding for finding in cls.check.finding_ids}

    def _records(self, code):
        action = self.findings[code].action_open_records()
        if action.get("res_id"):
            return self.env[action["res_model"]].browse(action["res_id"])
        return self.env[action["res_model"]].search(action["domain"])

    def test_measures_of_the_last_twelve_months(self):
        check = self.check
        self.assertAlmostEqual(check.late_share, 100 * 2 / 3, places=1)
        self.assertAlmostEqual(check.invoice_to_payment_days, (35 + 60 + 40) / 3)
        self.assertAlmostEqual(check.complete_share, 100 / 3, places=1)
        # 5 invoices: one corrected by a credit note, one disputed for its price.
        self.assertAlmostEqual(check.invoicing_error_rate, 40.0)
        self.assertAlmostEqual(check.dispute_rate, 20.0)

    def test_scores_per_step(self):
        check = self.check
        self.assertAlmostEqual(check.score_credit, 100 * 4 / 6, places=1)  # no credit insurance
        self.assertAlmostEqual(check.score_invoicing, 50.0)  # complete data 0/2, errors 0/2
        self.assertAlmostEqual(check.score_collection, 75.0)  # paid late 0/2, 45 days to pay 2/2
        self.assertAlmostEqual(check.score_cash, 100.0)
        self.assertAlmostEqual(check.score_disputes, 0.0)
        self.assertAlmostEqual(check.score_overall, 100 * 20 / 30, places=1)

    def test_findings_and_their_records(self):
        self.assertEqual(
            set(self.findings),
            {
                "q_credit_insurance",
                "m_complete_share",
                "m_invoicing_error_rate",
                "missing_siren",
                "missing_vat",
                "missing_email",
                "missing_address",
                "missing_terms",
                "m_late_share",
                "ladder_add_level",
                "m_dispute_rate",
                "disputes_top_reason",
            },
        )
        self.assertEqual(self._records("missing_siren"), self.no_ids)
        self.assertEqual(self._records("missing_vat"), self.no_ids)
        self.assertEqual(self._records("missing_email"), self.no_contact)
        self.assertEqual(self._records("missing_terms"), self.no_contact)
        self.assertEqual(self._records("m_complete_share"), self.no_ids | self.no_contact)
        self.assertEqual(self._records("m_late_share"), self.late_1 | self.late_2)
        self.assertEqual(self._records("m_invoicing_error_rate"), self.corrected | self.disputed)
        self.assertEqual(self._records("disputes_top_reason"), self.dispute)
        self.assertEqual(self._records("ladder_add_level"), self.ladder)
        self.assertEqual(self.findings["missing_siren"].record_count, 1)
        self.assertEqual(self.findings["m_late_share"].severity, "high")

    def test_recommendations_are_plain_sentences_in_the_users_language(self):
        ladder = self.findings["ladder_add_level"]
        self.assertIn("2 invoices were paid more than 15 days after their due date", ladder.recommendation)
        self.assertIn("Add a reminder 7 days after the due date", ladder.recommendation)
        self.env.ref("base.lang_fr").active = True
        self.check.with_context(lang="fr_FR").action_measure()
        ladder = self.check.finding_ids.filtered(lambda finding: finding.code == "ladder_add_level")
        self.assertIn("Ajoutez à votre scénario une relance 7 jours après l'échéance", ladder.recommendation)

    def test_trend_since_the_previous_check(self):
        self.assertFalse(self.check.previous_check_id)
        self.assertEqual(self.check.trend_text, "First check")
        second = self.check.copy({"q_credit_insurance": "yes", "state": "draft"})
        second.action_measure()
        self.assertEqual(second.previous_check_id, self.check)
        self.assertAlmostEqual(second.score_credit, 100.0)
        self.assertAlmostEqual(second.trend_overall, 73.3 - 66.7, places=1)  # scores kept to one decimal
        self.assertIn("+7 points since", second.trend_text)
        self.env.ref("base.lang_fr").active = True
        french = second.with_context(lang="fr_FR")
        french.invalidate_recordset(["trend_text"])
        self.assertIn(f"+7 points depuis le {self.check.date:%d/%m/%Y}", french.trend_text, "French words and date")
        self.assertNotIn("q_credit_insurance", second.finding_ids.mapped("code"))

    def test_printed_report_lists_the_scores_and_findings(self):
        html = self.env["ir.actions.report"]._render_qweb_html("o2c_cockpit.report_health_check", self.check.ids)[0]
        html = html.decode()
        self.assertIn("Order-to-cash health check", html)
        self.assertIn(self.company.name, html)
        self.assertIn(self.findings["missing_siren"].name, html)
        self.assertIn(self.findings["ladder_add_level"].recommendation.split(":")[0][:40], html)

    def test_finding_domain_is_a_plain_literal(self):
        domain = ast.literal_eval(self.findings["missing_vat"].res_domain)
        self.assertIn(("vat", "=", False), [tuple(term) if isinstance(term, list) else term for term in domain])
