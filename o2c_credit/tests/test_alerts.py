from odoo.tests import tagged

from .common import O2cCreditCase


@tagged("post_install", "-at_install")
class TestCreditAlerts(O2cCreditCase):
    def _alerts(self, partner):
        return self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])

    def test_daily_alerts_give_the_credit_manager_one_activity_per_sign(self):
        self.company.write({"o2c_credit_manager_id": self.manager.id, "o2c_credit_overdue_alert_amount": 500})
        self.company.o2c_credit_alert_last_run = self.days(-3)
        near = self._new_customer("Near Limit SA", limit=1000)
        self._invoice(near, 950, self.days(10))
        far = self._new_customer("Far From Limit SA", limit=1000)
        self._invoice(far, 100, self.days(10))
        late = self._new_customer("Newly Late SA")
        self._invoice(late, 600, self.days(-1))
        small_late = self._new_customer("Small Late SA")
        self._invoice(small_late, 100, self.days(-1))
        insured = self._new_customer("Insured SA")
        insured.o2c_insurance_expiry = self.days(20)
        review = self._new_customer("Review SA")
        review.o2c_credit_review_date = self.today
        both = self._new_customer("Near Limit And Review SA", limit=1000)
        self._invoice(both, 990, self.days(10))
        both.o2c_credit_review_date = self.days(-2)

        self.env["res.partner"].sudo()._cron_o2c_credit_alerts()  # as the cron runs
        self.env["res.partner"].sudo()._cron_o2c_credit_alerts()  # twice: nothing doubles

        expected = {
            near: "o2c_credit.mail_activity_type_credit_limit",
            late: "o2c_credit.mail_activity_type_credit_overdue",
            insured: "o2c_credit.mail_activity_type_credit_insurance",
            review: "o2c_credit.mail_activity_type_credit_review",
        }
        for partner, xmlid in expected.items():
            activities = self._alerts(partner)
            self.assertEqual(activities.activity_type_id, self.env.ref(xmlid), partner.name)
            self.assertEqual(len(activities), 1, partner.name)
            self.assertEqual(activities.user_id, self.manager)
        self.assertEqual(
            self._alerts(both).activity_type_id,
            self.env.ref("o2c_credit.mail_activity_type_credit_limit")
            | self.env.ref("o2c_credit.mail_activity_type_credit_review"),
        )
        self.assertFalse(self._alerts(far))
        self.assertFalse(self._alerts(small_late))
        self.assertEqual(self.company.o2c_credit_alert_last_run, self.today)
