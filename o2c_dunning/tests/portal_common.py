"""A customer with a reminder whose email link opens its account on the portal, for the portal tests."""

from datetime import timedelta

from odoo import Command, fields


class PortalAccountMixin:
    """Builds, in the test's environment, a customer with overdue and not-yet-due invoices, a credit note,
    an unapplied payment and a sent reminder (the link of its email carries the access token)."""

    def _portal_setup(self, name="Portal Customer"):
        env = self.env(context=dict(self.env.context, tracking_disable=True, mail_create_nolog=True))
        self.company = env.company
        self.today = fields.Date.context_today(env.user)
        self.ladder = self.company.o2c_dunning_ladder_id
        self.first_level = self.ladder.level_ids.sorted("sequence")[1]
        self.income_account = env["account.account"].search(
            [("company_ids", "in", self.company.id), ("account_type", "=", "income")], limit=1
        )
        self.customer = env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "street": "8 avenue Foch",
                "zip": "75116",
                "city": "Paris",
            }
        )
        self.overdue_a = self._portal_invoice(self.customer, 1000.0, 15)
        self.overdue_b = self._portal_invoice(self.customer, 500.0, 5)
        self.not_due = self._portal_invoice(self.customer, 300.0, -10)
        self.credit_note = self._portal_invoice(self.customer, 200.0, 0, move_type="out_refund")
        journal = env["account.journal"].search([("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1)
        self.payment = env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 100.0,
                "journal_id": journal.id,
                "date": self.today,
            }
        )
        self.payment.action_post()
        self.reminder = self._portal_reminder(self.customer)
        return env

    def _portal_invoice(self, partner, amount, days_past_due, move_type="out_invoice"):
        """A posted invoice (or credit note) of `amount` without tax, due `days_past_due` days ago."""
        due = self.today - timedelta(days=days_past_due)
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": min(due, self.today),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                            "account_id": self.income_account.id,
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _portal_reminder(self, partner, days_ago=0):
        """A sent first reminder of `partner`, as the run leaves it."""
        return self.env["o2c.dunning.communication"].create(
            {
                "partner_id": partner.id,
                "contact_id": partner.id,
                "company_id": self.company.id,
                "level_id": self.first_level.id,
                "run_date": self.today - timedelta(days=days_ago),
                "state": "sent",
                "channel": "email",
                "amount_dunned": 1500.0,
            }
        )

    def _link(self, reminder, path="", **params):
        """The address a reminder email links to (`path` for the account's other pages)."""
        token = reminder._portal_ensure_token()
        query = "&".join(f"{key}={value}" for key, value in params.items())
        if not path:
            return f"/my/balance/reminder/{reminder.id}?access_token={token}" + (f"&{query}" if query else "")
        return f"/my/balance/{path}?reminder_id={reminder.id}&access_token={token}" + (f"&{query}" if query else "")
