"""A buyer's 207 En litige or 210 Refusée received from the approved platform opens a dispute case."""

from odoo import fields
from odoo.addons.o2c_einvoice.tests.platform_common import PlatformCase
from odoo.tests import tagged

from .test_dispute_status import DisputeEinvoiceMixin


@tagged("post_install", "-at_install")
class TestPlatformDispute(DisputeEinvoiceMixin, PlatformCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platform.send_at_posting = False

    def test_buyers_207_from_the_platform_opens_one_dispute_and_suspends_dunning(self):
        invoice = self.invoice()
        self.pa.add_status(invoice.name, "732829320", "552100554", "207", reason_code="QTE_ERR",
                           reason="Deux palettes manquantes")  # fmt: skip
        self.platform._o2c_fetch_statuses()
        case = self.env["o2c.dispute"].search([("invoice_ids", "in", invoice.ids)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.reason_id, self.env.ref("o2c_disputes.o2c_dispute_reason_quantity"))
        self.assertIn("Deux palettes manquantes", case.description)
        self.assertEqual(case.state, "open")
        self.assertEqual(invoice.o2c_einvoice_status_ids.mapped("code"), ["207"], "the buyer's 207 only, once")
        excluded = invoice.with_context(o2c_dunning_date=fields.Date.today())._o2c_dunning_excluded()
        self.assertGreaterEqual(excluded[invoice.id], invoice.amount_residual)

    def test_buyers_refusal_210_opens_a_dispute_but_not_twice(self):
        invoice = self.invoice()
        self.pa.add_status(invoice.name, "732829320", "552100554", "210", reason_code="DOUBLON", reason="Doublon")
        self.pa.add_status(invoice.name, "732829320", "552100554", "207", reason_code="DOUBLON", reason="Doublon")
        self.platform._o2c_fetch_statuses()
        case = self.env["o2c.dispute"].search([("invoice_ids", "in", invoice.ids)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.reason_id, self.env.ref("o2c_disputes.o2c_dispute_reason_duplicate"))
