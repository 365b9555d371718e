import re

from odoo import api, fields, models

from ..facturx.checks import valid_siren, valid_vat


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2c_einvoice_profile = fields.Selection(
        selection=[("basic", "BASIC"), ("en16931", "EN 16931 (Comfort)"), ("extended", "EXTENDED")],
        string="Factur-X profile",
        company_dependent=True,
        help="Leave empty to use the profile set on the company.",
    )
    o2c_einvoice_address = fields.Char(
        string="Electronic invoicing address",
        compute="_compute_o2c_einvoice_address",
        store=True,
        readonly=False,
        help="Address of the customer in the French e-invoicing directory (BT-49, scheme 0225); it starts with "
        "its SIREN. Defaults to the SIREN.",
    )
    o2c_einvoice_po_required = fields.Boolean(
        string="Requires a PO number",
        help="Invoices to this customer are checked for the customer's purchase order number (Customer "
        "Reference) before issue.",
    )

    def _o2c_einvoice_siren(self):
        """SIREN of the partner: the first 9 digits of its Company ID (SIREN or SIRET), else the SIREN inside a
        valid French VAT number; empty for no partner (an invoice whose customer is not chosen yet)."""
        if not self:
            return ""
        self.ensure_one()
        digits = re.sub(r"\D", "", self.company_registry or "")
        if len(digits) in (9, 14):
            return digits[:9]
        vat = (self.vat or "").replace(" ", "").upper()
        if vat.startswith("FR") and vat[4:].isdigit() and valid_vat(vat):
            return vat[4:]
        return digits

    @api.depends("company_registry", "vat")
    def _compute_o2c_einvoice_address(self):
        for partner in self:
            siren = partner._o2c_einvoice_siren()
            address = partner.o2c_einvoice_address or ""
            if valid_siren(siren) and not address.startswith(siren):
                partner.o2c_einvoice_address = siren
