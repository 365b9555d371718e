from odoo import fields, models
from odoo.tools import SQL


class O2cCockpitHealthCheck(models.Model):
    """The health check measures the deliveries too: the days from order to delivery and from delivery to
    invoice, and the invoices issued more than a chosen number of days after their delivery."""

    _inherit = "o2c.cockpit.health.check"

    invoice_delay_days = fields.Integer(
        string="Invoice at most this many days after delivery",
        default=3,
        help="Invoices issued more than this many days after their delivery are listed as a finding.",
    )
    order_to_delivery_days = fields.Float(string="Order to delivery (days)", digits=(16, 1), readonly=True)
    delivery_to_invoice_days = fields.Float(string="Delivery to invoice (days)", digits=(16, 1), readonly=True)
    invoiced_after_delivery_count = fields.Integer(string="Invoiced late after delivery", readonly=True)

    def _o2c_measured_fields(self):
        return [*super()._o2c_measured_fields(), "order_to_delivery_days", "invoiced_after_delivery_count"]

    def _o2c_measure(self):
        """Add the order → delivery → invoice times and the invoices issued late after their delivery."""
        measures, links, offsets, late_days = super()._o2c_measure()
        date_from, date_to = self._o2c_period()
        order_days, delivery_days, late_ids = self._o2c_delivery_delays(date_from, date_to)
        measures["order_to_delivery_days"] = order_days
        measures["delivery_to_invoice_days"] = delivery_days
        measures["invoiced_after_delivery_count"] = len(late_ids)
        measures["invoiced_after_delivery"] = {"count": len(late_ids), "days": self.invoice_delay_days}
        links["invoiced_after_delivery"] = links["m_delivery_to_invoice_days"] = {
            "model": "account.move",
            "domain": [("id", "in", late_ids)],
            "count": len(late_ids),
        }
        return measures, links, offsets, late_days

    def _o2c_delivery_delays(self, date_from, date_to):
        """(average days from order to delivery, average days from delivery to invoice, ids of the invoices
        issued more than ``invoice_delay_days`` after their delivery) over the invoices dated between the two
        dates that come from sale orders and whose goods left before the invoice date. An invoice's delivery is
        the last validated delivery of its order lines on or before its date; its order, the earliest."""
        self.ensure_one()
        for model in ("account.move", "account.move.line", "sale.order", "sale.order.line", "stock.move"):
            self.env[model].flush_model()
        self.env["stock.picking"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            WITH invoiced AS (
                SELECT m.id, m.invoice_date, rel.order_line_id
                  FROM account_move m
                  JOIN account_move_line il ON il.move_id = m.id
                  JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = il.id
                 WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
            ), delivered AS (
                SELECT invoiced.id, invoiced.invoice_date,
                       MIN(so.date_order)::date AS order_date, MAX(picking.date_done)::date AS delivery_date
                  FROM invoiced
                  JOIN sale_order_line sol ON sol.id = invoiced.order_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN stock_move sm ON sm.sale_line_id = invoiced.order_line_id AND sm.state = 'done'
                  JOIN stock_picking picking ON picking.id = sm.picking_id
                  JOIN stock_picking_type kind ON kind.id = picking.picking_type_id AND kind.code = 'outgoing'
                 WHERE picking.date_done::date <= invoiced.invoice_date
                 GROUP BY invoiced.id, invoiced.invoice_date
            )
            SELECT AVG(delivery_date - order_date), AVG(invoice_date - delivery_date),
                   ARRAY_AGG(id ORDER BY id) FILTER (WHERE invoice_date - delivery_date > %(delay)s)
              FROM delivered
            """,
                company=self.company_id.id,
                date_from=date_from,
                date_to=date_to,
                delay=self.invoice_delay_days,
            )
        )
        order_days, delivery_days, late_ids = self.env.cr.fetchone()
        return (
            float(order_days) if order_days is not None else None,
            float(delivery_days) if delivery_days is not None else None,
            late_ids or [],
        )
