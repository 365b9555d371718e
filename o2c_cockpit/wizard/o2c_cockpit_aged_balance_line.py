from odoo import _, api, fields, models

from ..core.aging import buckets

# The age columns, one per bucket of o2c_cockpit.core.aging (not due, three periods, older).
BUCKET_FIELDS = ("amount_not_due", "amount_period_1", "amount_period_2", "amount_period_3", "amount_older")


def relabel_age_columns(model, description):
    """Title the age columns of ``description`` (a ``fields_get`` result of ``model``) after the limits in
    the context (``o2c_aged_limits``, set by the aged balance's actions); return it."""
    limits = model.env.context.get("o2c_aged_limits")
    if limits and len(limits) == len(BUCKET_FIELDS) - 2:
        labels = model.env["o2c.cockpit.aged.balance.line"]._o2c_bucket_labels(tuple(limits))
        for name, label in zip(BUCKET_FIELDS, labels, strict=True):
            if name in description and "string" in description[name]:
                description[name]["string"] = label
    return description


class O2cCockpitAgedBalanceLine(models.TransientModel):
    """One open receivable item of a customer in an aged balance: its residual at the balance's date, in
    the column of its age. Written by ``o2c.cockpit.aged.balance._o2c_fill_items`` when the customer is
    opened."""

    _name = "o2c.cockpit.aged.balance.line"
    _description = "Aged balance item"
    _order = "partner_name, partner_id, reference_date, id"
    _transient_max_hours = 2.0

    balance_id = fields.Many2one(
        "o2c.cockpit.aged.balance", string="Aged balance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, help="The commercial entity.")
    partner_name = fields.Char(readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal item", readonly=True)
    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    date = fields.Date(string="Accounting date", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due date", readonly=True)
    reference_date = fields.Date(readonly=True, help="The date the age is counted from: due date or invoice date.")
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator=False)
    bucket = fields.Integer(readonly=True, aggregator=False)
    amount_residual = fields.Monetary(string="Balance", readonly=True, help="Open amount at the chosen date.")
    amount_not_due = fields.Monetary(string="Not due", readonly=True)
    amount_period_1 = fields.Monetary(string="Period 1", readonly=True)
    amount_period_2 = fields.Monetary(string="Period 2", readonly=True)
    amount_period_3 = fields.Monetary(string="Period 3", readonly=True)
    amount_older = fields.Monetary(string="Older", readonly=True)
    amount_in_dispute = fields.Monetary(
        string="In dispute", readonly=True, help="The part of the item held by a dispute open today."
    )
    dunning_level_id = fields.Many2one(
        "o2c.dunning.level", string="Dunning level", readonly=True, help="The reminder level the invoice reached."
    )

    @api.model
    def _o2c_bucket_labels(self, limits):
        """Return the column title of each bucket for ``limits``, in the user's language."""
        labels = []
        for bucket in buckets(limits):
            if bucket.high == 0:
                labels.append(_("Not due"))
            elif bucket.high is None:
                labels.append(_("Over %(days)s days", days=bucket.low - 1))
            else:
                labels.append(_("%(low)s-%(high)s days", low=bucket.low, high=bucket.high))
        return labels

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Title the age columns after the limits the aged balance was computed with (its action's context)."""
        return relabel_age_columns(self, super().fields_get(allfields, attributes))

    def action_open_document(self):
        """Open the invoice, credit note or payment entry behind this item."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
