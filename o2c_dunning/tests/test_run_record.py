"""Each dunning run is recorded: its date, company, what it created, sent and failed, and its reminders."""

from odoo.tests import Form, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningRunRecord(DunningCase):
    def test_run_records_its_reminders_and_what_it_sent(self):
        alpha, beta = self._customer("Run Alpha"), self._customer("Run Beta")
        self._invoice(alpha, 200.0, 3)
        self._invoice(alpha, 300.0, 2)
        self._invoice(beta, 150.0, 3)
        result = self._run()
        run = result["runs"]
        self.assertEqual(len(run), 1, "one run per company")
        self.assertEqual(run.company_id, self.company)
        self.assertEqual(run.date, self.today)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.communication_ids, self._comms(alpha) | self._comms(beta))
        self.assertEqual((run.created_count, run.sent_count, run.failed_count, run.locked_count), (2, 2, 0, 0))
        self.assertEqual(set(run.communication_ids.mapped("state")), {"sent"})
        self.assertIn(str(self.today.year), run.name)
        action = run.action_open_communications()
        self.assertEqual(self.Comm.search(action["domain"]), run.communication_ids)

    def test_next_day_run_is_a_new_record_that_creates_nothing_twice(self):
        gamma = self._customer("Run Gamma")
        self._invoice(gamma, 400.0, 3)
        first = self._run()["runs"]
        second = self._run()["runs"]
        self.assertNotEqual(first, second)
        self.assertEqual((first.created_count, second.created_count), (1, 0))
        self.assertFalse(second.communication_ids)

    def test_dunning_manager_opens_the_run_from_the_menu(self):
        self._invoice(self._customer("Run Delta"), 250.0, 3)
        run = self._run(send=False)["runs"]
        action = self.env.ref("o2c_dunning.o2c_dunning_run_action")
        self.assertEqual(action.res_model, "o2c.dunning.run")
        self.assertTrue(self.env.ref("o2c_dunning.menu_dunning_run_history").action == action)
        form = Form(run)
        self.assertEqual(form.created_count, 1)
        self.assertEqual(form.sent_count, 0)
