import base64

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.account_journal import O2cUnknownAccounts


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
    allow_unbalanced = fields.Boolean(
        string="Import even if the balances do not add up",
        help="A statement whose opening balance plus its lines does not give its closing balance is refused; tick to "
        'import it anyway: it is then flagged "Balances do not add up".',
    )
    account_ids = fields.One2many(
        "o2c.cashmatch.import.wizard.account",
        "wizard_id",
        string="Accounts of the file",
        help="Accounts of a file holding several accounts' statements that no bank journal has: pick the journal "
        "each goes into.",
    )

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
        missing = self.account_ids.filtered(lambda account: not account.journal_id)
        if missing:
            raise UserError(
                _(
                    "Pick a bank journal for account(s) %(accounts)s.",
                    accounts=", ".join(missing.mapped("account_number")),
                )
            )
        try:
            result = self.journal_id.o2c_import_statement(
                data,
                self.filename or "",
                match=self.match,
                allow_unbalanced=self.allow_unbalanced,
                journal_by_account={account.account_number: account.journal_id for account in self.account_ids},
            )
        except O2cUnknownAccounts as err:
            # Nothing was created: ask for the journals, then import again.
            self.account_ids = [Command.create({"account_number": account}) for account in err.accounts]
            return {
                "type": "ir.actions.act_window",
                "name": _("Import bank statement"),
                "res_model": self._name,
                "res_id": self.id,
                "view_mode": "form",
                "target": "new",
            }
        message = self._summary(result)
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

    def _summary(self, result):
        """The sentence telling the user what became of every entry of the file (`o2c_import_statement`'s result)."""
        file = self.filename or _("the file")
        if not result["created"]:
            message = _(
                "Nothing imported from %(file)s: of its %(entries)s entries, %(skipped)s were already there and "
                "%(left_out)s are not booked yet.",
                file=file,
                **result,
            )
        else:
            message = _(
                "%(created)s line(s) imported from %(file)s, %(skipped)s already there, %(left_out)s not booked yet "
                "(of %(entries)s entries): %(auto)s reconciled automatically, %(proposed)s waiting for review, "
                "%(unmatched)s without proposal, %(returns)s returns.",
                file=file,
                **result,
            )
        repeated = sorted(result["repeated"].items())
        if repeated:
            named = "; ".join(f"{entry} = {line}" for entry, line in repeated[:10])
            message += "\n" + _("Already there: %(lines)s", lines=named)
            if len(repeated) > 10:
                message += " " + _("and %(count)s more.", count=len(repeated) - 10)
        if result["warnings"]:
            message += "\n" + "\n".join(result["warnings"])
        return message


class O2cCashmatchImportWizardAccount(models.TransientModel):
    _name = "o2c.cashmatch.import.wizard.account"
    _description = "Account of a bank file and the journal it goes into"

    wizard_id = fields.Many2one("o2c.cashmatch.import.wizard", required=True, ondelete="cascade")
    account_number = fields.Char(string="Account", required=True, readonly=True)
    company_id = fields.Many2one(related="wizard_id.company_id")
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank journal",
        domain="[('type', '=', 'bank'), ('company_id', '=', company_id)]",
    )
