from odoo.tests import Form

from .common import EinvoiceCase


class TestNewRecordForms(EinvoiceCase):
    """New invoices, credit notes and customers opened in their form, before anything is filled in."""

    def _new_move_form(self, move_type):
        return Form(self.env["account.move"].with_context(default_move_type=move_type))

    def test_new_invoice_without_customer_lists_the_missing_address_and_then_clears_it(self):
        form = self._new_move_form("out_invoice")
        self.assertIn("Customer address incomplete", form.o2c_einvoice_check_html)
        form.partner_id = self.customer
        form.invoice_date = "2026-09-15"
        form.invoice_payment_term_id = self.term_30
        with form.invoice_line_ids.new() as line:
            line.product_id = self.goods
        self.assertNotIn("Customer address incomplete", form.o2c_einvoice_check_html or "")
        invoice = form.save()
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.amount_untaxed, 1200.0)

    def test_new_credit_note_without_customer_opens(self):
        form = self._new_move_form("out_refund")
        self.assertGreater(form.o2c_einvoice_check_count, 0)
        form.partner_id = self.customer
        with form.invoice_line_ids.new() as line:
            line.product_id = self.service
        credit_note = form.save()
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.amount_untaxed, 300.0)

    def test_new_customer_form_fills_the_electronic_address_from_its_siren(self):
        with Form(self.env["res.partner"]) as form:
            self.assertFalse(form.o2c_einvoice_address)
            form.name = "Fromagerie Petit SAS"
            form.company_type = "company"
            form.company_registry = "552 100 554 00012"
            self.assertEqual(form.o2c_einvoice_address, "552100554")
        self.assertEqual(form.record.o2c_einvoice_address, "552100554")
