from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2c_dunning_ladder_id = fields.Many2one(
        "o2c.dunning.ladder",
        string="Dunning ladder",
        company_dependent=True,
        help="Ladder used for this customer (e.g. key accounts); empty means the company's default ladder.",
    )
    o2c_dunning_contact_id = fields.Many2one(
        "res.partner",
        string="Dunning contact",
        help="Person who receives the reminders and is called by the collector; by default the invoicing "
        "address of the customer, else the customer itself.",
    )
    o2c_dunning_collector_id = fields.Many2one(
        "res.users", string="Collector", help="User in charge of this customer's dunning (calls, manual levels)."
    )
    o2c_no_dunning = fields.Boolean(string="No dunning", tracking=True)
    o2c_no_dunning_reason = fields.Char(string="No-dunning reason")
    o2c_no_dunning_until = fields.Date(
        string="No dunning until", help="Dunning resumes after this date; empty means until removed."
    )
    o2c_dunning_note = fields.Html(string="Collector notes")
    o2c_dunning_is_business = fields.Boolean(
        string="Business customer",
        compute="_compute_o2c_dunning_is_business",
        store=True,
        readonly=False,
        help="Business customers owe the €40 recovery indemnity and commercial late-payment interest; consumers "
        "owe neither, only interest at the legal rate for individuals after a formal notice. Set for companies and "
        "for customers with a SIREN or a VAT number; the collector can change it.",
    )
    o2c_dunning_communication_ids = fields.One2many(
        "o2c.dunning.communication", "partner_id", string="Dunning communications"
    )
    o2c_dunning_promise_ids = fields.One2many("o2c.dunning.promise", "partner_id", string="Promises to pay")

    @api.depends("is_company", "vat", "company_registry", "commercial_partner_id.is_company")
    def _compute_o2c_dunning_is_business(self):
        for partner in self:
            partner.o2c_dunning_is_business = bool(
                partner.is_company
                or partner.vat
                or partner.company_registry
                or partner.commercial_partner_id.is_company
            )
