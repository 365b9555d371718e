import re

from odoo.tests import tagged

from .common import DisputeHttpCase

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestDisputePortal(DisputeHttpCase):
    """The customer portal over real HTTP requests, as a logged-in portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, [(cls.product, 10, 100.0)], days_overdue=5)  # 1 200.00
        cls.other_invoice = cls._invoice(cls.other_customer, [(cls.product, 1, 100.0)])
        cls.other_user_invoice = cls._invoice(cls.other_customer, [(cls.product, 2, 100.0)])
        # Odoo's portal shows customers the invoices they follow.
        cls.invoice.message_subscribe(cls.portal_user.partner_id.ids)
        cls.other_invoice.message_subscribe(cls.other_portal_user.partner_id.ids)

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self, invoice):
        """Open the invoice page as the logged-in user and return the form's CSRF token."""
        page = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(page.status_code, 200)
        return CSRF.search(page.text).group(1)

    def _contest(self, invoice, token, files=None, **fields):
        data = {"csrf_token": token, "reason_id": str(self.reason_damaged.id), "amount": "240", "message": "Broken"}
        data.update(fields)
        return self.url_open(f"/my/invoices/{invoice.id}/dispute", data=data, files=files or {"none": ("", b"")})

    def _disputes_of(self, invoice):
        return self.env["o2c.dispute"].search([("invoice_ids", "in", invoice.ids)])

    def test_customer_contests_own_invoice_from_the_portal(self):
        self._login(self.portal_user)
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn("Contest this invoice", page.text)
        token = CSRF.search(page.text).group(1)
        response = self._contest(
            self.invoice,
            token,
            files={"attachments": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")},
            message="Two pallets arrived broken",
        )
        self.assertEqual(response.status_code, 200)
        dispute = self._disputes_of(self.invoice)
        self.assertEqual(len(dispute), 1)
        self.assertTrue(response.url.endswith(f"/my/disputes/{dispute.id}?created=1"), response.url)
        self.assertIn("Your dispute is registered", response.text)
        self.assertEqual(
            (dispute.source, dispute.partner_id, dispute.amount_disputed, dispute.reason_id),
            ("portal", self.customer, 240.0, self.reason_damaged),
        )
        self.assertEqual(dispute.description, "Two pallets arrived broken")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "o2c.dispute"), ("res_id", "=", dispute.id)])
        self.assertEqual(attachment.name, "photo.png")
        # The customer sees the case under "My account", with its status.
        listing = self.url_open("/my/disputes")
        self.assertIn(dispute.name, listing.text)
        self.assertIn("New", listing.text)
        self.assertIn(dispute.name, self.url_open(f"/my/invoices/{self.invoice.id}").text, "invoice shows the case")
        # ... and replies in its chatter.
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "o2c.dispute",
                "thread_id": dispute.id,
                "post_data": {"body": "Here is the delivery note", "message_type": "comment"},
            },
        )
        reply = dispute.message_ids.filtered(lambda m: "Here is the delivery note" in (m.body or ""))
        self.assertEqual(reply.author_id, self.portal_user.partner_id)

    def test_another_customer_invoice_is_refused(self):
        self._login(self.portal_user)
        token = self._csrf(self.invoice)
        response = self._contest(self.other_invoice, token)
        self.assertEqual(response.status_code, 403)
        self.assertIn("not one of yours", response.text)
        self.assertFalse(self._disputes_of(self.other_invoice))
        page = self.url_open(f"/my/disputes/{self._dispute(self.other_invoice, 10.0).id}")
        self.assertNotIn(self.other_customer.name, page.text, "another customer's dispute page is not shown")

    def test_draft_or_cancelled_invoices_are_refused(self):
        draft = self._invoice(self.customer, [(self.product, 1, 100.0)], post=False)
        cancelled = self._invoice(self.customer, [(self.product, 1, 100.0)], post=False)
        cancelled.button_cancel()
        (draft | cancelled).message_subscribe(self.portal_user.partner_id.ids)
        self._login(self.portal_user)
        token = self._csrf(self.invoice)
        for invoice in draft | cancelled:
            response = self._contest(invoice, token)
            self.assertEqual(response.status_code, 403, invoice.state)
            self.assertIn("Only issued invoices can be contested", response.text)
            self.assertFalse(self._disputes_of(invoice))

    def test_amount_above_the_residual_is_refused(self):
        self._login(self.portal_user)
        response = self._contest(self.invoice, self._csrf(self.invoice), amount="1200.01")
        self.assertEqual(response.status_code, 400)
        self.assertIn("only 1", response.text)
        self.assertIn("is still due", response.text)
        self.assertFalse(self._disputes_of(self.invoice))
        response = self._contest(self.invoice, self._csrf(self.invoice), amount="abc")
        self.assertEqual(response.status_code, 400)
        self.assertIn("as a number", response.text)
        response = self._contest(self.invoice, self._csrf(self.invoice), reason_id="")
        self.assertIn("Choose the reason", response.text)
        self.assertFalse(self._disputes_of(self.invoice))

    def test_oversized_or_disallowed_attachments_are_refused(self):
        self.company.o2c_dispute_attachment_max_mb = 1
        self._login(self.portal_user)
        token = self._csrf(self.invoice)
        cases = {
            "setup.exe": (b"MZ" + b"\0" * 100, "cannot be sent"),
            "fake.pdf": (b"not a pdf at all", "is not a real PDF file"),
            "big.txt": (b"x" * (1024 * 1024 + 1), "is too big"),
        }
        for filename, (content, message) in cases.items():
            response = self._contest(self.invoice, token, files={"attachments": (filename, content)})
            self.assertEqual(response.status_code, 400, filename)
            self.assertIn(message, response.text, filename)
        self.assertFalse(self._disputes_of(self.invoice))
        self.assertFalse(self.env["ir.attachment"].search([("res_model", "=", "o2c.dispute")]))
