from odoo.tests import tagged

from .common import DisputeHttpCase


@tagged("post_install", "-at_install")
class TestDisputeTour(DisputeHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, [(cls.product, 10, 100.0)], days_overdue=5)
        cls.invoice.message_subscribe(cls.portal_user.partner_id.ids)

    def test_portal_customer_contests_an_invoice_and_the_back_office_sees_it(self):
        self.start_tour(f"/my/invoices/{self.invoice.id}", "o2c_dispute_portal_tour", login=self.portal_user.login)
        dispute = self.env["o2c.dispute"].search([("invoice_ids", "in", self.invoice.ids)])
        self.assertEqual((dispute.source, dispute.amount_disputed), ("portal", 240.0))
        self.start_tour(
            "/odoo/action-o2c_disputes.o2c_dispute_action", "o2c_dispute_backoffice_tour", login=self.handler.login
        )
