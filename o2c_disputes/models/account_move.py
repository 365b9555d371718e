from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.allocation import allocate_oldest_first
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    o2c_dispute_ids = fields.Many2many(
        "o2c.dispute",
        "o2c_dispute_account_move_rel",
        "move_id",
        "dispute_id",
        string="Disputes",
        copy=False,
        readonly=True,
    )
    o2c_dispute_count = fields.Integer(compute="_compute_o2c_dispute_count", string="Dispute count")
    o2c_in_dispute = fields.Boolean(
        compute="_compute_o2c_dispute_count",
        search="_search_o2c_in_dispute",
        string="In dispute",
        help="An open dispute concerns this invoice.",
    )

    def _compute_o2c_dispute_count(self):
        # sudo: the invoice shows its dispute count to everyone who sees the invoice, dispute handlers or not.
        disputes = self.env["o2c.dispute"].sudo()
        counts = dict(disputes._read_group([("invoice_ids", "in", self.ids)], ["invoice_ids"], ["__count"]))
        open_counts = dict(
            disputes._read_group(
                [("invoice_ids", "in", self.ids), ("state", "=", "open")], ["invoice_ids"], ["__count"]
            )
        )
        for move in self:
            move.o2c_dispute_count = counts.get(move._origin, 0)
            move.o2c_in_dispute = bool(open_counts.get(move._origin))

    def _search_o2c_in_dispute(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search invoices in dispute with = or != and a true/false value."))
        positive = (operator == "=") == value
        return [("o2c_dispute_ids", "any" if positive else "not any", [("state", "=", "open")])]

    def action_o2c_open_dispute(self):
        """Open a new dispute form for this posted customer invoice, prefilled with its residual."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted":
            raise UserError(
                _("Only posted customer invoices can be disputed: %(invoice)s is not one.", invoice=self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Dispute %(invoice)s", invoice=self.name),
            "res_model": "o2c.dispute",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_company_id": self.company_id.id,
                "default_invoice_ids": [self.id],
                "default_amount_disputed": self.amount_residual,
            },
        }

    def action_o2c_view_disputes(self):
        """Open the disputes of this invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_disputes.o2c_dispute_action")
        action["domain"] = [("invoice_ids", "in", self.ids)]
        action["context"] = {"default_invoice_ids": self.ids, "default_partner_id": self.commercial_partner_id.id}
        return action

    @api.model
    def _o2c_open_disputed_amounts(self, invoices):
        """Return ``{move_id: open disputed amount}`` for ``invoices``: each open dispute spread over its
        invoices (disputed lines' invoices first, then oldest due), capped at each residual."""
        # sudo: collectors and their dunning run have no right on disputes, yet an open dispute must hold their
        # reminders; the invoices are read the same way, whatever the user's companies.
        disputes = (
            self.env["o2c.dispute"]
            .sudo()
            .search_fetch(
                [("state", "=", "open"), ("invoice_ids", "in", invoices.ids)],
                ["amount_disputed", "invoice_ids", "invoice_line_ids"],
            )
        )
        amounts = {}
        if not disputes:
            return amounts
        involved = disputes.invoice_ids.sudo()  # sudo: see above, whatever the user's rights on invoices
        involved.fetch(["invoice_date_due", "amount_residual"])
        residuals = {move.id: (move.invoice_date_due, move.amount_residual) for move in involved}
        for dispute in disputes:
            shares = allocate_oldest_first(
                dispute.amount_disputed,
                [(mid, *residuals[mid]) for mid in dispute.invoice_ids.ids],
                priority=dispute.invoice_line_ids.move_id.ids,
            )
            for move_id, share in shares.items():
                amounts[move_id] = amounts.get(move_id, 0.0) + share
        wanted = set(invoices.ids)
        return {move_id: min(amount, residuals[move_id][1]) for move_id, amount in amounts.items() if move_id in wanted}

    def _o2c_dunning_excluded(self):
        """Extend the dunning exclusion with the open disputed amount of each invoice, capped at its
        residual (see ``o2c_dunning``)."""
        res = super()._o2c_dunning_excluded()
        residuals = {move.id: move.amount_residual for move in self}
        for move_id, disputed in self._o2c_open_disputed_amounts(self).items():
            res[move_id] = min(res.get(move_id, 0.0) + disputed, max(residuals[move_id], res.get(move_id, 0.0)))
        return res
