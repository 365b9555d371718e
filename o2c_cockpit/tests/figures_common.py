from datetime import date

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.tests import TransactionCase


class FiguresCase(TransactionCase):
    """A company of its own (nothing else in it), with helpers to post invoices and payments at given dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = create_second_company(cls.env, cls.env.ref("base.EUR"), name="Cockpit SAS")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.income = cls.env["account.account"].search(
            [("company_ids", "in", cls.company.id), ("account_type", "=", "income")], limit=1
        )
        cls.bank_journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "bank")], limit=1
        )
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")

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
