from odoo.tests import BaseCase

from ..core.master_data import Customer, check_siren, check_vat, duplicates, judge, normalise_iban


class TestMasterDataCore(BaseCase):
    """The master-data checks on plain data: identifiers checked with python-stdnum, the score, duplicates."""

    def _complete(self, **values):
        return Customer(
            **{
                "id": 1,
                "is_company": True,
                "country_code": "FR",
                "company_registry": "732 829 320",
                "vat": "FR44732829320",
                "accounting_email": "compta@example.com",
                "street": "12 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "has_payment_term": True,
                **values,
            }
        )

    def test_siren_and_siret_are_checked_with_their_luhn_key(self):
        self.assertEqual(check_siren("732 829 320"), ("732829320", None))
        self.assertEqual(check_siren("732.829.320.00074"), ("732829320", None), "a SIRET gives its SIREN")
        self.assertEqual(check_siren("732829321"), ("", "siren_invalid"))
        self.assertEqual(check_siren("7328293"), ("", "siren_invalid"))
        self.assertEqual(check_siren(""), ("", "siren_missing"))

    def test_vat_check_digits_and_french_key_matching_the_siren(self):
        self.assertEqual(check_vat("FR 44 732829320", "732829320"), ("FR44732829320", None))
        self.assertEqual(check_vat("FR44732829320", "552100554"), ("FR44732829320", "vat_siren_mismatch"))
        self.assertEqual(check_vat("FR00732829320"), ("", "vat_invalid"), "wrong French key")
        self.assertEqual(check_vat("DE136695976"), ("DE136695976", None))
        self.assertEqual(check_vat("DE136695977"), ("", "vat_invalid"))
        self.assertEqual(check_vat("  "), ("", "vat_missing"))

    def test_complete_customer_scores_100(self):
        verdict = judge(self._complete())
        self.assertEqual((verdict.issues, verdict.score), ([], 100))
        self.assertEqual(verdict.criteria, ["siren", "vat", "email", "address", "payment_term"])

    def test_each_failed_criterion_costs_a_fifth(self):
        verdict = judge(self._complete(company_registry="732829321", vat="", city="", has_payment_term=False))
        self.assertEqual(verdict.issues, ["siren_invalid", "vat_missing", "address_incomplete", "payment_term_missing"])
        self.assertEqual(verdict.score, 20)
        verdict = judge(self._complete(accounting_email=""))
        self.assertEqual((verdict.issues, verdict.score), (["email_missing"], 80))

    def test_siren_only_for_french_companies_vat_only_for_companies(self):
        foreign = judge(self._complete(country_code="DE", company_registry="", vat="DE136695976"))
        self.assertEqual((foreign.criteria[0], foreign.issues, foreign.score), ("vat", [], 100))
        person = judge(self._complete(is_company=False, company_registry="", vat=""))
        self.assertEqual((person.criteria, person.score), (["email", "address", "payment_term"], 100))
        nowhere = judge(self._complete(country_code="", company_registry=""), home_country="FR")
        self.assertIn("siren_missing", nowhere.issues, "no country: taken to be in the company's country")
        self.assertIn("address_incomplete", nowhere.issues)

    def test_duplicates_share_a_siren_vat_or_iban(self):
        found = duplicates(
            [
                (1, "siren", "732829320"),
                (2, "siren", "732829320"),
                (2, "vat", "FR44732829320"),
                (3, "vat", "FR44732829320"),
                (4, "iban", "FR7630006000011234567890189"),
                (5, "iban", "FR7630006000011234567890189"),
                (6, "siren", ""),
                (7, "siren", ""),
            ]
        )
        self.assertEqual(found[1], {2: {"siren"}})
        self.assertEqual(found[2], {1: {"siren"}, 3: {"vat"}})
        self.assertEqual(found[4], {5: {"iban"}})
        self.assertNotIn(6, found, "an empty identifier makes no duplicate")

    def test_iban_is_normalised_and_checked(self):
        self.assertEqual(normalise_iban("fr76 3000 6000 0112 3456 7890 189"), "FR7630006000011234567890189")
        self.assertEqual(normalise_iban("FR76 3000 6000 0112 3456 7890 188"), "")
        self.assertEqual(normalise_iban(False), "")
