from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class O2cCreditCase(AccountTestInvoicingCommon):
    """Data shared by the credit tests, on Odoo's accounting test company (a French one, its chart loaded):
    credit limits in use, users, a product, a customer."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({"account_use_credit_limit": True, "o2c_credit_hold_orders": True})
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.currency = cls.company.currency_id
        # Only the rules a test creates are in force.
        cls.env["o2c.credit.rule"].search([]).action_archive()
        cls.salesman = new_test_user(
            cls.env,
            login="o2c_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            name="Sam Sales",
        )
        cls.manager = new_test_user(
            cls.env, login="o2c_manager", groups="o2c_credit.group_o2c_credit_manager", name="Claire Credit"
        )
        cls.director = new_test_user(
            cls.env, login="o2c_director", groups="o2c_credit.group_o2c_credit_director", name="Dan Director"
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Widget", "type": "consu", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.customer = cls._new_customer("Dupont SA", limit=10000.0)

    @classmethod
    def default_env_context(cls):
        """Mail stays on (the chatter lines are part of what the tests check); tracking is off unless a test asks."""
        return {"tracking_disable": True, "mail_notrack": True}

    @classmethod
    def get_default_groups(cls):
        """The test's own user runs the credit policy as well as the accounting: credit director, sales manager."""
        return (
            super().get_default_groups()
            | cls.env.ref("o2c_credit.group_o2c_credit_director")
            | cls.env.ref("sales_team.group_sale_manager")
        )

    @classmethod
    def _new_customer(cls, name, limit=0.0):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        partner.credit_limit = limit
        return partner

    @classmethod
    def _invoice(cls, partner, amount, due, invoice_date=None, post=True):
        """Create a customer invoice of ``amount`` (no tax) due on ``due``."""
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date or min(due, cls.today),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, date):
        """Register a payment of ``amount`` on ``invoice`` dated ``date``."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": date, "amount": amount})
            ._create_payments()
        )

    @classmethod
    def _order(cls, partner, amount, user=None):
        """Create a quotation of ``amount`` (no tax) for ``partner``."""
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.salesman).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    @classmethod
    def _rule(cls, name, action="approval", group=None, level=1, **conditions):
        values = {"name": name, "action": action, "company_id": cls.company.id, **conditions}
        if action == "approval":
            values["approval_group_id"] = (group or cls.env.ref("o2c_credit.group_o2c_credit_manager")).id
            values["approval_level"] = level
        return cls.env["o2c.credit.rule"].create(values)

    @classmethod
    def days(cls, count):
        """Return today shifted by ``count`` days."""
        return cls.today + timedelta(days=count)
