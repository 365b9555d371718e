from odoo import api, models
from odoo.tools import format_amount


class O2cDunningStatement(models.AbstractModel):
    """The disputes on the customer statement and the customer's portal account (o2c_dunning's hooks)."""

    _inherit = "o2c.dunning.statement"

    @api.model
    def _o2c_disputed_amounts(self, move_ids):
        """The open disputed amount of each invoice, as the dunning keeps it out (see account.move)."""
        res = super()._o2c_disputed_amounts(move_ids)
        moves = self.env["account.move"].browse(move_ids)
        for move_id, amount in self.env["account.move"]._o2c_open_disputed_amounts(moves).items():
            res[move_id] = res.get(move_id, 0.0) + amount
        return res

    @api.model
    def _o2c_portal_disputes(self, partner, company):
        """The customer's latest disputes, with their status and portal link."""
        res = super()._o2c_portal_disputes(partner, company)
        # sudo: the customer's account page is also opened through a reminder link, without a portal user
        disputes = (
            self.env["o2c.dispute"]
            .sudo()
            .search(
                [("commercial_partner_id", "=", partner.id), ("company_id", "=", company.id)],
                order="date_open desc, id desc",
                limit=20,
            )
        )
        states = dict(disputes._fields["state"]._description_selection(self.env))
        for dispute in disputes:
            res.append(
                {
                    "name": dispute.name,
                    "invoices": dispute.invoice_names,
                    "amount": format_amount(self.env, dispute.amount_disputed, dispute.currency_id),
                    "state": states.get(dispute.state, dispute.state),
                    "url": dispute.access_url,
                }
            )
        return res
