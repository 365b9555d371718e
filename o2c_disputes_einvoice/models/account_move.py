from odoo import Command, _, models

from .o2c_dispute import REASON_CODES

# Statuses of the buyer, received from the platform, that open a dispute case.
DISPUTE_STATUSES = ("207", "210")


class AccountMove(models.Model):
    _inherit = "account.move"

    def _o2c_einvoice_platform_statuses(self, statuses):
        res = super()._o2c_einvoice_platform_statuses(statuses)
        disputed = statuses.filtered(lambda status: status.code in DISPUTE_STATUSES)
        if disputed:
            self._o2c_open_disputes_from_statuses(disputed)
        return res

    def _o2c_open_disputes_from_statuses(self, statuses):
        """Open a dispute case, with the buyer's reason, for each invoice of `statuses` (207 En litige, 210
        Refusée) that has no open dispute yet; the dispute suspends dunning as any other."""
        Dispute = self.env["o2c.dispute"].sudo()
        open_cases = Dispute.search([("invoice_ids", "in", statuses.move_id.ids), ("state", "=", "open")])
        already = set(open_cases.invoice_ids.ids)
        by_code = {code: xmlid for xmlid, code in reversed(list(REASON_CODES.items()))}
        default_reason = self.env["o2c.dispute.reason"].sudo().search([], limit=1)
        values = []
        for status in statuses:
            move = status.move_id
            if move.id in already or move.move_type != "out_invoice":
                continue
            already.add(move.id)
            xmlid = by_code.get(status.reason_code or "")
            reason = (xmlid and self.env.ref(xmlid, raise_if_not_found=False)) or default_reason
            labels = dict(status._fields["code"]._description_selection(self.env))
            values.append(
                {
                    "partner_id": move.commercial_partner_id.id,
                    "company_id": move.company_id.id,
                    "invoice_ids": [Command.set(move.ids)],
                    "amount_disputed": move.amount_residual or move.amount_total,
                    "reason_id": reason.id,
                    "description": _(
                        "Opened by the buyer's status %(status)s received from the platform: %(note)s",
                        status=labels.get(status.code, status.code),
                        note=status.note or status.reason_code or "",
                    ),
                }
            )
        # The buyer's status is already on the invoice: the new case must not write a second 207.
        return Dispute.with_context(o2c_dispute_from_platform_status=True).create(values) if values else Dispute
