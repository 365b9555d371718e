"""One letter per customer and day, nothing stale sent or printed, the customer's net position (issue 13)."""

from odoo.tests import tagged

from .common import DunningCase, closed_port


def emails_to(case, partner):
    """The HTML bodies of the emails the test SMTP server received for `partner`."""
    bodies = []
    for recipients, message in case.smtp.messages:
        if partner.email in recipients:
            html = [part for part in message.walk() if part.get_content_type() == "text/html"]
            bodies.append(html[0].get_payload(decode=True).decode() if html else "")
    return bodies


@tagged("post_install", "-at_install")
class TestOneLetterPerCustomer(DunningCase):
    def test_invoices_at_two_levels_make_one_letter_at_the_highest(self):
        customer = self._customer("Epsilon Bois")
        early = self._invoice(customer, 400.0, 3)  # first reminder due (+1 day)
        older = self._invoice(customer, 250.0, 12)  # first reminder sent already: the second (+10) is due
        older.o2c_dunning_level_id = self.first
        result = self._run()
        comm = self._comms(customer)
        self.assertEqual(len(comm), 1, "one letter, not one per level")
        self.assertEqual(comm.level_id, self.second)
        self.assertEqual(
            {(line.move_id, line.level_id) for line in comm.dunned_line_ids},
            {(early, self.first), (older, self.second)},
            "each invoice at its own level",
        )
        self.assertEqual((comm.invoice_count, comm.amount_dunned), (2, 650.0))
        self.assertEqual(result["sent"], comm)
        self.assertEqual((early.o2c_dunning_level_id, older.o2c_dunning_level_id), (self.first, self.second))
        self.assertEqual(len(emails_to(self, customer)), 1, "one email to the customer")

    def test_a_customer_reminded_today_gets_no_second_reminder_that_day(self):
        customer = self._customer("Zeta Verre")
        self._invoice(customer, 300.0, 3)
        first = self._run()["created"]
        self._invoice(customer, 120.0, 2)  # a new invoice falls due for its first reminder the same day
        self.assertFalse(self._run()["created"])
        self.assertEqual(self._comms(customer), first)
        tomorrow = self._run(days=1)["created"]
        self.assertEqual(tomorrow.dunned_line_ids.move_id.mapped("amount_residual"), [120.0])


@tagged("post_install", "-at_install")
class TestNetPosition(DunningCase):
    def test_credits_covering_the_overdue_amount_mean_a_reconciliation_not_a_reminder(self):
        customer = self._customer("Eta Papier")
        self._invoice(customer, 500.0, 3)
        self._invoice(customer, 350.0, 20, move_type="out_refund")
        self._invoice(customer, 150.0, 5, move_type="out_refund")  # 350 + 150 = 500: all covered
        result = self._run()
        self.assertFalse(self._comms(customer))
        self.assertEqual(result["runs"].covered_partner_ids, customer, "the collector is told to reconcile")

    def test_credits_covering_part_lower_the_amount_claimed(self):
        customer = self._customer("Theta Acier")
        self._invoice(customer, 500.0, 3)
        self._invoice(customer, 300.0, 4)
        self._invoice(customer, 200.0, 10, move_type="out_refund")
        comm = self._run(send=False)["created"]
        # 500 + 300 overdue, a credit note of 200 not applied: 600 claimed
        self.assertEqual(comm.amount_dunned, 600.0)
        self.assertEqual(comm.amount_credit, -200.0)
        self.assertEqual(comm.amount_balance, 600.0)
        self.assertFalse(self._run(days=0)["runs"].covered_partner_ids)


@tagged("post_install", "-at_install")
class TestNothingStaleGoesOut(DunningCase):
    def _two_invoice_reminder(self, name):
        customer = self._customer(name)
        paid = self._invoice(customer, 400.0, 3)
        open_ = self._invoice(customer, 250.0, 4)
        comm = self._run(send=False)["created"]
        self.assertEqual((comm.invoice_count, comm.amount_dunned), (2, 650.0))
        return customer, paid, open_, comm

    def test_invoice_paid_since_the_run_is_dropped_before_sending(self):
        customer, paid, open_, comm = self._two_invoice_reminder("Iota Cuir")
        self._pay(paid)
        comm.action_send()
        self.assertEqual(comm.state, "sent")
        self.assertEqual(comm.dunned_line_ids.move_id, open_)
        self.assertEqual((comm.invoice_count, comm.amount_dunned), (1, 250.0))
        self.assertFalse(paid.o2c_dunning_level_id, "the paid invoice did not reach the level")
        self.assertEqual(open_.o2c_dunning_level_id, self.first)
        self.assertIn(paid.name, comm.message_ids.mapped("body")[-1] + "".join(comm.message_ids.mapped("body")))
        [body] = emails_to(self, customer)
        self.assertIn(open_.name, body)
        self.assertNotIn(paid.name, body)

    def test_invoice_kept_out_since_the_run_is_dropped_and_a_reminder_left_with_nothing_is_cancelled(self):
        customer, flagged, open_, comm = self._two_invoice_reminder("Kappa Lin")
        flagged.write({"o2c_no_dunning": True, "o2c_no_dunning_reason": "Litige commercial"})
        self._pay(open_)
        comm.action_send()
        self.assertEqual(comm.state, "cancelled")
        self.assertIn("Nothing left to claim", comm.error_message)
        self.assertFalse(comm.mail_id)
        self.assertFalse(emails_to(self, customer))
        self.assertFalse(flagged.o2c_dunning_level_id)

    def test_a_letter_printed_later_is_checked_again(self):
        _customer, paid, open_, comm = self._two_invoice_reminder("Lambda Soie")
        self._pay(paid)
        self._pay(open_)
        action = comm.action_print_letter()
        self.assertEqual(action["tag"], "display_notification", "nothing printed")
        self.assertEqual(comm.state, "cancelled")
        self.assertEqual(comm.error_message, "All reminded invoices were paid before sending.")
        self.assertIn(comm.error_message, action["params"]["message"])

    def test_mail_server_down_while_a_letter_is_checked_again_marks_nothing_sent(self):
        customer, paid, open_, comm = self._two_invoice_reminder("Mu Laine")
        live_port = self.mail_server.smtp_port
        self.mail_server.smtp_port = closed_port()
        comm.action_send()
        self.assertEqual(comm.state, "failed")
        self._pay(paid)
        self._run()  # the server is still down: re-checked, retried, still failed
        self.assertEqual(comm.state, "failed")
        self.assertEqual(comm.dunned_line_ids.move_id, open_)
        self.assertFalse(open_.o2c_dunning_level_id, "not marked reached while unsent")
        self.assertFalse(emails_to(self, customer))
        self.mail_server.smtp_port = live_port
        self.assertEqual(self._run()["sent"], comm)
        [body] = emails_to(self, customer)
        self.assertIn(open_.name, body)
        self.assertNotIn(paid.name, body, "the email prepared before the payment is not the one sent")
        self.assertEqual(self._comms(customer), comm, "no second reminder")
