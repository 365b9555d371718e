from odoo import api, models


class O2cCockpitHealthFinding(models.Model):
    """The wording of the findings on deliveries."""

    _inherit = "o2c.cockpit.health.finding"

    @api.model
    def _o2c_wording(self, code, params):
        if code == "m_delivery_to_invoice_days":
            return (
                self.env._("Invoices issued long after delivery"),
                self.env._(
                    "Invoices are issued on average %(value).1f days after the goods left (target: at most "
                    "%(target).0f days): every day between delivery and invoice is credit given for free.",
                    value=params.get("value", 0.0),
                    target=params.get("target", 0.0),
                ),
            )
        if code == "invoiced_after_delivery":
            return (
                self.env._("Invoices issued more than %(days)s days after delivery", days=params.get("days")),
                self.env._(
                    "%(count)s invoices were issued more than %(days)s days after their delivery: invoice each "
                    "delivery on the day it is validated (French law asks for the invoice on delivery).",
                    count=params.get("count"),
                    days=params.get("days"),
                ),
            )
        return super()._o2c_wording(code, params)
