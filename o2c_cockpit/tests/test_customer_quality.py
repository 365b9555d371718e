from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CockpitCase


@tagged("post_install", "-at_install")
class TestCustomerQuality(CockpitCase):
    """The master-data worklist on prepared customers: scores, what to fix, likely duplicates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        france = env.ref("base.fr")
        germany = env.ref("base.de")
        cls.terms = env.ref("account.account_payment_term_30days")
        address = {"street": "12 rue des Lilas", "zip": "69003", "city": "Lyon", "country_id": france.id}
        Partner = env["res.partner"]
        cls.complete = Partner.create(
            {
                "name": "Quincaillerie Complète SAS",
                "is_company": True,
                "company_registry": "732 829 320",
                "vat": "FR44732829320",
                "customer_rank": 1,
                "property_payment_term_id": cls.terms.id,
                **address,
            }
        )
        Partner.create(
            {"name": "Service comptable", "type": "invoice", "parent_id": cls.complete.id, "email": "compta@q.fr"}
        )
        cls.sloppy = Partner.create(
            {
                "name": "Bricolage Approximatif SARL",
                "is_company": True,
                "company_registry": "732829321",
                "email": "contact@bricolage.fr",
                "customer_rank": 1,
                **address,
                "city": False,
            }
        )
        cls.twin = Partner.create(
            {
                "name": "Quincaillerie Complete",
                "is_company": True,
                "vat": "FR44732829320",
                "email": "achats@q.fr",
                "customer_rank": 1,
                "property_payment_term_id": cls.terms.id,
                **address,
            }
        )
        cls.person = Partner.create(
            {
                "name": "Jean Martin",
                "email": "jean@martin.fr",
                "customer_rank": 1,
                "property_payment_term_id": cls.terms.id,
                **address,
            }
        )
        cls.german = Partner.create(
            {
                "name": "Werkzeug GmbH",
                "is_company": True,
                "vat": "DE136695976",
                "email": "buchhaltung@werkzeug.de",
                "customer_rank": 1,
                "property_payment_term_id": cls.terms.id,
                "street": "Hauptstraße 1",
                "zip": "10115",
                "city": "Berlin",
                "country_id": germany.id,
            }
        )
        cls.supplier_only = Partner.create({"name": "Fournisseur Seul", "is_company": True, "supplier_rank": 1})
        iban = "FR76 3000 6000 0112 3456 7890 189"
        env["res.partner.bank"].create({"partner_id": cls.person.id, "acc_number": iban})
        env["res.partner.bank"].create({"partner_id": cls.sloppy.id, "acc_number": iban.replace(" ", "")})
        cls.prepared = cls.complete + cls.sloppy + cls.twin + cls.person + cls.german

    def _rows(self, user=None):
        model = self.env["o2c.cockpit.customer.quality"]
        if user:
            model = model.with_user(user)
        action = model.action_open_worklist()
        rows = model.search(action["domain"])
        return action, {row.partner_id: row for row in rows if row.partner_id in self.prepared}

    def test_scores_and_what_to_fix(self):
        _action, rows = self._rows()
        self.assertEqual(set(rows), set(self.prepared), "every customer has a row, not the supplier")
        self.assertEqual(rows[self.complete].score, 100)
        self.assertEqual(rows[self.complete].to_fix, "Check whether it duplicates Quincaillerie Complete (same VAT).")
        sloppy = rows[self.sloppy]
        self.assertEqual(sloppy.score, 20)
        self.assertTrue(sloppy.siren_invalid and sloppy.vat_missing and sloppy.address_incomplete)
        self.assertTrue(sloppy.payment_term_missing)
        self.assertFalse(sloppy.email_missing, "the customer's own e-mail receives invoices and reminders")
        self.assertIn("SIREN or SIRET in the Company ID is not valid", sloppy.to_fix)
        self.assertIn("Set the customer's payment terms.", sloppy.to_fix)
        twin = rows[self.twin]
        self.assertTrue(twin.siren_missing)
        self.assertEqual(twin.score, 80)
        self.assertEqual(rows[self.person].score, 100, "no SIREN nor VAT asked of a private person")
        self.assertEqual(rows[self.german].score, 100, "no SIREN asked of a German company")

    def test_likely_duplicates_by_vat_and_iban(self):
        _action, rows = self._rows()
        self.assertEqual(rows[self.twin].duplicate_partner_ids, self.complete)
        self.assertEqual(rows[self.complete].duplicate_partner_ids, self.twin)
        self.assertEqual(rows[self.complete].duplicate_reason, "VAT")
        self.assertEqual(rows[self.person].duplicate_partner_ids, self.sloppy)
        self.assertEqual(rows[self.person].duplicate_reason, "IBAN")
        self.assertTrue(rows[self.person].has_duplicates)
        self.assertFalse(rows[self.german].has_duplicates)
        self.assertIn("Check whether it duplicates Bricolage Approximatif SARL (same IBAN).", rows[self.person].to_fix)

    def test_worklist_opens_worst_first_and_leads_to_the_customer(self):
        action, _rows = self._rows()
        self.assertEqual(action["res_model"], "o2c.cockpit.customer.quality")
        rows = self.env["o2c.cockpit.customer.quality"].search(
            action["domain"] + [("partner_id", "in", self.prepared.ids)]
        )
        self.assertEqual(rows[0].partner_id, self.sloppy)
        opened = rows[0].action_open_partner()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("res.partner", self.sloppy.id))
        _action, again = self._rows()
        self.assertEqual(
            self.env["o2c.cockpit.customer.quality"].search_count(
                action["domain"] + [("partner_id", "=", self.sloppy.id)]
            ),
            1,
            "opening the worklist again replaces the user's rows",
        )

    def test_fixing_the_customer_raises_its_score(self):
        self.sloppy.write({"company_registry": "552100554", "vat": "FR96552100554", "city": "Lyon"})
        self.sloppy.with_company(self.env.company).property_payment_term_id = self.terms
        _action, rows = self._rows()
        self.assertEqual(rows[self.sloppy].score, 100)

    def test_only_accountants_and_administrators_open_it(self):
        billing = new_test_user(self.env, login="o2c_quality_billing", groups="account.group_account_invoice")
        with self.assertRaises(AccessError):
            self._rows(billing)
        auditor = new_test_user(self.env, login="o2c_quality_auditor", groups="account.group_account_readonly")
        _action, rows = self._rows(auditor)
        self.assertEqual(rows[self.complete].score, 100)
        administrator = new_test_user(self.env, login="o2c_quality_admin", groups="account.group_account_manager")
        seen = (
            self.env["o2c.cockpit.customer.quality"].with_user(administrator).search([("create_uid", "=", auditor.id)])
        )
        self.assertFalse(seen, "a worklist is its user's own")
