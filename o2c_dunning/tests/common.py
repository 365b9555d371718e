import asyncore
import email
import socket
import threading
import warnings
from datetime import timedelta

import odoo
from odoo import Command, fields
from odoo.tests import TransactionCase

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import smtpd


class SmtpSink(smtpd.SMTPServer):
    """A real SMTP server on a free localhost port, in a thread, that keeps what it receives."""

    def __init__(self):
        self.socket_map = {}
        super().__init__(("127.0.0.1", 0), None, map=self.socket_map, enable_SMTPUTF8=True)
        self.port = self.socket.getsockname()[1]
        self.messages = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            asyncore.loop(timeout=0.05, count=1, map=self.socket_map)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.messages.append((rcpttos, email.message_from_bytes(data)))

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        asyncore.close_all(self.socket_map)


def closed_port():
    """A localhost port where nothing listens (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DunningCase(TransactionCase):
    """Customers and posted invoices on the company's default ladder, built once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.company.o2c_dunning_auto_send = True
        cls.today = fields.Date.context_today(cls.env.user)
        cls.ladder = cls.company.o2c_dunning_ladder_id
        levels = cls.ladder.level_ids.sorted("sequence")
        cls.courteous, cls.first, cls.second, cls.call, cls.notice, cls.litigation = levels
        cls.income_account = cls.env["account.account"].search(
            [("company_ids", "in", cls.company.id), ("account_type", "=", "income")], limit=1
        )
        cls.Comm = cls.env["o2c.dunning.communication"]
        # Emails really leave through SMTP to a local server, whatever the test runner: Odoo's runner
        # short-circuits SMTP while `current_test` is set, pytest-odoo on 18.0 does not set it.
        cls._previous_current_test = odoo.modules.module.current_test
        odoo.modules.module.current_test = None
        cls.addClassCleanup(setattr, odoo.modules.module, "current_test", cls._previous_current_test)
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.stop)
        cls.env["ir.mail_server"].search([]).active = False
        cls.mail_server = cls.env["ir.mail_server"].create(
            {"name": "Test SMTP", "smtp_host": "127.0.0.1", "smtp_port": cls.smtp.port, "smtp_encryption": "none"}
        )
        cls.company.email = "compta@o2c-test.example.com"

    @classmethod
    def _customer(cls, name, **values):
        """A customer company with an email and a postal address (a formal notice needs one), unless
        `values` say otherwise."""
        email = f"{name.lower().replace(' ', '.')}@example.com"
        address = {"street": "8 avenue Foch", "zip": "75116", "city": "Paris"}
        return cls.env["res.partner"].create({"name": name, "is_company": True, "email": email, **address, **values})

    @classmethod
    def _invoice(cls, partner, amount, days_past_due, move_type="out_invoice", post=True):
        """A posted invoice (or credit note) of `amount` without tax, due `days_past_due` days ago."""
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

    @classmethod
    def _pay(cls, invoice, amount=None):
        """Register a payment of `amount` (all by default) on `invoice`."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount or invoice.amount_residual})
        )
        return wizard._create_payments()

    def _run(self, days=0, send=True):
        """Run the dunning of the test company `days` days from today."""
        return self.Comm._o2c_run(companies=self.company, run_date=self.today + timedelta(days=days), send=send)

    def _comms(self, partner):
        return self.Comm.search([("partner_id", "=", partner.id)], order="id")
