from odoo import Command
from odoo.addons.o2c_einvoice.tests.common import EinvoiceCase
from odoo.tests import tagged


class DisputeEinvoiceMixin:
    """The test's accountant also handles disputes; the invoices to dispute are of three pallets at 100 before VAT."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.env.ref("o2c_disputes.group_o2c_dispute_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Palette de carrelage", "list_price": 100.0, "taxes_id": [Command.set(cls.tax20.ids)]}
        )

    def invoice(self):
        return self.make_invoice(self.product, post=True, quantity=3)


@tagged("post_install", "-at_install")
class TestDisputeStatus(DisputeEinvoiceMixin, EinvoiceCase):
    def dispute(self, invoice, reason="o2c_disputes.o2c_dispute_reason_price"):
        return self.env["o2c.dispute"].create(
            {
                "partner_id": self.customer.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "amount_disputed": 100.0,
                "reason_id": self.env.ref(reason).id,
            }
        )

    def test_opening_a_dispute_marks_the_invoice_207_with_the_matching_reason(self):
        invoice = self.invoice()
        case = self.dispute(invoice, "o2c_disputes.o2c_dispute_reason_damaged")
        self.assertEqual(invoice.o2c_einvoice_status_code, "207")
        status = invoice.o2c_einvoice_status_ids
        self.assertEqual((status.reason_code, status.source), ("QUALITE_ERR", "dispute"))
        self.assertIn(case.name, status.note)

    def test_dispute_raised_on_the_portal_marks_the_invoice_207(self):
        invoice = self.invoice()
        portal_user = self.env["res.users"].create(
            {
                "name": "Paul Dubois",
                "login": "paul.dubois@carrelages-dubois.example.fr",
                "partner_id": self.env["res.partner"].create({"name": "Paul Dubois", "parent_id": self.customer.id}).id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        reason = self.env.ref("o2c_disputes.o2c_dispute_reason_quantity")
        case = (
            self.env["o2c.dispute"]
            .with_user(portal_user)
            ._o2c_portal_submit(invoice.with_user(portal_user), reason, 100.0, "Deux palettes seulement reçues.")
        )
        self.assertTrue(case)
        self.assertEqual(invoice.o2c_einvoice_status_code, "207")
        self.assertEqual(invoice.o2c_einvoice_status_ids.reason_code, "QTE_ERR")

    def test_rejected_dispute_approves_the_invoice(self):
        invoice = self.invoice()
        self.dispute(invoice)._o2c_resolve("rejected")
        self.assertEqual(invoice.o2c_einvoice_status_code, "205")
        history = invoice.o2c_einvoice_status_ids.sorted(lambda status: (status.date, status.id))
        self.assertEqual(history.mapped("code"), ["207", "205"])

    def test_partial_acceptance_writes_206_with_its_reason(self):
        invoice = self.invoice()
        self.dispute(invoice)._o2c_resolve("partial", amount=40.0)
        last = invoice.o2c_einvoice_status_ids.sorted(lambda s: (s.date, s.id))[-1]
        self.assertEqual((last.code, last.reason_code), ("206", "PU_ERR"))
        self.assertAlmostEqual(last.amount, 40.0)

    def test_full_acceptance_cancels_the_invoice(self):
        invoice = self.invoice()
        self.dispute(invoice)._o2c_resolve("accepted")
        self.assertEqual(invoice.o2c_einvoice_status_code, "220")
