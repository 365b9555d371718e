from odoo.tests import TransactionCase, tagged

SUITE_ADDONS = ("o2c_credit", "o2c_dunning", "o2c_disputes", "o2c_einvoice", "o2c_cashmatch")


@tagged("post_install", "-at_install")
class TestAccessRights(TransactionCase):
    def _suite_models(self):
        """Return the ir.model records of every model whose name starts with ``o2c.``."""
        return self.env["ir.model"].search([("model", "=like", "o2c.%")])

    def test_every_suite_model_has_access_rules(self):
        missing = []
        for model in self._suite_models():
            # An abstract model (a service such as o2c.dunning.send, like Odoo's account.move.send) has no table
            # and no records: Odoo asks access lines of concrete models only, and so does this test.
            if model.model not in self.env or self.env[model.model]._abstract:
                continue
            if not model.access_ids:
                missing.append(model.model)
        self.assertFalse(missing, f"models of the suite without any ir.model.access line: {missing}")

    def test_no_suite_model_is_open_to_everyone(self):
        """An access line without a group applies to every user, portal and public included."""
        open_lines = self.env["ir.model.access"].search(
            [("model_id", "in", self._suite_models().ids), ("group_id", "=", False)]
        )
        self.assertFalse(open_lines.mapped("name"), "suite models must name the groups they open to")

    def test_suite_groups_exist_and_admin_holds_them(self):
        admin = self.env.ref("base.user_admin")
        for xmlid in (
            "o2c_credit.group_o2c_credit_manager",
            "o2c_credit.group_o2c_credit_director",
            "o2c_dunning.group_o2c_dunning_collector",
            "o2c_dunning.group_o2c_dunning_manager",
            "o2c_disputes.group_o2c_dispute_user",
            "o2c_disputes.group_o2c_dispute_manager",
            "o2c_einvoice.group_o2c_einvoice_manager",
            "o2c_cashmatch.group_o2c_cashmatch_user",
        ):
            group = self.env.ref(xmlid)
            self.assertIn(group, admin.groups_id, f"admin should hold {xmlid}")

    def test_collector_implies_invoicing_and_director_implies_credit_manager(self):
        collector = self.env.ref("o2c_dunning.group_o2c_dunning_collector")
        self.assertIn(self.env.ref("account.group_account_invoice"), collector.trans_implied_ids)
        director = self.env.ref("o2c_credit.group_o2c_credit_director")
        self.assertIn(self.env.ref("o2c_credit.group_o2c_credit_manager"), director.trans_implied_ids)
