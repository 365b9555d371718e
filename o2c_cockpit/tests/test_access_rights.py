from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCockpitAccess(TransactionCase):
    """Who sees the cockpit: invoicing administrators and accountants, not every billing user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(cls.env, login="o2c_cockpit_billing", groups="account.group_account_invoice")
        cls.administrator = new_test_user(cls.env, login="o2c_cockpit_admin", groups="account.group_account_manager")
        cls.accountant = new_test_user(
            cls.env, login="o2c_cockpit_accountant", groups="account.group_account_invoice,account.group_account_user"
        )
        cls.auditor = new_test_user(cls.env, login="o2c_cockpit_auditor", groups="account.group_account_readonly")
        cls.root_menu = cls.env.ref("o2c_cockpit.menu_cockpit_root")

    def _sees(self, user, menu):
        return menu.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def _cockpit_menus(self):
        """The cockpit's menus that lead somewhere (a menu without action or child is never shown)."""
        return self.env["ir.ui.menu"].search([("id", "child_of", self.root_menu.id), ("action", "!=", False)])

    def test_billing_user_does_not_see_the_cockpit(self):
        self.assertFalse(self._sees(self.billing, self.root_menu))
        for menu in self._cockpit_menus():
            self.assertFalse(self._sees(self.billing, menu), menu.complete_name)

    def test_administrator_accountant_and_auditor_see_the_cockpit(self):
        menus = self._cockpit_menus()
        self.assertIn(self.env.ref("o2c_cockpit.menu_cockpit_aged_balance"), menus)
        for user in (self.administrator, self.accountant, self.auditor):
            for menu in menus:
                self.assertTrue(self._sees(user, menu), f"{user.login}: {menu.complete_name}")
