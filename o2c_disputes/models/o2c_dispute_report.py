from odoo import fields, models
from odoo.tools import SQL

from .o2c_dispute import DISPUTE_OUTCOMES
from .o2c_dispute_reason import DISPUTE_TEAMS
from .o2c_dispute_stage import DISPUTE_STATES


class O2cDisputeReport(models.Model):
    """One row per dispute, amounts in company currency, for the pivot and graph of dispute KPIs."""

    _name = "o2c.dispute.report"
    _description = "Dispute analysis"
    _auto = False
    _rec_name = "dispute_id"
    _order = "date_open desc"
    # Flushed before the view is read, so that a dispute just written shows at once.
    _depends = {
        "o2c.dispute": [
            "company_id",
            "commercial_partner_id",
            "reason_id",
            "root_cause_id",
            "team",
            "user_id",
            "stage_id",
            "state",
            "outcome",
            "source",
            "date_open",
            "date_resolved",
            "amount_disputed",
            "amount_disputed_company",
            "amount_resolution",
        ],
        "res.company": ["currency_id"],
    }

    dispute_id = fields.Many2one("o2c.dispute", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    reason_id = fields.Many2one("o2c.dispute.reason", readonly=True)
    root_cause_id = fields.Many2one("o2c.dispute.root.cause", string="Root cause", readonly=True)
    team = fields.Selection(DISPUTE_TEAMS, readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    stage_id = fields.Many2one("o2c.dispute.stage", readonly=True)
    state = fields.Selection(DISPUTE_STATES, string="Status", readonly=True)
    outcome = fields.Selection(DISPUTE_OUTCOMES, readonly=True)
    source = fields.Selection([("backoffice", "Back office"), ("portal", "Customer portal")], readonly=True)
    date_open = fields.Date(string="Opened on", readonly=True)
    date_resolved = fields.Date(string="Resolved on", readonly=True)
    dispute_count = fields.Integer(string="Disputes", readonly=True)
    amount_disputed = fields.Monetary(string="Disputed amount", readonly=True)
    amount_open = fields.Monetary(string="Open disputed amount", readonly=True)
    amount_credited = fields.Monetary(string="Credited amount", readonly=True)
    resolution_days = fields.Float(
        string="Average resolution time (days)", aggregator="avg", readonly=True, digits=(16, 1)
    )
    resolution_days_max = fields.Float(
        string="Longest resolution time (days)", aggregator="max", readonly=True, digits=(16, 1)
    )
    open_age_days = fields.Float(string="Oldest open dispute (days)", aggregator="max", readonly=True, digits=(16, 1))

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT d.id AS id,
                   d.id AS dispute_id,
                   d.company_id,
                   company.currency_id,
                   d.commercial_partner_id AS partner_id,
                   d.reason_id,
                   d.root_cause_id,
                   d.team,
                   d.user_id,
                   d.stage_id,
                   d.state,
                   d.outcome,
                   d.source,
                   d.date_open,
                   d.date_resolved,
                   1 AS dispute_count,
                   d.amount_disputed_company AS amount_disputed,
                   CASE WHEN d.state = 'open' THEN d.amount_disputed_company ELSE 0 END AS amount_open,
                   CASE WHEN d.amount_disputed <> 0
                        THEN ROUND(d.amount_resolution * d.amount_disputed_company / d.amount_disputed, 2)
                        ELSE 0 END AS amount_credited,
                   CASE WHEN d.state <> 'open' THEN d.date_resolved - d.date_open END AS resolution_days,
                   CASE WHEN d.state <> 'open' THEN d.date_resolved - d.date_open END AS resolution_days_max,
                   CASE WHEN d.state = 'open' THEN CURRENT_DATE - d.date_open END AS open_age_days
              FROM o2c_dispute d
              JOIN res_company company ON company.id = d.company_id
            """
        )
