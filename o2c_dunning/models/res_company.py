from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date, formatLang
from odoo.tools.translate import LazyTranslate

from ..core import interest as interest_core

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
        compute="_compute_o2c_dunning_rates",
        help="Main refinancing rate of the European Central Bank on 1 January or 1 July of the current half-year, "
        "from the interest rate table.",
    )
    o2c_dunning_interest_margin = fields.Float(
        string="Points over the ECB rate",
        digits=(6, 3),
        default=interest_core.DEFAULT_POINTS,
        help="Late-payment interest of business customers: ECB rate of each half-year plus these points "
        "(10 by law when the terms of sale say nothing else).",
    )
    o2c_dunning_legal_rate = fields.Float(
        string="Legal interest rate (%)",
        digits=(6, 3),
        compute="_compute_o2c_dunning_rates",
        help="Legal interest rate for professionals of the current half-year, from the interest rate table; "
        "the late-payment rate is never below three times this rate.",
    )
    o2c_dunning_interest_rate = fields.Float(
        string="Late-payment interest rate (%)",
        digits=(6, 3),
        compute="_compute_o2c_dunning_rates",
        help="Rate charged to business customers in the current half-year: ECB rate plus the points above, never "
        "below three times the legal interest rate.",
    )
    o2c_dunning_notice_days = fields.Integer(
        string="Days to pay after a formal notice",
        default=8,
        help="Deadline the formal notice gives the customer, stated in the letter, in its email and on the "
        "charges invoice (its due date).",
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
    o2c_dunning_charges_tax_id = fields.Many2one(
        "account.tax",
        string="Tax of the late-payment charges",
        domain="[('type_tax_use', '=', 'sale'), ('amount', '=', 0)]",
        check_company=True,
        help="0 % tax put on the lines of the charges invoice: the recovery indemnity and late interest are outside "
        "the scope of VAT. Empty: no tax, or the tax that the e-invoicing addon provides for them.",
    )

    @api.depends("o2c_dunning_interest_margin")
    @api.depends_context("o2c_dunning_date")
    def _compute_o2c_dunning_rates(self):
        day = self.env.context.get("o2c_dunning_date") or fields.Date.context_today(self)
        table = self.env["o2c.dunning.interest.rate"]._o2c_table()
        for company in self:
            try:
                rates = interest_core.rates_in_force(table, day)
            except interest_core.MissingRatesError:
                company.o2c_dunning_ecb_rate = company.o2c_dunning_legal_rate = 0.0
                company.o2c_dunning_interest_rate = 0.0
                continue
            company.o2c_dunning_ecb_rate = rates.ecb_rate
            company.o2c_dunning_legal_rate = rates.legal_rate_professional
            company.o2c_dunning_interest_rate = interest_core.commercial_rate(
                rates, company.o2c_dunning_interest_margin
            )

    @api.constrains("o2c_dunning_interest_margin", "o2c_dunning_notice_days")
    def _check_o2c_dunning_charges_settings(self):
        for company in self:
            if company.o2c_dunning_interest_margin < 0:
                raise ValidationError(
                    _(
                        "The points over the ECB rate of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )
            if company.o2c_dunning_notice_days <= 0:
                raise ValidationError(
                    _(
                        "The formal notice of %(company)s must give the customer at least one day to pay.",
                        company=company.name,
                    )
                )

    # ------------------------------------------------------------------
    # Statutory late-payment charges
    # ------------------------------------------------------------------

    def _o2c_dunning_rate_table(self):
        """The published half-year rates (the core's HalfYearRates); UserError when none is entered."""
        return self.env["o2c.dunning.interest.rate"]._o2c_table()

    def _o2c_dunning_missing_rates(self, error):
        """The UserError telling which half-year's rates to add, for the core's MissingRatesError `error`."""
        return UserError(
            _(
                "No late-payment interest rates for the half-year starting %(date)s: add them in Collection > "
                "Configuration > Interest Rates.",
                date=format_date(self.env, error.half_year),
            )
        )

    def _o2c_dunning_rates_warning(self, day):
        """The sentence telling which half-years up to the one of `day` have no rates entered (their charges use
        the latest earlier rates), or "" when the table is complete."""
        missing = interest_core.missing_half_years(self._o2c_dunning_rate_table(), day)
        if not missing:
            return ""
        return _(
            "No late-payment interest rates are entered for the half-years starting on %(dates)s: the charges are "
            "computed with the latest earlier rates. Add the published rates in Collection > Configuration > "
            "Interest Rates.",
            dates=", ".join(format_date(self.env, start) for start in missing),
        )

    def _o2c_dunning_rates(self, day):
        """The core's HalfYearRates in force on `day`."""
        try:
            return interest_core.rates_in_force(self._o2c_dunning_rate_table(), day)
        except interest_core.MissingRatesError as error:
            raise self._o2c_dunning_missing_rates(error) from error

    def _o2c_dunning_charges_rate(self, business, day):
        """Annual rate (percent) of the interest a business customer (else a consumer) owes on `day`."""
        self.ensure_one()
        rates = self._o2c_dunning_rates(day)
        if business:
            return interest_core.commercial_rate(rates, self.o2c_dunning_interest_margin)
        return interest_core.individual_rate(rates)

    def _o2c_dunning_charges(self, invoices, run_date, business, notice_date=None):
        """{invoice id: (indemnity, interest)} in floats for the late ones among `invoices`, (id, due date, open
        amount) of one customer, on `run_date`: €40 and commercial interest for a business customer, interest
        at the legal rate for individuals from `notice_date` for a consumer (``core.interest``)."""
        self.ensure_one()
        try:
            charges = interest_core.statutory_charges(
                invoices,
                run_date,
                self._o2c_dunning_rate_table(),
                business,
                self.o2c_dunning_interest_margin,
                notice_date,
            )
        except interest_core.MissingRatesError as error:
            raise self._o2c_dunning_missing_rates(error) from error
        return {move_id: (float(item.indemnity), float(item.interest)) for move_id, item in charges.items()}

    def _o2c_dunning_number(self, value):
        """`value` written in the user's language, without decimals when it is whole (10 points, 12,15 %)."""
        value = float(value)
        return formatLang(self.env, value, digits=0 if value.is_integer() else 2)

    def _o2c_dunning_interest_mention(self, business, day):
        """The sentence of the formal notice, its email and the charges invoice stating the interest (and for a
        business customer the indemnity) owed, with the rate in force on `day`."""
        self.ensure_one()
        rate = self._o2c_dunning_number(self._o2c_dunning_charges_rate(business, day))
        half_year = format_date(self.env, interest_core.half_year_start(day))
        if business:
            return _(
                "Late-payment interest runs from the day after the due date at the European Central Bank main "
                "refinancing rate of each half-year plus %(points)s points, never below three times the legal "
                "interest rate (article L441-10 of the French Commercial Code): %(rate)s %% a year in the "
                "half-year starting %(half_year)s. A fixed indemnity of %(indemnity)s euros per late invoice is "
                "due for recovery costs (article D441-5).",
                points=self._o2c_dunning_number(self.o2c_dunning_interest_margin),
                rate=rate,
                half_year=half_year,
                indemnity=self._o2c_dunning_number(interest_core.RECOVERY_INDEMNITY),
            )
        return _(
            "From the date of this formal notice, the amounts due bear interest at the legal rate for "
            "individuals (article 1231-6 of the French Civil Code): %(rate)s %% a year in the half-year "
            "starting %(half_year)s.",
            rate=rate,
            half_year=half_year,
        )

    def _o2c_dunning_deadline_mention(self):
        """The sentence of the formal notice and its email stating the deadline to pay (company setting)."""
        self.ensure_one()
        return _(
            "Without payment within %(days)s days of receipt of this formal notice, we will hand the file over "
            "to our litigation department without further notice.",
            days=self.o2c_dunning_notice_days,
        )

    def _o2c_dunning_invoice_mention(self):
        """The late-payment mention of the company's invoices: the same rate rule as the formal notice and
        the charges invoice."""
        self.ensure_one()
        return _(
            "In case of late payment, interest at the European Central Bank main refinancing rate plus %(points)s "
            "points, never below three times the legal interest rate, is due from the day after the due date, "
            "together with a fixed indemnity of %(indemnity)s euros for recovery costs (articles L441-10 and "
            "D441-5 of the French Commercial Code; business customers only).",
            points=self._o2c_dunning_number(self.o2c_dunning_interest_margin),
            indemnity=self._o2c_dunning_number(interest_core.RECOVERY_INDEMNITY),
        )

    def _o2c_dunning_charges_invoice_values(self, communication):
        """Values of the draft invoice of the charges of `communication`, a formal notice of this company: its
        recovery indemnities and interest with the tax of ``_o2c_dunning_charges_taxes``, due at the notice's
        deadline, its note stating the rate and the deadline in the customer's language."""
        self.ensure_one()
        journal = self.env["account.journal"].search([("company_id", "=", self.id), ("type", "=", "sale")], limit=1)
        account = self.o2c_dunning_charges_account_id or journal.default_account_id
        taxes = [Command.set(self._o2c_dunning_charges_taxes().ids)]
        partner = communication.partner_id
        worded = self.with_context(lang=partner.lang or self.env.lang)
        late = communication.dunned_line_ids.filtered("amount_indemnity")
        lines = []
        if late:
            lines.append(
                Command.create(
                    {
                        "name": worded.env._(
                            "Fixed recovery indemnity (art. D441-5 Code de commerce): %(invoices)s",
                            invoices=", ".join(late.mapped("name")),
                        ),
                        "quantity": len(late),
                        "price_unit": float(interest_core.RECOVERY_INDEMNITY),
                        "account_id": account.id,
                        "tax_ids": taxes,
                    }
                )
            )
        if communication.amount_interest:
            lines.append(
                Command.create(
                    {
                        "name": worded.env._(
                            "Late-payment interest at %(rate)s %% until %(date)s",
                            rate=worded._o2c_dunning_number(communication.interest_rate),
                            date=format_date(worded.env, communication.run_date),
                        ),
                        "quantity": 1,
                        "price_unit": communication.amount_interest,
                        "account_id": account.id,
                        "tax_ids": taxes,
                    }
                )
            )
        business = partner.commercial_partner_id.o2c_dunning_is_business
        note = Markup("<p>%s</p><p>%s</p>") % (
            worded._o2c_dunning_interest_mention(business, communication.run_date),
            worded._o2c_dunning_deadline_mention(),
        )
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.id,
            "journal_id": journal.id,
            "invoice_origin": communication.name,
            "invoice_payment_term_id": False,
            "invoice_date_due": communication.run_date + timedelta(days=self.o2c_dunning_notice_days),
            "narration": note,
            "o2c_no_dunning": True,
            "o2c_no_dunning_reason": worded.env._("Late-payment charges"),
            "invoice_line_ids": lines,
        }

    def _o2c_dunning_charges_taxes(self):
        """Hook: the taxes of the lines of the company's charges invoices (the indemnity and interest are
        outside the scope of VAT): the company's setting, else none. ``o2c_dunning_einvoice`` extends it
        with a tax that the e-invoicing checks accept."""
        self.ensure_one()
        return self.o2c_dunning_charges_tax_id

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

    # What customers may do on their portal account: promises to pay, reminder links without a portal account.
    o2c_dunning_promise_max_days = fields.Integer(
        string="Promises to pay at most (days ahead)",
        default=30,
        help="A customer may promise on the portal to pay by a date at most this many days from today, and "
        "no more than what its invoices leave to pay.",
    )
    o2c_dunning_link_days = fields.Integer(
        string="Reminder links valid for (days)",
        default=90,
        help="The link of a reminder email opens the customer's account (statement, payment, promise, question) "
        "without a portal account for this many days after the reminder; 0 means without end.",
    )

    @api.constrains("o2c_dunning_promise_max_days", "o2c_dunning_link_days")
    def _check_o2c_dunning_portal_limits(self):
        """Both limits are days from today: never negative."""
        for company in self:
            if company.o2c_dunning_promise_max_days < 0 or company.o2c_dunning_link_days < 0:
                raise ValidationError(
                    _(
                        "The portal limits of %(company)s are numbers of days and cannot be negative.",
                        company=company.name,
                    )
                )
