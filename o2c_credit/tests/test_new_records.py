from odoo.tests import Form

from .common import O2cCreditCase


class TestNewRecordForms(O2cCreditCase):
    """A new customer invoice opened in its form, before a customer is chosen, and once it is."""

    def test_new_invoice_form_predicts_payment_once_posted(self):
        form = Form(self.env["account.move"].with_context(default_move_type="out_invoice"))
        self.assertFalse(form.o2c_predicted_payment_date)
        form.partner_id = self.customer
        form.invoice_date = self.today
        form.invoice_date_due = self.days(30)
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
        self.assertFalse(form.o2c_predicted_payment_date, "a draft invoice is not expected to be paid")
        invoice = form.save()
        invoice.action_post()
        self.assertGreaterEqual(invoice.o2c_predicted_payment_date, self.days(30))

    def test_new_quotation_form_without_customer_then_with_one(self):
        form = Form(self.env["sale.order"])
        self.assertFalse(form.o2c_credit_reasons)
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.product
        order = form.save()
        self.assertEqual(order.o2c_exposure_order, 100.0)
        self.assertEqual(order.o2c_credit_limit, 10000.0)
