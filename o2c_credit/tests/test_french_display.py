from datetime import timedelta

from lxml import etree

from odoo.tests import tagged

from .common import O2cCreditCase


@tagged("post_install", "-at_install")
class TestFrenchDisplay(O2cCreditCase):
    """A French reader reads credit screens in French, whoever ran the check, with French figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._rule("Over the limit", use_over_limit=True, over_limit_mode="percent")
        cls.rule.with_context(lang="fr_FR").name = "Au-delà de la limite"
        cls.manager.lang = "fr_FR"
        cls.salesman.lang = "en_US"

    def test_reasons_of_a_check_run_in_english_read_in_french(self):
        order = self._order(self.customer, 10500)
        order.with_user(self.salesman).with_context(lang="en_US").action_confirm()
        self.assertEqual(order.o2c_credit_state, "hold")
        self.assertEqual(order.o2c_credit_reason_data[0]["rule_id"], self.rule.id)
        self.assertEqual(order.o2c_credit_reason_data[0]["reasons"][0]["code"], "over_limit")
        english = order.with_context(lang="en_US").o2c_credit_reasons
        self.assertIn("Over the limit: Exposure 10,500.00\xa0€ is over the credit limit 10,000.00\xa0€", english)
        sep = self.env["res.lang"]._lang_get("fr_FR").thousands_sep
        french = order.with_user(self.manager).with_context(lang="fr_FR")
        expected = f"Au-delà de la limite : L'encours 10{sep}500,00\xa0€ dépasse la limite de crédit 10{sep}000,00\xa0€"
        self.assertIn(expected, french.o2c_credit_reasons)
        self.assertIn(expected, french.o2c_credit_approval_id.reasons)
        activity = order.activity_ids.filtered(lambda activity: activity.user_id == self.manager)
        self.assertIn("dépasse la limite de crédit", activity.note, "the approver's task is in his language")
        self.assertNotIn("is over", activity.note)

    def test_average_days_late_read_with_a_french_decimal_comma(self):
        invoice = self._invoice(self.customer, 100.0, self.today - timedelta(days=40))
        self._pay(invoice, 100.0, self.today - timedelta(days=27))
        invoice = self._invoice(self.customer, 100.0, self.today - timedelta(days=40))
        self._pay(invoice, 100.0, self.today - timedelta(days=28))
        partner = self.customer.with_context(lang="fr_FR")
        self.assertAlmostEqual(partner.o2c_avg_days_late, 12.5)
        self.assertIn("12,5", partner.o2c_risk_reasons)
        self.assertNotIn("12.5", partner.o2c_risk_reasons)

    def test_temporary_limit_is_named_by_customer_amount_and_date(self):
        until = self.today + timedelta(days=30)
        limit = self.env["o2c.credit.limit.temporary"].create(
            {"partner_id": self.customer.id, "amount": 25000.0, "date_end": until, "reason": "Saison"}
        )
        sep = self.env["res.lang"]._lang_get("fr_FR").thousands_sep
        self.assertEqual(
            limit.with_context(lang="fr_FR").display_name,
            f"Dupont SA : limite de 25{sep}000,00\xa0€ jusqu'au {until.strftime('%d/%m/%Y')}",
        )
        self.assertNotIn("o2c.credit.limit.temporary", limit.display_name)

    def test_new_temporary_limit_logs_a_french_line_in_the_feminine(self):
        limit = (
            self.env["o2c.credit.limit.temporary"]
            .with_context(lang="fr_FR", tracking_disable=False, mail_notrack=False)
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": 25000.0,
                    "date_end": self.today + timedelta(days=30),
                    "reason": "Saison",
                }
            )
        )
        self.assertIn("Limite de crédit temporaire créée", limit.message_ids.mapped("body")[-1])

    def test_predicted_payment_date_has_its_own_label_below_the_due_date(self):
        arch = etree.fromstring(self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"])
        field = arch.xpath("//field[@name='o2c_predicted_payment_date']")[0]
        self.assertEqual(field.getparent().tag, "group", "a field directly in a group gets its label")
        self.assertNotEqual(field.getparent().get("name"), "due_date")
        self.assertEqual(field.getprevious().get("name"), "due_date", "it follows the due date's row")
        label = self.env["account.move"].with_context(lang="fr_FR")._fields["o2c_predicted_payment_date"]
        self.assertEqual(label._description_string(self.env(context={"lang": "fr_FR"})), "Date de paiement prévue")

    def test_chatter_of_a_french_check_uses_french_punctuation(self):
        self.salesman.lang = "fr_FR"
        order = self._order(self.customer, 10500)
        order.with_user(self.salesman).with_context(lang="fr_FR").action_confirm()
        body = order.message_ids.filtered(lambda message: "dépasse la limite" in message.body)[:1].body
        self.assertIn("<b>Au-delà de la limite</b> : L'encours", body)
