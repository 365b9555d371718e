from odoo import api, fields, models

TONES = [
    ("courteous", "Courteous"),
    ("reminder", "Reminder"),
    ("firm", "Firm"),
    ("call", "Phone call"),
    ("formal_notice", "Formal notice"),
    ("litigation", "Litigation"),
]


class O2cDunningLevel(models.Model):
    """One step of a dunning ladder: when it falls due and how the customer is reached."""

    _name = "o2c.dunning.level"
    _description = "Dunning Level"
    _order = "ladder_id, sequence, day_offset, id"

    name = fields.Char(required=True, translate=True)
    ladder_id = fields.Many2one("o2c.dunning.ladder", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ladder_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    day_offset = fields.Integer(
        string="Days after due date",
        required=True,
        help="Days after the due date when this level falls due; negative values remind before the due date.",
    )
    tone = fields.Selection(TONES, required=True, default="reminder")
    auto_send = fields.Boolean(
        string="Automatic",
        default=True,
        help="Automatic levels are sent by the daily run; manual ones wait in the collector's worklist.",
    )
    min_amount = fields.Monetary(
        string="Minimum amount",
        currency_field="currency_id",
        help="An invoice whose open amount (after exclusions) is below this amount is not reminded at this level.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    skip_when_late = fields.Boolean(
        string="Skip when a later level is due",
        help="If an invoice already qualifies for the next level (e.g. a pre-due courtesy reminder for an invoice "
        "that is already overdue), this level is passed over instead of being sent late.",
    )
    send_email = fields.Boolean(string="Email", default=True)
    mail_template_id = fields.Many2one(
        "mail.template", string="Email template", domain="[('model', '=', 'o2c.dunning.communication')]"
    )
    send_letter = fields.Boolean(string="Printed letter")
    create_call = fields.Boolean(
        string="Phone call", help="Plan a phone-call activity for the collector, to the customer's dunning contact."
    )
    is_formal_notice = fields.Boolean(
        string="Formal notice",
        help="The letter is a formal notice (mise en demeure) showing the statutory late-payment charges.",
    )
    is_litigation = fields.Boolean(
        string="Litigation hand-over", help="Reaching this level hands the file over to litigation; no later level."
    )
    letter_intro = fields.Html(
        string="Letter text", translate=True, sanitize=True, help="Opening text of the letter and of the email."
    )

    @api.constrains("day_offset", "sequence")
    def _check_ladder_order(self):
        """Changing a level re-checks the offsets of its whole ladder."""
        self.ladder_id._check_level_offsets()
