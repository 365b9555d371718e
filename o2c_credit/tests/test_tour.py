from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCreditTour(HttpCase):
    """Hold and approval seen working in a real browser (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write({"account_use_credit_limit": True, "o2c_credit_hold_orders": True})
        cls.env["o2c.credit.rule"].search([]).action_archive()
        cls.env["o2c.credit.rule"].create(
            {
                "name": "Over the limit",
                "action": "approval",
                "approval_group_id": cls.env.ref("o2c_credit.group_o2c_credit_manager").id,
                "use_over_limit": True,
            }
        )
        cls.salesman = new_test_user(cls.env, login="tour_sales", groups="sales_team.group_sale_salesman")
        new_test_user(cls.env, login="tour_credit", groups="o2c_credit.group_o2c_credit_manager")
        customer = cls.env["res.partner"].create({"name": "Tour Credit SA", "is_company": True})
        customer.credit_limit = 1000
        product = cls.env["product.product"].create({"name": "Tour widget", "taxes_id": [Command.clear()]})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.salesman.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 1500, "tax_id": []})],
            }
        )

    def test_hold_then_approval_in_the_browser(self):
        self.start_tour("/odoo", "o2c_credit_hold_tour", login="tour_sales")
        self.assertEqual((self.order.state, self.order.o2c_credit_state), ("draft", "hold"))
        self.start_tour("/odoo", "o2c_credit_approval_tour", login="tour_credit")
        self.assertEqual((self.order.state, self.order.o2c_credit_state), ("sale", "approved"))
        self.assertEqual(self.order.o2c_credit_approval_id.comment, "Approved for the season")
