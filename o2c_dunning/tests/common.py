from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase


class DunningCase(TransactionCase):
    """Customers and posted invoices on the company's default ladder, built once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env.user)
        cls.ladder = cls.company.o2c_dunning_ladder_id
        cls.levels = cls.ladder.level_ids.sorted("sequence")
        cls.income_account = cls.env["account.account"].search(
            [("company_ids", "in", cls.company.id), ("account_type", "=", "income")], limit=1
        )

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "email": f"{name.lower().replace(' ', '.')}@example.com", **values}
        )

    @classmethod
    def _invoice(cls, partner, amount, days_past_due, move_type="out_invoice", post=True):
        """A posted invoice of `amount` (no tax) due `days_past_due` days ago."""
        due = cls.today - timedelta(days=days_past_due)
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": min(due, cls.today),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                            "account_id": cls.income_account.id,
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move
