"""Data shared by the cockpit's database tests, on Odoo's accounting test company (a French one, its chart
loaded, nothing else in it): customers, and invoices and payments posted at given dates."""

from datetime import date

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon, AccountTestInvoicingHttpCommon


class CockpitDataMixin:
    """What every cockpit test needs: the test company, an income account, a bank journal, and helpers to
    post invoices, credit notes and payments dated as the test says."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.income = cls.company_data["default_account_revenue"]
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")

    @classmethod
    def get_default_groups(cls):
        """The test's own user is the accountant who also runs the dunning and handles disputes: the cockpit
        reads reminders and dispute cases, and the tests write them."""
        return (
            super().get_default_groups()
            | cls.env.ref("o2c_dunning.group_o2c_dunning_manager")
            | cls.env.ref("o2c_disputes.group_o2c_dispute_manager")
        )

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "company_id": cls.company.id, "customer_rank": 1, **values}
        )

    @classmethod
    def _invoice(cls, partner, invoice_date, amount, due=None, move_type="out_invoice", **values):
        """A posted invoice without taxes (its total is ``amount``), due on ``due`` (default: its date)."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due or invoice_date,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.income.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],  # fmt: skip
                **values,
            }
        )
        if due:
            move.invoice_date_due = due
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, payment_date):
        """Register a payment of ``amount`` dated ``payment_date`` on ``invoice`` (reconciled at once)."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": payment_date, "journal_id": cls.bank_journal.id})
        )
        wizard._create_payments()

    @staticmethod
    def d(text):
        return date.fromisoformat(text)


class CockpitCase(CockpitDataMixin, AccountTestInvoicingCommon):
    """The cockpit tests run in the database."""


class CockpitHttpCase(CockpitDataMixin, AccountTestInvoicingHttpCommon):
    """The same data for the tests that go through the web server (the dashboard tour)."""
