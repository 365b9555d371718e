import re

from odoo import _, api, models


class O2cEinvoiceFacturxMapping(models.AbstractModel):
    _inherit = "o2c.einvoice.facturx.mapping"

    # Odoo's own Factur-X (account.edi.xml.cii) writes the three Chorus Pro fields of the invoice where it writes
    # them here: "Service exécutant" in BuyerReference, "Engagement juridique" in BuyerOrderReferencedDocument,
    # "Numéro de marché" in ContractReferencedDocument; each falls back to what the invoice states without them.

    @api.model
    def _o2c_buyer_reference(self, move):
        return (move.buyer_reference or "").strip() or super()._o2c_buyer_reference(move)

    @api.model
    def _o2c_order_reference(self, move):
        return (move.purchase_order_reference or "").strip() or super()._o2c_order_reference(move)

    @api.model
    def _o2c_contract_reference(self, move):
        return (move.contract_reference or "").strip() or super()._o2c_contract_reference(move)

    @api.model
    def _o2c_party_siret(self, partner):
        # l10n_fr's SIRET field, which Odoo's Chorus Pro export reads; else the Company ID when it holds one.
        return re.sub(r"\D", "", partner.siret or "") or super()._o2c_party_siret(partner)

    @api.model
    def _o2c_public_buyer_facts(self, move):
        # Named as the invoice form shows them (group "Chorus Pro" of the Other Info tab).
        return [
            (_("the service code (Buyer Reference, Chorus Pro)"), self._o2c_buyer_reference(move)),
            (_("the commitment number (Purchase Order Reference, Chorus Pro)"), self._o2c_order_reference(move)),
        ]
