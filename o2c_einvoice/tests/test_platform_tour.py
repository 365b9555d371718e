"""In the browser: connect the platform, test it, send an invoice, see 200 then 205 come back."""

from odoo.tests import tagged

from .platform_common import PlatformHttpCase


@tagged("post_install", "-at_install")
class TestPlatformTour(PlatformHttpCase):
    def test_connect_send_and_see_200_then_205_arrive(self):
        login = self.env.user.login  # Odoo's accountant of the test company, also its E-invoicing Manager
        self.platform.unlink()
        values = self.pa.connection_values()
        del values["client_id"], values["client_secret_input"]
        platform = self.env["o2c.einvoice.platform"].create(values | {"send_at_posting": False})
        move = self.issued_invoice()
        self.assertEqual(move.o2c_pa_state, "none")
        self.start_tour(f"/odoo/action-o2c_einvoice.o2c_einvoice_platform_action/{platform.id}",
                        "o2c_einvoice_platform_connect_tour", login=login)  # fmt: skip
        self.assertTrue(platform.test_ok)
        self.assertEqual(platform.sudo().client_secret, "s3cret-of-the-test-platform")
        self.start_tour(f"/odoo/account.move/{move.id}", "o2c_einvoice_platform_send_tour", login=login)
        self.assertEqual(move.o2c_pa_state, "to_send")
        # The crons of the platform, run here rather than by the cron worker.
        self.send_queued()
        self.fetch()
        self.assertEqual(move.o2c_einvoice_status_code, "200")
        self.start_tour(f"/odoo/account.move/{move.id}", "o2c_einvoice_platform_deposited_tour", login=login)
        self.pa.add_status(move.name, "732829320", "552100554", "205")
        self.fetch()
        self.start_tour(f"/odoo/account.move/{move.id}", "o2c_einvoice_platform_approved_tour", login=login)
