import io
import zipfile
from datetime import datetime
from decimal import Decimal

from odoo import api, fields, models

from ..facturx.lifecycle import ALL_REASON_CODES, SELLER_STATUSES, STATUS_CODES
from ..facturx.platform import STATUS_SENDER_ROLE, OutgoingStatus, Party, build_status_cdar

STATUS_SELECTION = [
    ("200", "200 Submitted"),
    ("201", "201 Issued by the platform"),
    ("202", "202 Received by the platform"),
    ("203", "203 Made available"),
    ("204", "204 In process"),
    ("205", "205 Approved"),
    ("206", "206 Partially approved"),
    ("207", "207 Disputed"),
    ("208", "208 Suspended"),
    ("209", "209 Completed"),
    ("210", "210 Refused"),
    ("211", "211 Payment sent"),
    ("212", "212 Cashed"),
    ("213", "213 Rejected"),
    ("214", "214 Endorsed"),
    ("220", "220 Cancelled"),
    ("221", "221 Routing error"),
    ("501", "501 Inadmissible"),
]
SENDER_ROLE_SELECTION = [("SE", "Seller"), ("BY", "Buyer"), ("WK", "Platform"), ("AB", "Buyer's agent"),
                         ("SR", "Seller's agent"), ("DL", "Factor"), ("PE", "Payee"), ("PR", "Payer"),
                         ("II", "Invoice issuer"), ("IV", "Invoicee")]  # fmt: skip
REASON_LABELS = {
    "AUTRE": "Other",
    "COORD_BANC_ERR": "Wrong bank details",
    "TX_TVA_ERR": "Wrong VAT rate",
    "MONTANTTOTAL_ERR": "Wrong total amount",
    "CALCUL_ERR": "Calculation error",
    "NON_CONFORME": "Not compliant",
    "DOUBLON": "Duplicate",
    "DEST_INC": "Unknown recipient",
    "DEST_ERR": "Wrong recipient",
    "TRANSAC_INC": "Unknown transaction",
    "EMMET_INC": "Unknown issuer",
    "CONTRAT_TERM": "Contract ended",
    "DOUBLE_FACT": "Invoiced twice",
    "CMD_ERR": "Wrong or missing order number",
    "ADR_ERR": "Wrong address",
    "SIRET_ERR": "Wrong SIRET",
    "CODE_ROUTAGE_ERR": "Wrong routing code",
    "REF_CT_ABSENT": "Contract reference missing",
    "REF_ERR": "Wrong reference",
    "PU_ERR": "Wrong unit price",
    "REM_ERR": "Wrong discount",
    "QTE_ERR": "Wrong quantity",
    "ART_ERR": "Wrong item",
    "MODPAI_ERR": "Wrong payment terms",
    "QUALITE_ERR": "Quality issue",
    "LIVR_INCOMP": "Incomplete delivery",
    "JUSTIF_ABS": "Supporting document missing",
    "REJ_SEMAN": "Semantic rejection",
    "REJ_UNI": "Uniqueness rejection",
    "REJ_COH": "Consistency rejection",
    "REJ_ADR": "Addressing rejection",
    "REJ_CONT_B2G": "B2G contract rejection",
    "REJ_REF_PJ": "Attachment reference rejection",
    "REJ_ASS_PJ": "Attachment rejection",
}
REASON_SELECTION = [(code, f"{code} - {REASON_LABELS.get(code, code)}") for code in ALL_REASON_CODES]


