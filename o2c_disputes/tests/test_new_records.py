from odoo.tests import Form, new_test_user, tagged

from .common import DisputeCase


@tagged("post_install", "-at_install")
class TestNewRecordForms(DisputeCase):
    """A new customer invoice opened in its form, before a customer is chosen, shows no dispute."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="dispute_accountant",
            groups="account.group_account_invoice,o2c_disputes.group_o2c_dispute_user",
        )

    def test_new_invoice_form_shows_no_dispute_before_and_after_saving(self):
        form = Form(self.env["account.move"].with_user(self.accountant).with_context(default_move_type="out_invoice"))
        self.assertEqual(form.o2c_dispute_count, 0)
        self.assertFalse(form.o2c_in_dispute)
        form.partner_id = self.customer
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
        invoice = form.save()
        self.assertEqual(invoice.o2c_dispute_count, 0)
        self.assertFalse(invoice.o2c_in_dispute)
        self.assertEqual(invoice.amount_untaxed, 100.0)
