from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_einvoice_profile = fields.Selection(related="company_id.o2c_einvoice_profile", readonly=False)
    o2c_einvoice_enabled = fields.Boolean(related="company_id.o2c_einvoice_enabled", readonly=False)
    o2c_einvoice_check_mode = fields.Selection(related="company_id.o2c_einvoice_check_mode", readonly=False)
    o2c_einvoice_vat_on_debits = fields.Boolean(related="company_id.o2c_einvoice_vat_on_debits", readonly=False)
    o2c_einvoice_default_supply = fields.Selection(related="company_id.o2c_einvoice_default_supply", readonly=False)
    o2c_einvoice_address = fields.Char(related="company_id.o2c_einvoice_address", readonly=False)
    o2c_einvoice_penalty_note = fields.Text(related="company_id.o2c_einvoice_penalty_note", readonly=False)
    o2c_einvoice_recovery_fee_note = fields.Text(related="company_id.o2c_einvoice_recovery_fee_note", readonly=False)
    o2c_einvoice_discount_note = fields.Text(related="company_id.o2c_einvoice_discount_note", readonly=False)
