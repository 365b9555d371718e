from odoo import api, fields, models

from .o2c_cockpit_aged_balance_line import relabel_age_columns


class O2cCockpitAgedBalanceCustomer(models.TransientModel):
    """One customer (commercial entity) of an aged balance: its open amount at the balance's date in each
    age column, the disputed part and its highest dunning level. Written in one SQL statement by
    ``o2c.cockpit.aged.balance._o2c_compute``; opens on its items."""

    _name = "o2c.cockpit.aged.balance.customer"
    _description = "Aged balance customer"
    _order = "partner_name, partner_id, id"
    _transient_max_hours = 2.0

    balance_id = fields.Many2one(
        "o2c.cockpit.aged.balance", string="Aged balance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, help="The commercial entity.")
    partner_name = fields.Char(readonly=True)
    item_count = fields.Integer(string="Open items", readonly=True)
    amount_residual = fields.Monetary(string="Balance", readonly=True, help="Open amount at the chosen date.")
    amount_not_due = fields.Monetary(string="Not due", readonly=True)
    amount_period_1 = fields.Monetary(string="Period 1", readonly=True)
    amount_period_2 = fields.Monetary(string="Period 2", readonly=True)
    amount_period_3 = fields.Monetary(string="Period 3", readonly=True)
    amount_older = fields.Monetary(string="Older", readonly=True)
    amount_in_dispute = fields.Monetary(
        string="In dispute", readonly=True, help="The part of the customer's invoices held by a dispute open today."
    )
    dunning_level_id = fields.Many2one(
        "o2c.dunning.level",
        string="Dunning level",
        readonly=True,
        help="The highest reminder level the customer's open invoices reached.",
    )

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Title the age columns after the limits the aged balance was computed with (its action's context)."""
        return relabel_age_columns(self, super().fields_get(allfields, attributes))

    def action_open_items(self):
        """Open the customer's items at the balance's date."""
        self.ensure_one()
        return self.balance_id._o2c_open_items(self.partner_id)
