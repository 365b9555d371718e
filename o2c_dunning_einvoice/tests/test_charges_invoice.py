"""The charges invoice of a formal notice passes the e-invoicing checks, and the invoices' printed
late-payment mention states the rate of the dunning settings."""

from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.addons.o2c_einvoice.facturx.cii import NS
from odoo.addons.o2c_einvoice.tests.common import EinvoiceCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestChargesInvoiceEinvoice(EinvoiceCase):
    @classmethod
    def get_default_groups(cls):
        """The test's accountant also runs the dunning."""
        return super().get_default_groups() | cls.env.ref("o2c_dunning.group_o2c_dunning_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.customer.lang = "fr_FR"
        cls.today = fields.Date.context_today(cls.env.user)
        levels = cls.company.o2c_dunning_ladder_id.level_ids.sorted("sequence")
        cls.call, cls.notice = levels[3], levels[4]
        cls.invoice = cls.make_invoice(
            products=cls.goods,
            invoice_date=cls.today - timedelta(days=70),
            invoice_payment_term_id=False,
            invoice_date_due=cls.today - timedelta(days=40),
        )
        cls.invoice.action_post()
        cls.invoice.o2c_dunning_level_id = cls.call

    def _charges_invoice(self):
        self.env["o2c.dunning.communication"]._o2c_run(companies=self.company, run_date=self.today, send=False)
        notice = self.env["o2c.dunning.communication"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(notice.level_id, self.notice)
        self.assertGreater(notice.amount_indemnity, 0)
        notice.action_invoice_charges()
        return notice.charges_move_id

    def test_charges_invoice_passes_the_checks_before_issue_and_the_factur_x_validation(self):
        charges = self._charges_invoice()
        tax = charges.invoice_line_ids.tax_ids
        self.assertEqual(len(tax), 1)
        self.assertEqual((tax.amount, tax.o2c_einvoice_vat_category), (0.0, "E"))
        self.assertIn("L441-10", tax.o2c_einvoice_exemption_reason)
        self.assertEqual(charges.amount_tax, 0.0)
        charges.action_post()
        self.assertEqual(charges._o2c_einvoice_findings()[charges], [])
        result = charges._o2c_einvoice_prepare()[charges]
        self.assertEqual(result["errors"], [])
        xml = etree.fromstring(result["xml"])
        categories = xml.xpath(
            "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", namespaces=NS
        )
        self.assertEqual([node.text for node in categories], ["E"])
        self.assertTrue(xml.xpath("//ram:ApplicableTradeTax/ram:ExemptionReason", namespaces=NS))
        self.assertEqual(self.company._o2c_dunning_charges_taxes(), tax, "the next charges take the same tax")

    def test_invoice_mention_states_the_points_of_the_dunning_settings(self):
        self.company.o2c_dunning_interest_margin = 7.0
        french = self.company.with_context(lang="fr_FR")
        self.assertIn("majoré de 7 points", french.o2c_einvoice_penalty_note)
        self.assertEqual(french.o2c_einvoice_penalty_note, french._o2c_dunning_invoice_mention())
        self.assertIn("plus 7 points", self.company.with_context(lang="en_US").o2c_einvoice_penalty_note)
        invoice = self.make_invoice(products=self.goods, post=True)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)
        self.assertIn("majoré de 7 points", html.decode())
