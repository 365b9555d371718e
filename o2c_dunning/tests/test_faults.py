from datetime import timedelta

from odoo.addons.o2c_dunning.core.interest import half_year_start
from odoo.exceptions import ValidationError

from .common import DunningCase, closed_port


class TestMailServerDown(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Delta Transports")
        cls.invoice = cls._invoice(cls.customer, 2500.0, 4)

    def test_mail_server_down_marks_failed_then_next_run_sends_once(self):
        live_port = self.mail_server.smtp_port
        self.mail_server.smtp_port = closed_port()
        self._run()
        comm = self._comms(self.customer)
        self.assertEqual(comm.state, "failed", "never marked sent when the server refused it")
        self.assertIn("Connection refused", comm.error_message)
        self.assertFalse(self.invoice.o2c_dunning_level_id, "the level is not reached while unsent")
        self.assertFalse(self.smtp.messages)
        self.assertIn(comm, self.Comm.search([("state", "in", ("draft", "to_send", "failed"))]), "in the worklist")

        self._run()  # still down: retried, still failed, no second communication
        self.assertEqual(self._comms(self.customer), comm)
        self.assertEqual(comm.state, "failed")

        self.mail_server.smtp_port = live_port
        result = self._run()
        self.assertEqual(result["sent"], comm)
        self.assertEqual(comm.state, "sent")
        self.assertFalse(comm.error_message)
        self.assertEqual(self.invoice.o2c_dunning_level_id, self.first)
        self.assertEqual(len(self.smtp.messages), 1)
        recipients, message = self.smtp.messages[0]
        self.assertEqual(recipients, ["delta.transports@example.com"])
        attachments = [part.get_filename() for part in message.walk() if part.get_filename()]
        self.assertTrue(any(name.startswith("Statement") for name in attachments), attachments)

        self._run()
        self._run(days=1)
        self.assertEqual(len(self.smtp.messages), 1, "never sent twice")
        self.assertEqual(self._comms(self.customer), comm)

    def test_collector_send_reports_the_mail_error(self):
        self.mail_server.smtp_port = closed_port()
        self._run(send=False)
        comm = self._comms(self.customer)
        action = comm.action_send()
        self.assertEqual(comm.state, "failed")
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Connection refused", action["params"]["message"])


class TestLadderValidation(DunningCase):
    def test_two_levels_on_the_same_offset_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "same day offset"):
            self.env["o2c.dunning.ladder"].create(
                {
                    "name": "Broken",
                    "level_ids": [
                        (0, 0, {"name": "A", "day_offset": 5, "sequence": 1}),
                        (0, 0, {"name": "B", "day_offset": 5, "sequence": 2}),
                    ],
                }
            )

    def test_unordered_levels_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "smaller day offset"):
            self.env["o2c.dunning.ladder"].create(
                {
                    "name": "Unordered",
                    "level_ids": [
                        (0, 0, {"name": "Late", "day_offset": 30, "sequence": 1}),
                        (0, 0, {"name": "Early", "day_offset": 10, "sequence": 2}),
                    ],
                }
            )

    def test_editing_a_level_onto_another_offset_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "same day offset"):
            self.second.day_offset = self.first.day_offset

    def test_late_payment_rate_never_goes_below_three_times_the_legal_rate(self):
        # Points too low for the half-year: the rate is floored at three times the legal rate, not refused.
        self.company.o2c_dunning_interest_margin = 0.0
        rates = self.company._o2c_dunning_rates(self.today)
        floor = max(rates.ecb_rate, 3 * rates.legal_rate_professional)
        self.assertAlmostEqual(self.company.o2c_dunning_interest_rate, floor, places=4)


class TestStatutoryCharges(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The same rates in this half-year and the one before (the invoices are about a month late): 12.15 %.
        cls.company.o2c_dunning_interest_margin = 10.0
        Rates = cls.env["o2c.dunning.interest.rate"]
        current = half_year_start(cls.today)
        for start in (current, half_year_start(current - timedelta(days=1))):
            rates = Rates.search([("date_start", "=", start)]) or Rates.create(
                {"date_start": start, "ecb_rate": 0.0, "legal_rate_professional": 0.0, "legal_rate_individual": 0.0}
            )
            rates.write({"ecb_rate": 2.15, "legal_rate_professional": 2.76, "legal_rate_individual": 6.65})
        cls.customer = cls._customer("Epsilon Agro")
        cls.big = cls._invoice(cls.customer, 12000.0, 31)
        cls.small = cls._invoice(cls.customer, 500.0, 35)
        (cls.big | cls.small).write({"o2c_dunning_level_id": cls.call.id})

    def test_formal_notice_carries_indemnity_and_interest_computed_by_hand(self):
        self._run()
        notice = self._comms(self.customer)
        self.assertEqual(notice.level_id, self.notice)
        self.assertEqual(notice.state, "draft", "the formal notice waits for the collector")
        self.assertEqual(notice.interest_rate, 12.15)
        big_line = notice.dunned_line_ids.filtered(lambda line: line.move_id == self.big)
        small_line = notice.dunned_line_ids.filtered(lambda line: line.move_id == self.small)
        # 12,000 x 12.15 % x 31 / 365 = 123.83; 500 x 12.15 % x 35 / 365 = 5.83
        self.assertEqual((big_line.amount_indemnity, big_line.amount_interest), (40.0, 123.83))
        self.assertEqual((small_line.amount_indemnity, small_line.amount_interest), (40.0, 5.83))
        self.assertEqual(notice.amount_indemnity, 80.0)
        self.assertEqual(notice.amount_interest, 129.66)
        self.assertEqual(notice.amount_charges, 209.66)

        notice.action_invoice_charges()
        charges = notice.charges_move_id
        self.assertEqual(charges.state, "draft")
        self.assertEqual(charges.partner_id, self.customer)
        self.assertEqual(charges.amount_total, 209.66, "no VAT on the indemnity and interest")
        self.assertTrue(charges.o2c_no_dunning, "the charges invoice is not itself dunned")

    def test_company_option_invoices_the_charges_when_the_notice_is_sent(self):
        self.company.o2c_dunning_invoice_charges = True
        self._run()
        notice = self._comms(self.customer)
        notice.action_send()
        self.assertEqual(notice.state, "sent")
        self.assertEqual(notice.charges_move_id.amount_total, notice.amount_charges)
        self.assertEqual(self.big.o2c_dunning_level_id, self.notice)
        self.assertEqual(self.big.o2c_dunning_next_date, self.big.invoice_date_due + timedelta(days=45))
