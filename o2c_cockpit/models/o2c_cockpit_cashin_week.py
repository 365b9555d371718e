from odoo import fields, models

CASHIN_SOURCES = [
    ("predicted", "Open invoices (predicted date)"),
    ("promise", "Promises to pay"),
    ("order", "Confirmed orders not yet invoiced"),
]


class O2cCockpitCashinWeek(models.Model):
    """Cash expected in one week from one source: open invoices at their predicted payment date, open
    promises to pay at their promised date, what confirmed orders have still to invoice at their
    expected payment date."""

    _name = "o2c.cockpit.cashin.week"
    _description = "Weekly cash-in forecast"
    _order = "company_id, week, source"
    _rec_name = "week"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    week = fields.Date(required=True, readonly=True, help="Monday of the week.")
    source = fields.Selection(CASHIN_SOURCES, required=True, readonly=True)
    amount = fields.Monetary(string="Expected cash-in", readonly=True)
