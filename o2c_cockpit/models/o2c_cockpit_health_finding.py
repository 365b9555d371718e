import ast

from odoo import api, fields, models

from ..core.health import STEPS

STEP_SELECTION = [
    ("credit", "Credit"),
    ("invoicing", "Invoicing"),
    ("collection", "Collection"),
    ("cash", "Cash application"),
    ("disputes", "Disputes"),
]
assert [key for key, _label in STEP_SELECTION] == list(STEPS)
SEVERITIES = [("high", "To fix"), ("medium", "To improve")]


class O2cCockpitHealthFinding(models.Model):
    """One finding of a health check: what is wrong, what to change, and the records behind it."""

    _name = "o2c.cockpit.health.finding"
    _description = "Health check finding"
    _order = "check_id, sequence, id"

    check_id = fields.Many2one("o2c.cockpit.health.check", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, readonly=True)
    step = fields.Selection(STEP_SELECTION, required=True, readonly=True)
    severity = fields.Selection(SEVERITIES, required=True, readonly=True)
    name = fields.Char(string="Finding", required=True, readonly=True)
    recommendation = fields.Text(readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    res_model = fields.Char(string="Records of", readonly=True)
    res_domain = fields.Char(string="Records domain", readonly=True)
    res_id = fields.Integer(string="Record", readonly=True)

    def action_open_records(self):
        """Open the records behind the finding (one record in its form, else a list)."""
        self.ensure_one()
        if not self.res_model:
            return False
        action = {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self.res_model,
            "target": "current",
        }
        if self.res_id:
            return dict(action, res_id=self.res_id, views=[(False, "form")])
        return dict(
            action,
            domain=ast.literal_eval(self.res_domain or "[]"),
            views=[(False, "list"), (False, "form")],
            context={"create": False},
        )

    @api.model
    def _o2c_wording(self, code, params):
        """(title, recommendation) of a finding code of the health check core, in the user's language."""
        p = dict(params)

        def late():
            return self.env._(
                "%(count)s invoices were paid more than 15 days after their due date "
                "(median %(median_days)s days late).",
                count=p.get("count"),
                median_days=p.get("median_days"),
            )

        texts = {
            "q_terms_clauses": lambda: (
                self.env._("Payment terms and late-payment clauses"),
                self.env._(
                    "State the payment terms, the late-payment interest and the recovery indemnity in your terms of "
                    "sale and on every invoice: a customer who knows the penalty pays on time more often."
                ),
            ),
            "q_credit_insurance": lambda: (
                self.env._("No credit insurance"),
                self.env._(
                    "Insure the receivables of your largest customers: the insurer pays if they fail and tells you "
                    "which customers to watch."
                ),
            ),
            "q_credit_policy": lambda: (
                self.env._("Credit policy with approval levels"),
                self.env._(
                    "Write down who grants which credit limit and hold the orders above it: set credit rules with "
                    "approval levels."
                ),
            ),
            "q_invoice_on_delivery": lambda: (
                self.env._("Invoice as soon as you deliver"),
                self.env._(
                    "Each day between delivery and invoice is a day of credit given for free: invoice on delivery."
                ),
            ),
            "q_customer_po": lambda: (
                self.env._("Customer order numbers on invoices"),
                self.env._(
                    "Large customers pay only invoices that carry their purchase order number: ask for it with the "
                    "order and print it on the invoice."
                ),
            ),
            "q_graduated_reminders": lambda: (
                self.env._("Graduated reminders"),
                self.env._(
                    "Follow a written reminder ladder: a courteous reminder before the due date, a firmer one after "
                    "it, a phone call, then a formal notice."
                ),
            ),
            "q_aged_balance_review": lambda: (
                self.env._("Review the aged balance every week"),
                self.env._(
                    "Reviewed less often than weekly, the aged balance lets overdue amounts grow unseen: review it "
                    "every week with sales."
                ),
            ),
            "q_automatic_matching": lambda: (
                self.env._("Match bank receipts automatically"),
                self.env._(
                    "Import the bank statements every day and let automatic matching reconcile the receipts, so that "
                    "no reminder goes to a customer who has paid."
                ),
            ),
            "q_direct_debit": lambda: (
                self.env._("Prefer direct debit to cheques"),
                self.env._(
                    "A direct debit is collected on the due date; a cheque arrives late, has to be banked and may "
                    "bounce."
                ),
            ),
            "q_bank_accounts": lambda: (
                self.env._("Too many bank accounts"),
                self.env._(
                    "Your customers pay into %(count)s bank accounts: give one account, two at most, on your "
                    "invoices, so that every receipt is seen and matched.",
                    count=p.get("count"),
                ),
            ),
            "m_late_share": lambda: (
                self.env._("Invoices paid more than 15 days late"),
                self.env._(
                    "%(value).1f%% of the invoices paid in the last 12 months were paid more than 15 days after their "
                    "due date (target: at most %(target).0f%%).",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "m_invoice_to_payment_days": lambda: (
                self.env._("Payment comes long after the invoice"),
                self.env._(
                    "Customers pay on average %(value).0f days after the invoice date (target: at most %(target).0f "
                    "days; 60 days is the French legal maximum).",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "m_complete_share": lambda: (
                self.env._("Customer master data incomplete"),
                self.env._(
                    "Only %(value).1f%% of your customers have complete master data (SIREN, VAT number, accounting "
                    "e-mail, postal address, payment terms): complete them before their next invoice.",
                    value=p.get("value", 0.0),
                ),
            ),
            "m_order_to_invoice_days": lambda: (
                self.env._("Orders invoiced late"),
                self.env._(
                    "Invoices are issued on average %(value).1f days after the order (target: at most %(target).0f "
                    "days).",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "m_invoicing_error_rate": lambda: (
                self.env._("Invoicing errors"),
                self.env._(
                    "%(value).1f%% of the invoices were corrected by a credit note or disputed for an invoicing reason "
                    "(target: at most %(target).0f%%): check prices, order numbers and legal data before issue.",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "m_auto_match_share": lambda: (
                self.env._("Few receipts matched automatically"),
                self.env._(
                    "Only %(value).1f%% of the bank receipts were reconciled automatically (target: %(target).0f%%): "
                    "ask customers to quote the invoice number and check the matching settings.",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "m_dispute_rate": lambda: (
                self.env._("Many invoices disputed"),
                self.env._(
                    "%(value).1f%% of the invoices were disputed (target: at most %(target).0f%%).",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "m_resolution_days": lambda: (
                self.env._("Disputes take long to resolve"),
                self.env._(
                    "A dispute takes on average %(value).0f days to resolve (target: at most %(target).0f days), and "
                    "the disputed invoice stays unpaid meanwhile.",
                    value=p.get("value", 0.0),
                    target=p.get("target", 0.0),
                ),
            ),
            "ladder_create_ladder": lambda: (
                self.env._("No dunning ladder"),
                late()
                + " "
                + self.env._("Set up a ladder with a first reminder %(offset)s days after the due date.", **p),
            ),
            "ladder_add_level": lambda: (
                self.env._("No reminder in the fortnight after the due date"),
                late() + " " + self.env._("Add a reminder %(offset)s days after the due date to your ladder.", **p),
            ),
            "ladder_add_pre_due": lambda: (
                self.env._("No reminder before the due date"),
                late()
                + " "
                + self.env._(
                    "Add a courteous reminder %(days)s days before the due date to your ladder.",
                    days=-p.get("offset", 0),
                ),
            ),
            "ladder_bring_forward": lambda: (
                self.env._("Bring the next reminder forward"),
                late()
                + " "
                + self.env._(
                    "Your next level after the first fortnight comes %(current)s days after the due date: bring it "
                    "forward to %(offset)s days, or plan a phone call then.",
                    **p,
                ),
            ),
            "ladder_add_call": lambda: (
                self.env._("Call the late payers"),
                late() + " " + self.env._("Add a phone call %(offset)s days after the due date to your ladder.", **p),
            ),
            "missing_siren": lambda: (
                self.env._("Customers without SIREN"),
                self.env._(
                    "%(count)s French companies have no SIREN: the 2026 e-invoicing reform requires it on every "
                    "invoice.",
                    **p,
                ),
            ),
            "missing_vat": lambda: (
                self.env._("Customers without VAT number"),
                self.env._("%(count)s companies have no VAT number, which invoices between businesses must show.", **p),
            ),
            "missing_email": lambda: (
                self.env._("Customers without accounting e-mail"),
                self.env._(
                    "%(count)s customers have no e-mail for invoices and reminders: add an invoice address with an "
                    "e-mail.",
                    **p,
                ),
            ),
            "missing_address": lambda: (
                self.env._("Customers without full postal address"),
                self.env._(
                    "%(count)s customers lack a street, postcode or city: no letter or formal notice can reach them.",
                    **p,
                ),
            ),
            "missing_terms": lambda: (
                self.env._("Customers without payment terms"),
                self.env._(
                    "%(count)s customers have no payment terms: their invoices fall due at once and reminders start "
                    "on the wrong day.",
                    **p,
                ),
            ),
            "einvoice_failed": lambda: (
                self.env._("Invoices that failed the checks before issue"),
                self.env._("%(count)s invoices failed the Factur-X checks: correct them and issue them again.", **p),
            ),
            "unmatched": lambda: (
                self.env._("Receipts not matched automatically: %(reason)s", **p),
                self.env._(
                    "%(count)s bank receipts were left to a person (%(reason)s): look at what they have in common "
                    "(no invoice reference, several invoices at once, another payer).",
                    **p,
                ),
            ),
            "disputes_top_reason": lambda: (
                self.env._("Main dispute reason: %(reason)s", **p),
                self.env._(
                    "%(count)s disputes (%(share).0f%% of all) have the reason %(reason)s: remove that cause at the "
                    "source.",
                    **p,
                ),
            ),
        }
        return texts[code]()
