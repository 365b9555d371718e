from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date


class O2cDunningPortal(models.AbstractModel):
    """What a customer does on its portal account: promise to pay, ask a question on an invoice.

    The controller checks who the customer is (portal user or reminder link) and hands the customer,
    the company and the parsed input here; these methods check the input against the company's limits,
    create the records in sudo (customers have no right on dunning records) and tell the collector."""

    _name = "o2c.dunning.portal"
    _description = "Customer Account on the Portal"

    @api.model
    def _o2c_parse_amount(self, text):
        """The amount typed by the customer ("1 234,50" or "1234.50"); raises UserError when it is not one."""
        cleaned = (text or "").strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            return float(cleaned)
        except ValueError:
            raise UserError(_("Enter the amount as a number, e.g. 1250.00.")) from None

    @api.model
    def _o2c_parse_date(self, text):
        """The date picked by the customer (YYYY-MM-DD); raises UserError when it is not one."""
        try:
            return fields.Date.to_date((text or "").strip())
        except ValueError:
            raise UserError(_("Enter the promised date as a date, e.g. 2026-12-31.")) from None

    @api.model
    def _o2c_portal_promise(self, partner, company, invoices, promise_date, amount, author):
        """Create the customer's promise to pay `amount` of `invoices` (its own open invoices, sudo) by
        `promise_date`, within the company's limits; log it for the collector. Raises UserError on bad
        input and creates nothing then. Returns the promise."""
        today = fields.Date.context_today(self)
        currency = company.currency_id
        if not invoices:
            raise UserError(_("You have no open invoice to promise a payment for."))
        if not promise_date:
            raise UserError(_("Choose the date by which you will pay."))
        if promise_date < today:
            raise UserError(
                _(
                    "The promised date %(date)s is in the past: choose a date from today on.",
                    date=format_date(self.env, promise_date),
                )
            )
        limit = fields.Date.add(today, days=company.o2c_dunning_promise_max_days)
        if promise_date > limit:
            raise UserError(
                _(
                    "%(company)s accepts promises to pay at most %(days)s days ahead: choose a date until %(limit)s.",
                    company=company.name,
                    days=company.o2c_dunning_promise_max_days,
                    limit=format_date(self.env, limit),
                )
            )
        balance = sum(invoices.mapped("amount_residual"))
        if amount <= 0:
            raise UserError(_("The promised amount must be more than zero."))
        if currency.compare_amounts(amount, balance) > 0:
            raise UserError(
                _(
                    "You promise %(amount)s but these invoices leave %(balance)s to pay: promise at most %(balance)s.",
                    amount=format_amount(self.env, amount, currency),
                    balance=format_amount(self.env, balance, currency),
                )
            )
        Promise = self.env["o2c.dunning.promise"].sudo()  # sudo: customers have no right on promises
        already = Promise.search(
            [("move_ids", "in", invoices.ids), ("state", "=", "open")], order="promise_date", limit=1
        )
        if already:
            raise UserError(
                _(
                    "You already promised %(amount)s by %(date)s for these invoices; "
                    "contact us to change that promise.",
                    amount=format_amount(self.env, already.amount, already.currency_id),
                    date=format_date(self.env, already.promise_date),
                )
            )
        promise = Promise.with_company(company).create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "move_ids": [fields.Command.set(invoices.ids)],
                "promise_date": promise_date,
                "amount": amount,
                "note": _("Promised on the customer portal by %(author)s.", author=author.display_name),
            }
        )
        summary = _(
            "Promise to pay from the portal: %(amount)s by %(date)s",
            amount=format_amount(self.env, amount, currency),
            date=format_date(self.env, promise_date),
        )
        body = escape(
            _(
                "%(author)s promised on the portal to pay %(amount)s by %(date)s (invoices %(invoices)s); "
                "dunning of that amount pauses until then.",
                author=author.display_name,
                amount=format_amount(self.env, amount, currency),
                date=format_date(self.env, promise_date),
                invoices=", ".join(invoices.mapped("name")),
            )
        )
        promise._message_log(body=body)
        customer = partner.sudo()  # sudo: the chatter and activity of the customer, for the collector
        customer._message_log(body=body)
        collector = self.env["o2c.dunning.statement"]._o2c_collectors(customer, company)[customer.id]
        customer.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=promise_date,
            summary=summary,
            note=body,
            user_id=collector.id,
        )
        return promise

    @api.model
    def _o2c_portal_question(self, partner, company, invoice, message, author):
        """Post the customer's question `message` on its own `invoice` (sudo) in the invoice's chatter, as
        `author`, and give the collector an activity to answer it. Raises UserError on bad input."""
        message = (message or "").strip()
        if not invoice or invoice.commercial_partner_id != partner or invoice.company_id != company:
            raise UserError(_("Choose one of your invoices to ask your question about."))
        if not message:
            raise UserError(_("Write your question before sending it."))
        if len(message) > 5000:
            raise UserError(_("Your question is too long: keep it under 5,000 characters."))
        invoice = invoice.sudo()  # sudo: a customer without portal account may not post on the invoice itself
        invoice.message_subscribe(partner_ids=author.ids)
        posted = invoice.with_context(mail_create_nosubscribe=True).message_post(
            body=Markup("<p>%s</p>") % escape(message).replace("\n", Markup("<br/>")),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        collector = self.env["o2c.dunning.statement"]._o2c_collectors(partner, company)[partner.id]
        invoice.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_(
                "Answer the question of %(customer)s on %(invoice)s", customer=partner.name, invoice=invoice.name
            ),
            note=escape(message),
            user_id=collector.id,
        )
        return posted
