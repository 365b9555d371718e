from odoo.tests import new_test_user, tagged

from .common import DunningHttpCase


@tagged("post_install", "-at_install")
class TestWorklistTour(DunningHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The worklist is the collector's screen: the tour runs as a collector of the test company.
        cls.collector = new_test_user(
            cls.env,
            login="o2c_tour_collector",
            name="Colette Collector",
            groups="o2c_dunning.group_o2c_dunning_collector",
        )

    def test_collector_sends_and_skips_from_the_worklist_in_chromium(self):
        invoices = self.env["account.move"]
        for name in ("Tour Alpha", "Tour Beta"):
            # no email: a letter and a call, so the tour does not depend on a mail server; a postal address, without
            # which a formal notice is not sent
            partner = self._customer(name, email=False, street="5 quai Perrache", zip="69002", city="Lyon")
            invoices |= self._invoice(partner, 990.0, 32, post=False)
        invoices.action_post()
        invoices.o2c_dunning_level_id = self.call
        self.Comm._o2c_run(companies=self.company, send=False)
        comms = self.Comm.search([("partner_id", "in", invoices.partner_id.ids)])
        self.assertEqual(comms.mapped("state"), ["draft", "draft"], "formal notices wait for the collector")

        self.start_tour("/odoo", "o2c_dunning_worklist_tour", login=self.collector.login)

        alpha = comms.filtered(lambda c: c.partner_id.name == "Tour Alpha")
        beta = comms - alpha
        self.assertEqual(alpha.state, "sent")
        self.assertEqual(beta.state, "cancelled")
        self.assertEqual(invoices.mapped("o2c_dunning_level_id"), self.notice)
