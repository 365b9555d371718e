from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_dunning_auto_send = fields.Boolean(related="company_id.o2c_dunning_auto_send", readonly=False)
    o2c_dunning_ladder_id = fields.Many2one(related="company_id.o2c_dunning_ladder_id", readonly=False)
    o2c_dunning_collector_id = fields.Many2one(related="company_id.o2c_dunning_collector_id", readonly=False)
    o2c_dunning_ecb_rate = fields.Float(related="company_id.o2c_dunning_ecb_rate")
    o2c_dunning_interest_margin = fields.Float(related="company_id.o2c_dunning_interest_margin", readonly=False)
    o2c_dunning_legal_rate = fields.Float(related="company_id.o2c_dunning_legal_rate")
    o2c_dunning_notice_days = fields.Integer(related="company_id.o2c_dunning_notice_days", readonly=False)
    o2c_dunning_interest_rate = fields.Float(related="company_id.o2c_dunning_interest_rate")
    o2c_dunning_invoice_charges = fields.Boolean(related="company_id.o2c_dunning_invoice_charges", readonly=False)
    o2c_dunning_charges_account_id = fields.Many2one(
        related="company_id.o2c_dunning_charges_account_id", readonly=False
    )
    o2c_dunning_charges_tax_id = fields.Many2one(related="company_id.o2c_dunning_charges_tax_id", readonly=False)
    o2c_dunning_promise_max_days = fields.Integer(related="company_id.o2c_dunning_promise_max_days", readonly=False)
    o2c_dunning_link_days = fields.Integer(related="company_id.o2c_dunning_link_days", readonly=False)
