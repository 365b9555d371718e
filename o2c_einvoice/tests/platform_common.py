"""A French company connected to the local approved platform of afnor_server.py, and invoices ready to send."""

from datetime import timedelta

from odoo import fields

from .afnor_server import LocalPlatform
from .common import EinvoiceCase, EinvoiceHttpCase


class PlatformMixin:
    """The local platform, connected to the test company, and the crons of sending and fetching."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pa = LocalPlatform()
        cls.addClassCleanup(cls.pa.stop)
        cls.platform = cls.env["o2c.einvoice.platform"].create(cls.pa.connection_values())

    def setUp(self):
        super().setUp()
        self.pa.reset()
        self.pa.register("552100554", "Boulangerie Martin SARL")

    def issued_invoice(self, partner=None, **values):
        """A posted invoice, queued at posting; the sending cron issues its Factur-X."""
        return self.make_invoice(self.service, partner=partner, post=True, **values)

    def send_queued(self):
        """Run the sending cron as if its next attempt were due now; its Factur-X are real PDFs, as outside
        test mode."""
        queued = self.env["account.move"].search([("o2c_pa_state", "in", ("to_send", "sending"))])
        queued.write({"o2c_pa_next_try": fields.Datetime.now() - timedelta(seconds=1)})
        self.env["account.move"].with_context(force_report_rendering=True)._cron_o2c_pa_send()

    def fetch(self):
        """Run the status fetching cron."""
        self.env["o2c.einvoice.platform"]._cron_fetch_statuses()


class PlatformCase(PlatformMixin, EinvoiceCase):
    """The platform's tests in one transaction."""


class PlatformHttpCase(PlatformMixin, EinvoiceHttpCase):
    """The platform's tests that go through the web server (tours, the callback)."""
