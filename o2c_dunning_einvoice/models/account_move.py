from datetime import timedelta

from odoo import fields, models

# Days a buyer's 211 Paiement transmis keeps its invoice out of dunning: time for the transfer to arrive.
PAYMENT_SENT_PAUSE_DAYS = 5


class AccountMove(models.Model):
    _inherit = "account.move"

    def _o2c_dunning_excluded(self):
        res = super()._o2c_dunning_excluded()
        if not self:
            return res
        today = self.env.context.get("o2c_dunning_date") or fields.Date.context_today(self)
        since = fields.Datetime.to_datetime(today) - timedelta(days=PAYMENT_SENT_PAUSE_DAYS)
        paused = (
            self.env["o2c.einvoice.status"]
            .sudo()
            ._read_group([("move_id", "in", self.ids), ("code", "=", "211"), ("date", ">=", since)], ["move_id"])
        )
        for (move,) in paused:
            res[move.id] = float("inf")
        return res
