from odoo import fields, models


# The customer's routing comes from the platform's directory: kept beside the platform code.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    o2c_pa_directory_state = fields.Selection(
        [("found", "In the directory"), ("not_found", "Not in the directory")],
        string="E-invoicing directory",
        copy=False,
        readonly=True,
        help="Result of the last look-up of the customer's SIREN in the e-invoicing directory (annuaire).",
    )
    o2c_pa_directory_date = fields.Datetime(string="Looked up on", copy=False, readonly=True, index=True)
    o2c_pa_routing_address = fields.Char(
        string="Routing address",
        copy=False,
        readonly=True,
        help="Addressing identifier of the customer in the directory (SIREN, SIREN_SIRET, routing code or "
        "suffix): where its platform receives invoices.",
    )
    o2c_pa_routing_code = fields.Char(string="Routing code", copy=False, readonly=True)
    o2c_pa_public_buyer = fields.Boolean(
        string="Public buyer",
        copy=False,
        help="A public entity (Chorus Pro): its invoices need a service code and a commitment number.",
    )

    def action_o2c_pa_lookup(self):
        """Button: look the customer up in the e-invoicing directory of the current company's platform now."""
        platform = self.env["o2c.einvoice.platform"]._o2c_for_company(self.env.company)
        if platform:
            platform._o2c_lookup(self.commercial_partner_id)
        return True
