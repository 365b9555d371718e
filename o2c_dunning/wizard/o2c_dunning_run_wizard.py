from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.o2c_dunning_communication import CHANNELS


class O2cDunningRunWizard(models.TransientModel):
    """Run the dunning now, after a preview of what it will create and send."""

    _name = "o2c.dunning.run.wizard"
    _description = "Run the Dunning"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    run_date = fields.Date(string="Dunning date", required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("o2c.dunning.run.wizard.line", "wizard_id", string="Preview", readonly=True)
    previewed = fields.Boolean(readonly=True)
    communication_count = fields.Integer(compute="_compute_totals", string="Reminders")
    amount_total = fields.Monetary(compute="_compute_totals", string="Amount reminded")

    @api.depends("line_ids")
    def _compute_totals(self):
        for wizard in self:
            wizard.communication_count = len(wizard.line_ids)
            wizard.amount_total = sum(wizard.line_ids.mapped("amount"))

    @api.onchange("company_id", "run_date")
    def _onchange_reset_preview(self):
        self.line_ids = [fields.Command.clear()]
        self.previewed = False

    def action_preview(self):
        """Show the reminders the run would create, without creating anything."""
        self.ensure_one()
        if not self.company_id.o2c_dunning_ladder_id:
            raise UserError(_("Company %(company)s has no default dunning ladder.", company=self.company_id.name))
        comms = self.env["o2c.dunning.communication"].with_company(self.company_id)
        runs = self.env["o2c.dunning.run"].with_company(self.company_id)
        planned = runs._o2c_plan(self.company_id, self.run_date)
        partners = self.env["res.partner"].browse({plan.partner_id for plan in planned})
        contacts = runs._o2c_contacts(partners)
        levels = self.env["o2c.dunning.level"].browse({plan.level_id for plan in planned})
        lines = [fields.Command.clear()]
        for plan in planned:
            level = levels.browse(plan.level_id)
            channel, call = comms._o2c_channel(level, contacts[plan.partner_id])
            lines.append(
                fields.Command.create(
                    {
                        "partner_id": plan.partner_id,
                        "level_id": plan.level_id,
                        "invoice_count": len(plan.invoice_ids),
                        "amount": plan.amount,
                        "channel": channel,
                        "call_planned": call,
                        "auto_send": level.auto_send and self.company_id.o2c_dunning_auto_send,
                    }
                )
            )
        self.write({"line_ids": lines, "previewed": True})
        return self._reopen()

    def action_run(self):
        """Create the reminders and send the automatic ones now; open what was created."""
        self.ensure_one()
        result = self.env["o2c.dunning.run"]._o2c_run(companies=self.company_id, run_date=self.run_date)
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_dunning.o2c_dunning_communication_action")
        action["domain"] = [("id", "in", (result["created"] | result["sent"] | result["failed"]).ids)]
        action["context"] = {}
        if not action["domain"][0][2]:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": _("Nothing to remind on %(date)s.", date=self.run_date),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return action

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Run the dunning"),
        }


class O2cDunningRunWizardLine(models.TransientModel):
    _name = "o2c.dunning.run.wizard.line"
    _description = "Dunning Run Preview Line"

    wizard_id = fields.Many2one("o2c.dunning.run.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer")
    level_id = fields.Many2one("o2c.dunning.level")
    invoice_count = fields.Integer(string="Invoices")
    amount = fields.Monetary(string="Amount reminded")
    channel = fields.Selection(CHANNELS)
    call_planned = fields.Boolean(string="Phone call")
    auto_send = fields.Boolean(string="Sent by the run", help="Automatic level: sent now; else waits in the worklist.")
