from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ..core import ladder as ladder_core

_lt = LazyTranslate(__name__)
LADDER_NAME = _lt("Standard ladder")

# The default French ladder (level values; "template" is the xml id of the level's mail template)
DEFAULT_LEVELS = [
    {
        "name": _lt("Courteous reminder"),
        "day_offset": -5,
        "tone": "courteous",
        "auto_send": True,
        "skip_when_late": True,
        "send_email": True,
        "template": "mail_template_dunning_courteous",
    },
    {
        "name": _lt("First reminder"),
        "day_offset": 1,
        "tone": "reminder",
        "auto_send": True,
        "send_email": True,
        "template": "mail_template_dunning_reminder",
    },
    {
        "name": _lt("Second reminder"),
        "day_offset": 10,
        "tone": "firm",
        "auto_send": True,
        "send_email": True,
        "send_letter": True,
        "template": "mail_template_dunning_firm",
    },
    {
        "name": _lt("Phone call"),
        "day_offset": 20,
        "tone": "call",
        "auto_send": True,
        "send_email": False,
        "create_call": True,
    },
    {
        "name": _lt("Formal notice"),
        "day_offset": 30,
        "tone": "formal_notice",
        "auto_send": False,
        "send_email": True,
        "send_letter": True,
        "is_formal_notice": True,
        "template": "mail_template_dunning_formal_notice",
    },
    {
        "name": _lt("Hand-over to litigation"),
        "day_offset": 45,
        "tone": "litigation",
        "auto_send": False,
        "send_email": False,
        "is_litigation": True,
    },
]


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_dunning_auto_send = fields.Boolean(
        string="Send automatic reminders daily",
        default=True,
        help="The daily dunning run sends the levels marked automatic; manual levels wait in the collector's worklist.",
    )
    o2c_dunning_ladder_id = fields.Many2one(
        "o2c.dunning.ladder",
        string="Default dunning ladder",
        domain="[('company_id', '=', id)]",
        help="Ladder of every customer that has no ladder of its own.",
    )
    o2c_dunning_collector_id = fields.Many2one(
        "res.users", string="Default collector", help="Receives the call activities of customers without a collector."
    )
    o2c_dunning_ecb_rate = fields.Float(
        string="ECB refinancing rate (%)",
        digits=(6, 3),
        default=2.15,
        help="Main refinancing rate of the European Central Bank on 1 January or 1 July of the current half-year.",
    )
    o2c_dunning_interest_margin = fields.Float(
        string="Points over the ECB rate", digits=(6, 3), default=ladder_core.DEFAULT_INTEREST_MARGIN
    )
    o2c_dunning_legal_rate = fields.Float(
        string="Legal interest rate (%)",
        digits=(6, 3),
        default=2.76,
        help="Legal interest rate for professional creditors of the current half-year; "
        "the late-payment rate may not be below three times this rate.",
    )
    o2c_dunning_interest_rate = fields.Float(
        string="Late-payment interest rate (%)",
        digits=(6, 3),
        compute="_compute_o2c_dunning_interest_rate",
        help="ECB refinancing rate plus the points above.",
    )
    o2c_dunning_invoice_charges = fields.Boolean(
        string="Invoice late-payment charges with the formal notice",
        help="Sending a formal notice creates a draft invoice of the recovery indemnities and late interest.",
    )
    o2c_dunning_charges_account_id = fields.Many2one(
        "account.account",
        string="Late-payment charges account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
        help="Income account of the invoiced late-payment charges; the sales journal's default account when empty.",
    )

    @api.depends("o2c_dunning_ecb_rate", "o2c_dunning_interest_margin")
    def _compute_o2c_dunning_interest_rate(self):
        for company in self:
            company.o2c_dunning_interest_rate = ladder_core.statutory_rate(
                company.o2c_dunning_ecb_rate, company.o2c_dunning_interest_margin
            )

    @api.constrains("o2c_dunning_ecb_rate", "o2c_dunning_interest_margin", "o2c_dunning_legal_rate")
    def _check_o2c_dunning_interest_rate(self):
        """French law: the late-payment rate is at least three times the legal interest rate."""
        for company in self:
            floor = ladder_core.minimum_rate(company.o2c_dunning_legal_rate)
            if company.o2c_dunning_interest_rate < floor:
                raise ValidationError(
                    _(
                        "The late-payment interest rate of %(company)s (%(rate)s %%) is below three times the legal "
                        "interest rate (%(floor)s %%); raise the points over the ECB rate.",
                        company=company.name,
                        rate=company.o2c_dunning_interest_rate,
                        floor=floor,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """New companies get the default French ladder."""
        companies = super().create(vals_list)
        companies._o2c_dunning_create_default_ladder()
        return companies

    def _o2c_dunning_create_default_ladder(self):
        """Create the default ladder of each company of `self` that has none, named in every installed
        language; returns the new ladders."""
        # sudo: a company created by a user without dunning rights (settings, onboarding) still gets its ladder.
        ladders = self.env["o2c.dunning.ladder"].sudo()
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        for company in self.filtered(lambda c: not c.o2c_dunning_ladder_id):
            levels = []
            for sequence, spec in enumerate(DEFAULT_LEVELS, start=1):
                values = {key: value for key, value in spec.items() if key != "template"}
                values["name"] = self.env(context={"lang": "en_US"})._(spec["name"])
                values["sequence"] = sequence * 10
                template = spec.get("template") and self.env.ref(f"o2c_dunning.{spec['template']}", False)
                if template:
                    values["mail_template_id"] = template.id
                levels.append(fields.Command.create(values))
            ladder = ladders.with_context(lang="en_US").create(
                {
                    "name": self.env(context={"lang": "en_US"})._(LADDER_NAME),
                    "company_id": company.id,
                    "level_ids": levels,
                }
            )
            for lang in langs:
                env_lang = self.env(context={"lang": lang})
                ladder.with_context(lang=lang).name = env_lang._(LADDER_NAME)
                for level, spec in zip(ladder.level_ids.sorted("sequence"), DEFAULT_LEVELS, strict=True):
                    level.with_context(lang=lang).name = env_lang._(spec["name"])
            company.sudo().o2c_dunning_ladder_id = ladder  # sudo: see above
            ladders |= ladder
        return ladders
