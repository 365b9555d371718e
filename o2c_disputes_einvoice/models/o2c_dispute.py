from odoo import _, models

# Reason code of the reform (status 207 / 206) for each dispute reason of o2c_disputes; others are AUTRE.
REASON_CODES = {
    "o2c_disputes.o2c_dispute_reason_price": "PU_ERR",
    "o2c_disputes.o2c_dispute_reason_quantity": "QTE_ERR",
    "o2c_disputes.o2c_dispute_reason_damaged": "QUALITE_ERR",
    "o2c_disputes.o2c_dispute_reason_not_delivered": "LIVR_INCOMP",
    "o2c_disputes.o2c_dispute_reason_missing_po": "CMD_ERR",
    "o2c_disputes.o2c_dispute_reason_legal_data": "ADR_ERR",
    "o2c_disputes.o2c_dispute_reason_duplicate": "DOUBLON",
    "o2c_disputes.o2c_dispute_reason_service_quality": "QUALITE_ERR",
}
# Lifecycle status written when a dispute is resolved: the claim rejected leaves the invoice approved, a partial
# acceptance approves it in part, a full acceptance cancels it (credit note).
RESOLUTION_STATUS = {"rejected": "205", "partial": "206", "accepted": "220"}


class O2cDispute(models.Model):
    _inherit = "o2c.dispute"

    def _o2c_einvoice_reason_code(self):
        """The reform's reason code matching the reason of this dispute."""
        self.ensure_one()
        xmlid = self.reason_id.get_external_id().get(self.reason_id.id, "")
        return REASON_CODES.get(xmlid, "AUTRE")

    def _o2c_einvoice_invoices(self):
        """The posted customer invoices of the dispute, as superuser: the status is the system's record of
        the dispute, written whoever raised it (a customer on the portal has no right on statuses)."""
        return self.sudo().invoice_ids.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund") and move.state == "posted"
        )

    def _o2c_on_dispute_opened(self):
        res = super()._o2c_on_dispute_opened()
        if self.env.context.get("o2c_dispute_from_platform_status"):
            return res
        for dispute in self:
            invoices = dispute._o2c_einvoice_invoices()
            if invoices:
                invoices._o2c_einvoice_add_status(
                    "207",
                    reason_code=dispute._o2c_einvoice_reason_code(),
                    note=_("Dispute %(case)s: %(reason)s", case=dispute.name, reason=dispute.reason_id.name),
                    source="dispute",
                )
        return res

    def _o2c_on_dispute_resolved(self):
        res = super()._o2c_on_dispute_resolved()
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for dispute in self:
            code = RESOLUTION_STATUS.get(dispute.outcome)
            invoices = dispute._o2c_einvoice_invoices()
            if code and invoices:
                invoices._o2c_einvoice_add_status(
                    code,
                    reason_code=dispute._o2c_einvoice_reason_code() if code == "206" else None,
                    note=_("Dispute %(case)s resolved: %(outcome)s", case=dispute.name,
                           outcome=outcomes.get(dispute.outcome, dispute.outcome)),
                    amount=dispute.amount_resolution or None,
                    source="dispute",
                )  # fmt: skip
        return res
