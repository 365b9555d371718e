import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class O2cCashmatchImportWizard(models.TransientModel):
    _name = "o2c.cashmatch.import.wizard"
    _description = "Import a bank statement file"

    journal_id = fields.Many2one(
        "account.journal", string="Bank journal", required=True, domain="[('type', '=', 'bank')]"
    )
    company_id = fields.Many2one(related="journal_id.company_id")
    data_file = fields.Binary(string="Bank file", required=True, help="CAMT.053/.052/.054 (XML), OFX, or a zip.")
    filename = fields.Char()
    match = fields.Boolean(string="Match after import", default=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "journal_id" in fields_list and not res.get("journal_id"):
            journal = self.env["account.journal"].search(
                [("type", "=", "bank"), *self.env["account.journal"]._check_company_domain(self.env.company)], limit=1
            )
            res["journal_id"] = journal.id
        return res

    def action_import(self):
        """Import the file, match its lines, and open the lines waiting for review (or say what happened)."""
        self.ensure_one()
        if not self.data_file:
            raise UserError(_("Choose a bank file to import."))
        data = base64.b64decode(self.data_file)
        result = self.journal_id.o2c_import_statement(data, self.filename or "", match=self.match)
        if not result["created"]:
            message = _(
                "Nothing imported: the %(count)s line(s) of %(file)s were already there.",
                count=result["skipped"],
                file=self.filename or _("the file"),
            )
        else:
            message = _(
                "%(created)s line(s) imported (%(skipped)s already there): %(auto)s reconciled automatically, "
                "%(proposed)s waiting for review, %(unmatched)s without proposal, %(returns)s returns.",
                **result,
            )
        if result["warnings"]:
            message += "\n" + "\n".join(result["warnings"])
        lines = self.env["account.bank.statement.line"].search(
            [("statement_id", "in", result["statement_ids"]), ("o2c_match_state", "in", ("proposed", "unmatched"))]
        )
        notification = {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "warning" if result["warnings"] or not result["created"] else "success",
                "sticky": bool(result["warnings"]),
            },
        }
        if lines:
            action = self.env["ir.actions.act_window"]._for_xml_id("o2c_cashmatch.action_o2c_cashmatch_review")
            action["domain"] = [("id", "in", lines.ids)]
            notification["params"]["next"] = action
        else:
            notification["params"]["next"] = {"type": "ir.actions.act_window_close"}
        return notification