class O2cEinvoiceStatus(models.Model):
    _name = "o2c.einvoice.status"
    _description = "E-invoice lifecycle status"
    _order = "date desc, id desc"
    _rec_name = "code"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True)
    code = fields.Selection(STATUS_SELECTION, string="Status", required=True)
    reason_code = fields.Selection(REASON_SELECTION, string="Reason")
    note = fields.Text()
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    amount = fields.Monetary(currency_field="company_currency_id", help="Amount received (212 Cashed).")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    vat_rate = fields.Float(string="VAT rate (%)", digits=(4, 2))
    paid_by_rate = fields.Json(string="Amount received per VAT rate")
    source = fields.Selection(
        [
            ("manual", "By hand"),
            ("import", "Imported (CDAR)"),
            ("auto", "Automatic"),
            ("dispute", "Dispute"),
            ("platform", "Platform"),
        ],
        required=True,
        default="manual",
    )
    message_ref = fields.Char(string="Message reference", help="Identifier of the CDAR message it came from.")
    user_id = fields.Many2one("res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True)
    sender_role = fields.Selection(
        SENDER_ROLE_SELECTION,
        string="Sender",
        compute="_compute_sender_role",
        store=True,
        readonly=False,
        help="Who sent the status: the buyer, the seller or a platform (CDAR MDT-21).",
    )
    pa_state = fields.Selection(
        [("to_send", "To send"), ("sent", "Sent"), ("error", "Not sent")],
        string="Sent to the platform",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    pa_flow_id = fields.Char(string="Platform flow", copy=False, readonly=True)
    pa_message = fields.Text(string="Platform message", copy=False, readonly=True)

    _sql_constraints = [
        ("message_once", "unique(move_id, code, message_ref)", "A status message is recorded once per invoice."),
    ]

    @api.depends("code", "source")
    def _compute_sender_role(self):
        for status in self:
            if not status.sender_role:
                status.sender_role = STATUS_SENDER_ROLE.get(status.code) if status.source == "platform" else (
                    "SE" if status.code in SELLER_STATUSES else STATUS_SENDER_ROLE.get(status.code))  # fmt: skip

    @api.model_create_multi
    def create(self, vals_list):
        statuses = super().create(vals_list)
        # The seller's own statuses travel to the buyer through the company's platform, if it has one.
        outgoing = statuses.filtered(lambda status: status.source != "platform" and status.sender_role == "SE")
        if outgoing:
            self.env["o2c.einvoice.platform"]._o2c_queue_statuses(outgoing)
        return statuses

    @api.depends("code", "reason_code", "move_id")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        reasons = dict(self._fields["reason_code"]._description_selection(self.env))
        for status in self:
            name = labels.get(status.code, status.code or "")
            if status.reason_code:
                name = f"{name} ({reasons.get(status.reason_code, status.reason_code)})"
            status.display_name = name

    def _o2c_outgoing_status(self):
        """This status as the plain CDAR message the company sends, naming its real sender: the seller for
        its own statuses, the buyer (or the platform) for the statuses it only records."""
        self.ensure_one()
        move = self.move_id
        seller = Party(move.company_id.partner_id._o2c_einvoice_siren(), move.company_id.name, "SE",
                       move.company_id.o2c_einvoice_address or "")  # fmt: skip
        buyer_partner = move.commercial_partner_id
        buyer = Party(buyer_partner._o2c_einvoice_siren(), buyer_partner.name, "BY",
                      buyer_partner.o2c_pa_routing_address or buyer_partner.o2c_einvoice_address or "")  # fmt: skip
        role = self.sender_role or "SE"
        sender, recipient = (seller, buyer) if role == "SE" else (Party(buyer.siren, buyer.name, role, buyer.address),
                                                                   seller)  # fmt: skip
        paid = ()
        if self.code == "212":
            by_rate = self.paid_by_rate or {str(self.vat_rate): self.amount}
            paid = tuple(
                (Decimal(str(move.company_currency_id.round(value))), Decimal(str(rate)))
                for rate, value in by_rate.items()
            )
        return OutgoingStatus(
            message_id=f"CDV-{move.name.replace('/', '-')}-{self.code}-{self.id}",
            issued_at=datetime.now().replace(microsecond=0),
            status_code=self.code,
            status_name=STATUS_CODES.get(self.code, self.code),
            invoice_number=move.name,
            invoice_date=move.invoice_date or fields.Date.to_date(self.date),
            invoice_type_code="381" if move.move_type == "out_refund" else "380",
            sender=sender,
            recipient=recipient,
            reason_code=self.reason_code or "",
            reason=self.note or "",
            paid_amounts=paid,
            currency=move.company_currency_id.name,
        )

    def _o2c_cdar_xml(self):
        """CDAR XML bytes of this status (generated by pyfrctc)."""
        return build_status_cdar(self._o2c_outgoing_status())

    def action_export_cdar(self):
        """Download the CDAR XML of the selected statuses (one file, or a zip for several)."""
        if len(self) == 1:
            name, content = f"{self._o2c_outgoing_status().message_id}.xml", self._o2c_cdar_xml()
            mimetype = "application/xml"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for status in self:
                    archive.writestr(f"{status._o2c_outgoing_status().message_id}.xml", status._o2c_cdar_xml())
            name, content, mimetype = "cdar-statuses.zip", buffer.getvalue(), "application/zip"
        attachment = self.env["ir.attachment"].create(
            {"name": name, "raw": content, "mimetype": mimetype, "res_model": self._name, "res_id": self[:1].id}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
