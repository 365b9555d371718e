from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon, AccountTestInvoicingHttpCommon
from odoo.tests import new_test_user


class DisputeDataMixin:
    """Customers, users and posted invoices shared by the dispute tests (built once per class), on Odoo's
    accounting test company, French with its chart loaded."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_dispute_data()

    @classmethod
    def default_env_context(cls):
        """Mail stays on: the chatter lines a case writes are part of what the tests check."""
        return {}

    @classmethod
    def get_default_groups(cls):
        """The test's own user handles disputes and runs the dunning besides the accounting."""
        return (
            super().get_default_groups()
            | cls.env.ref("o2c_disputes.group_o2c_dispute_manager")
            | cls.env.ref("o2c_dunning.group_o2c_dunning_manager")
        )

    @contextmanager
    def assertRaisesText(self, exception, text):
        """Like ``assertRaises`` (which rolls back to a savepoint) and checks the message names ``text``."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    @classmethod
    def _setup_dispute_data(cls):
        env = cls.env
        cls.company = env.company
        cls.company.o2c_dispute_user_id = False
        cls.today = fields.Date.context_today(env["o2c.dispute"])
        cls.tax = env["account.tax"].create(
            {
                "name": "TVA 20 % (test)",
                "amount": 20.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.product = env["product.product"].create({"name": "Pallet of tiles", "list_price": 100.0})
        cls.service = env["product.product"].create({"name": "Delivery", "type": "service", "list_price": 50.0})
        cls.customer = env["res.partner"].create({"name": "Carrelages Dubois SARL", "is_company": True})
        cls.other_customer = env["res.partner"].create({"name": "Maçonnerie Leroy SA", "is_company": True})
        cls.handler = new_test_user(
            env,
            login="dispute_handler",
            name="Hélène Handler",
            email="helene@example.com",
            groups="o2c_disputes.group_o2c_dispute_user",
        )
        cls.billing_user = new_test_user(env, login="billing_only", groups="account.group_account_invoice")
        cls.plain_user = new_test_user(env, login="plain_internal", groups="base.group_user")
        cls.portal_user = new_test_user(
            env, login="portal_dubois", name="Paul Dubois", email="paul@dubois.example", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_portal_user = new_test_user(
            env, login="portal_leroy", name="Léa Leroy", email="lea@leroy.example", groups="base.group_portal"
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_customer
        cls.reason_price = env.ref("o2c_disputes.o2c_dispute_reason_price")
        cls.reason_damaged = env.ref("o2c_disputes.o2c_dispute_reason_damaged")
        cls.reason_duplicate = env.ref("o2c_disputes.o2c_dispute_reason_duplicate")
        cls.root_pricing = env.ref("o2c_disputes.o2c_dispute_root_cause_pricing")
        cls.root_customer = env.ref("o2c_disputes.o2c_dispute_root_cause_customer")

    @classmethod
    def _invoice(cls, partner, lines, days_overdue=0, post=True, invoice_date=None):
        """A customer invoice for ``partner`` with ``lines`` = [(product, quantity, unit price)], due
        ``days_overdue`` days ago, posted unless ``post`` is false."""
        date = invoice_date or cls.today - timedelta(days=days_overdue + 30)
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_date_due": cls.today - timedelta(days=days_overdue),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.set(cls.tax.ids)],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice

    @classmethod
    def _dispute(cls, invoices, amount, reason=None, **vals):
        """Open a dispute from the back office on ``invoices`` for ``amount``."""
        return cls.env["o2c.dispute"].create(
            {
                "partner_id": invoices.commercial_partner_id.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "amount_disputed": amount,
                "reason_id": (reason or cls.reason_price).id,
                **vals,
            }
        )


class DisputeCase(DisputeDataMixin, AccountTestInvoicingCommon):
    """The dispute tests' data for tests run in the database."""


class DisputeHttpCase(DisputeDataMixin, AccountTestInvoicingHttpCommon):
    """The same data for the tests that go through the web server (portal pages, tours)."""
