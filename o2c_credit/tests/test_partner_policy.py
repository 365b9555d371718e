from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user

from .common import O2cCreditCase


class TestPartnerCreditPolicy(O2cCreditCase):
    """Who may change a customer's credit policy, and the trace it leaves in the customer's chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="o2c_account_admin",
            groups="account.group_account_manager,base.group_partner_manager",
            name="Alice Accounts",
        )
        cls.insurer = cls.env["res.partner"].create({"name": "Assureur Crédit SA", "is_company": True})

    def _tracked(self, partner):
        """Return the changes the chatter of ``partner`` shows, as {field name: (old, new, message)}."""
        self.env.cr.flush()  # tracking messages are posted when the transaction's changes are flushed
        result = {}
        for message in partner.message_ids:
            for change in message.tracking_value_ids._tracking_value_format():
                values = (change["oldValue"]["value"], change["newValue"]["value"], message)
                result.setdefault(change["fieldName"], values)
        return result

    def test_accounting_administrator_changes_credit_limit_but_not_hold(self):
        customer = self.customer.with_user(self.accountant)
        customer.write({"credit_limit": 25000.0})
        self.assertEqual(self.customer.credit_limit, 25000.0)
        with self.assertRaisesRegex(AccessError, "o2c_credit_hold"):
            customer.write({"o2c_credit_hold": True})
        with self.assertRaisesRegex(AccessError, "o2c_insured_amount"):
            customer.write({"o2c_insured_amount": 5000.0})
        self.assertFalse(self.customer.o2c_credit_hold)

    def test_accounting_administrator_sets_limit_in_customer_form(self):
        with Form(self.env["res.partner"].with_user(self.accountant)) as form:
            form.name = "Martin SARL"
            form.company_type = "company"
            form.use_partner_credit_limit = True
            form.credit_limit = 8000.0
        self.assertEqual(form.record.credit_limit, 8000.0)
        self.assertTrue(form.record.use_partner_credit_limit)

    def test_invoicing_user_creates_customer_in_form_but_cannot_change_a_limit(self):
        invoicing_user = new_test_user(
            self.env,
            login="o2c_billing",
            groups="account.group_account_invoice,base.group_partner_manager",
            name="Bill Billing",
        )
        # The customer form writes the default limit back through "Partner Limit": that is no change.
        with Form(self.env["res.partner"].with_user(invoicing_user)) as form:
            form.name = "Garage Moreau"
            form.company_type = "company"
        self.assertEqual(form.record.credit_limit, 0.0)
        with self.assertRaisesRegex(AccessError, "credit_limit"):
            self.customer.with_user(invoicing_user).write({"credit_limit": 99999.0})
        with self.assertRaisesRegex(AccessError, "o2c_credit_hold"):
            self.env["res.partner"].with_user(invoicing_user).create({"name": "Held SA", "o2c_credit_hold": True})
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_credit_limit_change_shows_old_and_new_value_and_author_in_chatter(self):
        self.env.cr.flush()  # the change is a request of its own, as in the web client
        customer = self.customer.with_user(self.accountant).with_context(tracking_disable=False, mail_notrack=False)
        customer.write({"credit_limit": 12500.0})
        old, new, message = self._tracked(self.customer)["credit_limit"]
        self.assertEqual((old, new), (10000.0, 12500.0))
        self.assertEqual(message.author_id, self.accountant.partner_id)
        self.assertTrue(message.date)

    def test_hold_and_insurance_changes_are_tracked_in_chatter(self):
        self.env.cr.flush()  # the change is a request of its own, as in the web client
        customer = self.customer.with_user(self.manager).with_context(tracking_disable=False, mail_notrack=False)
        customer.write(
            {
                "o2c_credit_hold": True,
                "o2c_credit_hold_reason": "Chèque impayé",
                "o2c_insurer_id": self.insurer.id,
                "o2c_insured_amount": 7000.0,
                "o2c_insurance_policy": "POL-2026-17",
                "o2c_insurance_expiry": self.days(180),
            }
        )
        tracked = self._tracked(self.customer)
        self.assertEqual(tracked["o2c_credit_hold"][:2], (False, True))
        self.assertEqual(tracked["o2c_credit_hold_reason"][:2], (False, "Chèque impayé"))
        self.assertEqual(tracked["o2c_insurer_id"][:2], ("", "Assureur Crédit SA"))
        self.assertEqual(tracked["o2c_insured_amount"][:2], (0.0, 7000.0))
        self.assertEqual(tracked["o2c_insurance_policy"][:2], (False, "POL-2026-17"))
        self.assertEqual(tracked["o2c_insurance_expiry"][:2], (False, str(self.days(180))))
        self.assertEqual({message.author_id for _old, _new, message in tracked.values()}, {self.manager.partner_id})
