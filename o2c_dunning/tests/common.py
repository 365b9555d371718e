import email
import socket
import socketserver
import threading
from datetime import timedelta

import odoo
from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon, AccountTestInvoicingHttpCommon


class _SmtpSession(socketserver.StreamRequestHandler):
    """One SMTP client session (RFC 5321: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), enough for Odoo's smtplib."""

    def _reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._reply("220 localhost SMTP sink")
        recipients, sink = [], self.server.sink
        for raw in self.rfile:
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply("250-localhost")
                self._reply("250-8BITMIME")
                self._reply("250 SMTPUTF8")
            elif verb == "HELO":
                self._reply("250 localhost")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].split()[0].strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                for line in self.rfile:
                    if line in (b".\r\n", b".\n"):
                        break
                    data.append(line[1:] if line.startswith(b"..") else line)
                sink.messages.append((recipients, email.message_from_bytes(b"".join(data))))
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            elif verb in ("RSET", "NOOP"):
                self._reply("250 OK")
            else:
                self._reply("502 Command not implemented")


class SmtpSink:
    """A real SMTP server on a free localhost port, in a thread, that keeps what it receives
    (``messages``: (recipients, email.message.Message) pairs)."""

    def __init__(self):
        self.messages = []
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSession)
        self._server.daemon_threads = True
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def closed_port():
    """A localhost port where nothing listens (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DunningDataMixin:
    """The dunning tests' data and helpers (built once per class), on Odoo's accounting test company, French
    with its chart loaded, and its default ladder; the test's user is an accountant and a dunning manager."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_dunning_data()

    @classmethod
    def default_env_context(cls):
        """Tracking and the creation lines are off; the other chatter lines (reminders, promises) are checked."""
        return {"tracking_disable": True, "mail_create_nolog": True}

    @classmethod
    def get_default_groups(cls):
        """The test's own user runs the dunning besides the accounting."""
        return super().get_default_groups() | cls.env.ref("o2c_dunning.group_o2c_dunning_manager")

    @classmethod
    def _setup_dunning_data(cls):
        cls.company = cls.company_data["company"]
        cls.company.o2c_dunning_auto_send = True
        cls.today = fields.Date.context_today(cls.env.user)
        cls.ladder = cls.company.o2c_dunning_ladder_id
        levels = cls.ladder.level_ids.sorted("sequence")
        cls.courteous, cls.first, cls.second, cls.call, cls.notice, cls.litigation = levels
        cls.income_account = cls.company_data["default_account_revenue"]

    @property
    def Comm(self):
        """The reminders, in the test's environment (a PDF test's forces the real rendering)."""
        return self.env["o2c.dunning.communication"]

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

    @classmethod
    def _setup_portal_account(cls, name="Portal Customer"):
        """A customer with overdue and not-yet-due invoices, a credit note, an unapplied payment and a sent
        reminder, whose email links to its account on the portal (the link carries the access token)."""
        cls.customer = cls._customer(name)
        cls.overdue_a = cls._invoice(cls.customer, 1000.0, 15)
        cls.overdue_b = cls._invoice(cls.customer, 500.0, 5)
        cls.not_due = cls._invoice(cls.customer, 300.0, -10)
        cls.credit_note = cls._invoice(cls.customer, 200.0, 0, move_type="out_refund")
        cls.payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "amount": 100.0,
                "journal_id": cls.company_data["default_journal_bank"].id,
                "date": cls.today,
            }
        )
        cls.payment.action_post()
        cls.reminder = cls._reminder(cls.customer)

    @classmethod
    def _reminder(cls, partner, days_ago=0):
        """A sent first reminder of `partner`, as the run leaves it."""
        return cls.env["o2c.dunning.communication"].create(
            {
                "partner_id": partner.id,
                "contact_id": partner.id,
                "company_id": cls.company.id,
                "level_id": cls.first.id,
                "run_date": cls.today - timedelta(days=days_ago),
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

    def _run(self, days=0, send=True):
        """Run the dunning of the test company `days` days from today."""
        return self.Comm._o2c_run(companies=self.company, run_date=self.today + timedelta(days=days), send=send)

    def _comms(self, partner):
        return self.Comm.search([("partner_id", "=", partner.id)], order="id")


class DunningCase(DunningDataMixin, AccountTestInvoicingCommon):
    """The dunning tests run in the database; their emails really leave through SMTP to a local server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Whatever the test runner: Odoo's runner short-circuits SMTP while `current_test` is set.
        cls._previous_current_test = odoo.modules.module.current_test
        odoo.modules.module.current_test = None
        cls.addClassCleanup(setattr, odoo.modules.module, "current_test", cls._previous_current_test)
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.stop)
        # sudo: the mail servers are the administrator's settings, not the collector's.
        mail_servers = cls.env["ir.mail_server"].sudo()
        mail_servers.search([]).active = False
        cls.mail_server = mail_servers.create(
            {"name": "Test SMTP", "smtp_host": "127.0.0.1", "smtp_port": cls.smtp.port, "smtp_encryption": "none"}
        )
        cls.company.email = "compta@o2c-test.example.com"


class DunningHttpCase(DunningDataMixin, AccountTestInvoicingHttpCommon):
    """The same data for the tests that go through the web server (the customer's portal account, tours)."""
