import json
from base64 import b64decode

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CockpitCase

COCKPIT_MODELS = ("o2c.cockpit.figure", "o2c.cockpit.level.effect", "o2c.cockpit.cashin.week",
                  "o2c.cockpit.health.check", "o2c.cockpit.health.finding")  # fmt: skip


@tagged("post_install", "-at_install")
class TestFiguresAccess(CockpitCase):
    """Who sees the figures, the dashboard and the health checks, and of which company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(cls.env, login="o2c_figs_billing", groups="account.group_account_invoice")
        cls.auditor = new_test_user(cls.env, login="o2c_figs_auditor", groups="account.group_account_readonly")
        cls.manager = new_test_user(cls.env, login="o2c_figs_manager", groups="account.group_account_manager")
        for user in (cls.billing, cls.auditor, cls.manager):
            user.write({"company_ids": [(6, 0, [cls.company.id, cls.env.ref("base.main_company").id])],
                        "company_id": cls.company.id})  # fmt: skip
        customer = cls._customer("Client Accès")
        cls._invoice(customer, cls.d("2026-01-10"), 100)
        cls.env["o2c.cockpit.figure"]._o2c_refresh(cls.company, today=cls.d("2026-02-10"))
        cls.check = cls.env["o2c.cockpit.health.check"].create({"company_id": cls.company.id})
        cls.check.action_measure()

    def _env(self, user, company=None):
        return self.env(user=user, context={"allowed_company_ids": [(company or self.company).id]})

    def test_billing_user_sees_neither_figures_nor_health_checks(self):
        env = self._env(self.billing)
        for model in COCKPIT_MODELS:
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].search([])

    def test_accountant_reads_but_neither_refreshes_nor_runs_a_check(self):
        env = self._env(self.auditor)
        self.assertEqual(env["o2c.cockpit.figure"].search_count([]), 12)
        self.assertTrue(env["o2c.cockpit.health.check"].browse(self.check.id).finding_ids)
        with self.assertRaises(AccessError):
            env["o2c.cockpit.figure"].action_refresh()
        with self.assertRaises(AccessError):
            env["o2c.cockpit.health.check"].create({"company_id": self.company.id})

    def test_invoicing_administrator_refreshes_and_runs_a_check(self):
        env = self._env(self.manager)
        env["o2c.cockpit.figure"].action_refresh()
        check = env["o2c.cockpit.health.check"].create({"company_id": self.company.id, "q_direct_debit": "no"})
        check.action_measure()
        self.assertIn("q_direct_debit", check.finding_ids.mapped("code"))

    def test_figures_of_another_company_stay_hidden(self):
        env = self._env(self.manager, self.env.ref("base.main_company"))
        self.assertFalse(env["o2c.cockpit.figure"].search([("company_id", "=", self.company.id)]))
        self.assertFalse(env["o2c.cockpit.health.check"].search([("id", "=", self.check.id)]))
        self.assertFalse(env["o2c.cockpit.health.finding"].search([("check_id", "=", self.check.id)]))

    def test_dashboard_is_published_for_accountants_and_reads_fields_that_exist(self):
        dashboard = self.env.ref("o2c_cockpit.spreadsheet_dashboard_order_to_cash")
        self.assertTrue(dashboard.is_published)
        self.assertEqual(
            set(dashboard.group_ids.mapped(lambda group: group.get_external_id()[group.id])),
            {"account.group_account_manager", "account.group_account_readonly"},
        )
        data = json.loads(b64decode(dashboard.spreadsheet_binary_data))
        sources = list(data["pivots"].values())
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                meta = figure["data"]["metaData"]
                sources.append(
                    {
                        "model": meta["resModel"],
                        "measures": [{"fieldName": meta["measure"]}],
                        "rows": [{"fieldName": group.split(":")[0]} for group in meta["groupBy"]],
                    }
                )
        self.assertEqual(len(sources), 5)
        for source in sources:
            model = self.env[source["model"]]
            for field in [m["fieldName"] for m in source["measures"]] + [r["fieldName"] for r in source["rows"]]:
                self.assertIn(field, model._fields, f"{source['model']}.{field}")
        dashboard_env = self._env(self.auditor)
        self.assertIn(dashboard, dashboard_env["spreadsheet.dashboard"].search([]))
        self.assertNotIn(dashboard, self._env(self.billing)["spreadsheet.dashboard"].search([]))
