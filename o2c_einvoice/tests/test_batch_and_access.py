"""Batch generation from the invoice list, and access rights / multi-company rules."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import EinvoiceCase


@tagged("post_install", "-at_install")
class TestBatch(EinvoiceCase):
    def test_batch_issues_the_valid_invoices_and_reports_the_failures(self):
        good = self.make_invoice(self.service, post=True)
        customer = self.customer.copy({"company_registry": False, "vat": False, "o2c_einvoice_address": False})
        bad = self.make_invoice(self.service, partner=customer, post=True)
        action = (good | bad).action_o2c_einvoice_batch()
        batch = self.env["o2c.einvoice.batch"].browse(action["res_id"])
        self.assertEqual((batch.state, batch.total_count), ("queued", 2))
        batch = batch.with_context(force_report_rendering=True)  # real PDFs, as outside test mode
        self.assertEqual(batch._o2c_process_chunk(size=1), 1)
        self.assertEqual(batch.state, "running")
        self.assertEqual(batch._o2c_process_chunk(), 0)
        self.assertEqual(batch.state, "done")
        results = {line.move_id: line for line in batch.line_ids}
        self.assertEqual(results[good].state, "done")
        self.assertEqual(results[bad].state, "failed")
        self.assertIn("Customer SIREN missing", results[bad].message)
        self.assertEqual(good.o2c_einvoice_state, "done")
        self.assertTrue(good.invoice_pdf_report_id)
        self.assertEqual(bad.o2c_einvoice_state, "error")
        self.assertFalse(bad.invoice_pdf_report_id)
        self.assertEqual((batch.failed_count, batch.progress), (1, 100.0))
        self.assertIn("1 of 2 Factur-X issued, 1 failed", batch.message_ids[:1].body)

    def test_batch_refuses_a_selection_without_posted_customer_invoices(self):
        with self.assertRaises(UserError):
            self.make_invoice().action_o2c_einvoice_batch()


@tagged("post_install", "-at_install")
class TestAccess(EinvoiceCase):
    def test_billing_user_adds_statuses_but_cannot_delete_them(self):
        user = new_test_user(self.env, "o2c_billing", groups="account.group_account_invoice")
        move = self.make_invoice(post=True)
        status = move.with_user(user)._o2c_einvoice_add_status("205")
        self.assertEqual(status.code, "205")
        with self.assertRaises(AccessError):
            status.with_user(user).unlink()

    def test_statuses_and_batches_of_another_company_are_invisible(self):
        other = self.env["res.company"].create({"name": "Autre Société", "country_id": self.env.ref("base.fr").id})
        user = new_test_user(self.env, "o2c_other", groups="account.group_account_invoice", company_id=other.id)
        move = self.make_invoice(post=True)
        move._o2c_einvoice_add_status("205")
        batch = self.env["o2c.einvoice.batch"].create({"name": "B", "move_ids": [(6, 0, move.ids)]})
        self.assertFalse(self.env["o2c.einvoice.status"].with_user(user).search([("move_id", "=", move.id)]))
        self.assertFalse(self.env["o2c.einvoice.batch"].with_user(user).search([("id", "=", batch.id)]))
        self.assertFalse(self.env["o2c.einvoice.batch.line"].with_user(user).search([]))
