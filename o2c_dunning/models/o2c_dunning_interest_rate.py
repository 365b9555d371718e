from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..core import interest as interest_core


class O2cDunningInterestRate(models.Model):
    """The published rates of one half-year, from which late-payment interest is computed: the ECB main
    refinancing rate on the half-year's first day and the two French legal interest rates."""

    _name = "o2c.dunning.interest.rate"
    _description = "Late-Payment Interest Rates of a Half-Year"
    _order = "date_start desc"
    _rec_name = "date_start"

    date_start = fields.Date(
        string="Half-year starting", required=True, help="1 January or 1 July: the rates apply for six months."
    )
    ecb_rate = fields.Float(
        string="ECB main refinancing rate (%)",
        digits=(6, 3),
        required=True,
        help="Rate of the European Central Bank's most recent main refinancing operation on the half-year's "
        "first day (art. L441-10 Code de commerce).",
    )
    legal_rate_professional = fields.Float(
        string="Legal rate, professionals (%)",
        digits=(6, 3),
        required=True,
        help="Legal interest rate 'for all other cases' of the half-year: three times it is the lowest "
        "late-payment rate between businesses.",
    )
    legal_rate_individual = fields.Float(
        string="Legal rate, individuals (%)",
        digits=(6, 3),
        required=True,
        help="Legal interest rate for the claims of individuals not acting for professional needs: the "
        "interest a consumer owes after a formal notice.",
    )
    commercial_rate = fields.Float(
        string="Late-payment rate (%)",
        digits=(6, 3),
        compute="_compute_commercial_rate",
        help="Rate charged to business customers in this half-year: ECB rate plus the company's points, never "
        "below three times the legal rate for professionals.",
    )
    source = fields.Char(help="Where the rates are published (arrêté of the Journal officiel, ECB decision).")

    _sql_constraints = [
        ("date_start_unique", "unique(date_start)", "The rates of a half-year are entered once."),
    ]

    @api.depends("ecb_rate", "legal_rate_professional")
    @api.depends_context("company")
    def _compute_commercial_rate(self):
        points = self.env.company.o2c_dunning_interest_margin
        for rates in self:
            rates.commercial_rate = interest_core.commercial_rate(rates._o2c_core(), points)

    @api.depends("date_start")
    def _compute_display_name(self):
        for rates in self:
            start = rates.date_start
            rates.display_name = start and _("%(year)s H%(half)s", year=start.year, half=1 if start.month == 1 else 2)

    @api.constrains("date_start")
    def _check_date_start(self):
        for rates in self:
            if not interest_core.is_half_year_start(rates.date_start):
                raise ValidationError(
                    _(
                        "The rates of %(date)s must start a half-year: 1 January or 1 July.",
                        date=fields.Date.to_string(rates.date_start),
                    )
                )

    @api.constrains("ecb_rate", "legal_rate_professional", "legal_rate_individual")
    def _check_rates(self):
        for rates in self:
            if min(rates.legal_rate_professional, rates.legal_rate_individual) < 0:
                raise ValidationError(
                    _("The legal interest rates of %(half_year)s cannot be negative.", half_year=rates.display_name)
                )

    def _o2c_core(self):
        """These rates as the core's HalfYearRates."""
        self.ensure_one()
        return interest_core.HalfYearRates(
            self.date_start or fields.Date.today(),
            self.ecb_rate,
            self.legal_rate_professional,
            self.legal_rate_individual,
        )

    @api.model
    def _o2c_table(self):
        """All the half-years' rates as a tuple of the core's HalfYearRates, oldest first."""
        # sudo: published rates, read by whoever computes or prints the charges (the run, a collector, a portal user)
        rows = self.sudo().search_fetch(
            [], ["date_start", "ecb_rate", "legal_rate_professional", "legal_rate_individual"]
        )
        return tuple(rates._o2c_core() for rates in rows)
