import ast
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.addons.o2c_cockpit.tests.common import CockpitCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDeliveryToInvoice(CockpitCase):
    """The health check's delivery measures on sale orders delivered (real transfers validated) then invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.today = fields.Date.context_today(cls.env.user)
        days = cls.days = lambda n: today - timedelta(days=n)
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "consu", "invoice_policy": "delivery", "list_price": 100.0}
        )
        cls.customer = cls._customer("Livré SA")
        cls.pickings = cls.env["stock.picking"]
        # Ordered 40 days ago, delivered 30 days ago, invoiced the next day.
        cls.prompt = cls._delivered_and_invoiced(ordered=days(40), delivered=days(30), invoiced=days(29))
        # Ordered 50 days ago, delivered 40 days ago, invoiced 10 days after the delivery.
        cls.late = cls._delivered_and_invoiced(ordered=days(50), delivered=days(40), invoiced=days(30))
        # Delivered after its invoice date (invoiced on order): not a delivery to invoice time.
        cls.before = cls._delivered_and_invoiced(ordered=days(25), delivered=days(10), invoiced=days(20))
        # Delivered and invoiced 20 days later, but more than 12 months ago: outside the measures.
        cls._delivered_and_invoiced(ordered=days(430), delivered=days(420), invoiced=days(400))
        cls.check = cls.env["o2c.cockpit.health.check"].create(
            {"company_id": cls.company.id, "q_invoice_on_delivery": "yes"}
        )
        cls.check.action_measure()

    @classmethod
    def get_default_groups(cls):
        """The test's user also sells and ships: it confirms the orders and validates their deliveries."""
        return (
            super().get_default_groups()
            | cls.env.ref("sales_team.group_sale_salesman_all_leads")
            | cls.env.ref("stock.group_stock_user")
        )

    @classmethod
    def _at(cls, day):
        return datetime.combine(day, time(10, 0))

    @classmethod
    def _delivered_and_invoiced(cls, ordered, delivered, invoiced):
        """A confirmed order of the product, its delivery validated on ``delivered``, its invoice posted on
        ``invoiced`` (the invoice policy is "on delivery", except when invoiced before the goods left)."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 2})],
            }
        )
        if invoiced < delivered:
            order.order_line.product_id.invoice_policy = "order"
        order.action_confirm()
        order.date_order = cls._at(ordered)
        invoice = None
        if invoiced < delivered:
            invoice = cls._invoice_order(order, invoiced)
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 2, "picked": True})
        picking.button_validate()
        cls.pickings |= picking
        picking.date_done = cls._at(delivered)
        cls.product.invoice_policy = "delivery"
        return invoice or cls._invoice_order(order, invoiced)

    @classmethod
    def _invoice_order(cls, order, invoice_date):
        invoice = order._create_invoices()
        invoice.invoice_date = invoice_date
        invoice.action_post()
        return invoice

    def test_order_to_delivery_and_delivery_to_invoice_times(self):
        self.assertEqual(set(self.pickings.mapped("state")), {"done"})
        self.assertEqual(set(self.pickings.picking_type_id.mapped("code")), {"outgoing"})
        # Two invoices delivered before their date: 10 and 10 days from order to delivery, 1 and 10 days from
        # delivery to invoice.
        self.assertAlmostEqual(self.check.order_to_delivery_days, 10.0)
        self.assertAlmostEqual(self.check.delivery_to_invoice_days, 5.5)
        # 5.5 days is "to watch" (good at most 2, to fix beyond 7).
        finding = self.check.finding_ids.filtered(lambda f: f.code == "m_delivery_to_invoice_days")
        self.assertEqual(finding.severity, "medium")
        self.assertEqual(finding.step, "invoicing")
        self.assertIn("5.5", finding.recommendation)

    def test_invoices_issued_more_than_n_days_after_delivery_are_found_with_their_records(self):
        finding = self.check.finding_ids.filtered(lambda f: f.code == "invoiced_after_delivery")
        self.assertEqual(self.check.invoiced_after_delivery_count, 1)
        self.assertEqual(finding.name, "Invoices issued more than 3 days after delivery")
        self.assertEqual(finding.record_count, 1)
        action = finding.action_open_records()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(self.env["account.move"].search(action["domain"]), self.late)
        self.assertEqual(ast.literal_eval(finding.res_domain), action["domain"])

    def test_a_longer_allowed_delay_finds_nothing(self):
        check = self.env["o2c.cockpit.health.check"].create({"company_id": self.company.id, "invoice_delay_days": 10})
        check.action_measure()
        self.assertEqual(check.invoiced_after_delivery_count, 0)
        self.assertNotIn("invoiced_after_delivery", check.finding_ids.mapped("code"))

    def test_french_wording_and_printed_report(self):
        finding = self.check.with_context(lang="fr_FR").finding_ids.filtered(
            lambda f: f.code == "invoiced_after_delivery"
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        title, recommendation = finding.with_context(lang="fr_FR")._o2c_wording(
            "invoiced_after_delivery", {"count": 1, "days": 3}
        )
        self.assertEqual(title, "Factures émises plus de 3 jours après la livraison")
        self.assertIn("1 factures", recommendation)
        html, _format = (
            self.env["ir.actions.report"]
            .with_context(lang="en_US")
            ._render_qweb_html("o2c_cockpit.report_health_check", self.check.ids)
        )
        text = html.decode()
        self.assertIn("Delivery to invoice (days)", text)
        self.assertIn("Invoiced more than", text)
