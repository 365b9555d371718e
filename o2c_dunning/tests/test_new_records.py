from datetime import timedelta

from odoo.tests import Form, new_test_user

from .common import DunningCase


class TestNewRecordForms(DunningCase):
    """New customer invoices and customers opened in their form, before anything is filled in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = new_test_user(
            cls.env,
            login="o2c_form_collector",
            groups="account.group_account_invoice,base.group_partner_manager,o2c_dunning.group_o2c_dunning_collector",
        )
        cls.customer = cls._customer("Quincaillerie Roux")

    def test_new_invoice_form_has_a_next_reminder_only_once_posted(self):
        form = Form(self.env["account.move"].with_user(self.collector).with_context(default_move_type="out_invoice"))
        self.assertFalse(form.o2c_dunning_next_date)
        self.assertFalse(form.o2c_dunning_level_id)
        form.partner_id = self.customer
        form.invoice_date = self.today - timedelta(days=40)
        form.invoice_date_due = self.today - timedelta(days=10)
        with form.invoice_line_ids.new() as line:
            line.name = "Service"
            line.price_unit = 500.0
            line.tax_ids = self.env["account.tax"]
        self.assertFalse(form.o2c_dunning_next_date, "a draft invoice is not dunned")
        invoice = form.save()
        invoice.action_post()
        first_level = self.ladder.level_ids.sorted("sequence")[:1]
        self.assertEqual(
            invoice.o2c_dunning_next_date, invoice.invoice_date_due + timedelta(days=first_level.day_offset)
        )

    def test_new_customer_form_kept_out_of_dunning_needs_a_reason(self):
        form = Form(self.env["res.partner"].with_user(self.collector))
        form.name = "Serrurerie Blanc SARL"
        form.company_type = "company"
        self.assertFalse(form.o2c_no_dunning)
        form.o2c_no_dunning = True
        with self.assertRaisesRegex(AssertionError, "o2c_no_dunning_reason"):
            form.save()
        form.o2c_no_dunning_reason = "Client public, paie par mandat administratif"
        customer = form.save()
        self.assertTrue(customer.o2c_no_dunning)
        self.assertEqual(customer.o2c_dunning_communication_ids, self.Comm)
