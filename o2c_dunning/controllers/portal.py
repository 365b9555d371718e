import re

from werkzeug.urls import url_encode

from odoo import _, http
from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

STATEMENT_REPORT = "o2c_dunning.action_report_customer_statement"


class O2cAccountPortal(PortalAccount, PaymentPortal):
    """The customer's account on the portal: balance, open items, reminders, disputes, the statement PDF,
    paying online, promising a date and asking a question.

    A logged-in customer sees its own account at /my/balance; the link of a reminder email opens the
    same pages for the reminder's customer without a portal account, through the reminder's access token
    (``reminder_id`` and ``access_token`` in every address and form of these pages)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "o2c_account_count" in counters:
            user = request.env.user
            domain = request.env["o2c.dunning.statement"]._o2c_open_invoices_domain(
                user.partner_id.commercial_partner_id, request.env.company
            )
            # sudo: a portal user counts its own customer's open invoices, as its account page shows them
            values["o2c_account_count"] = (
                0 if user._is_public() else request.env["account.move"].sudo().search_count(domain)
            )
        return values

    # ------------------------------------------------------------------ who is asking

    def _o2c_account_access(self, reminder_id=None, access_token=None):
        """Return (customer, company, reminder) whose account the request may see: the customer of the
        reminder whose valid, unexpired token is given, else the logged-in user's own customer.
        Raises MissingError (no such reminder) or AccessError (wrong or expired token, not logged in)."""
        reminder = request.env["o2c.dunning.communication"]
        if reminder_id:
            try:
                reminder_id = int(reminder_id)
            except (TypeError, ValueError):
                raise MissingError(_("This reminder does not exist.")) from None
            reminder = self._document_check_access("o2c.dunning.communication", reminder_id, access_token)
            if reminder._o2c_link_expired():
                raise AccessError(
                    _(
                        "The link of this reminder has expired: log in to your account, or ask %(company)s "
                        "for a new statement.",
                        company=reminder.company_id.name,
                    )
                )
            return reminder.partner_id.commercial_partner_id, reminder.company_id, reminder
        if request.env.user._is_public():
            raise AccessError(_("Log in, or open the link of your latest reminder email, to see your account."))
        return request.env.user.partner_id.commercial_partner_id, request.env.company, reminder

    def _o2c_account_author(self, partner, reminder):
        """The partner who speaks for the customer: the logged-in user, else the reminder's contact."""
        user = request.env.user
        if not user._is_public():
            return user.partner_id
        return (reminder.contact_id or partner).sudo()

    def _o2c_account_refuse(self, error, status=403):
        """A page saying why the request is refused (403, or 404 for a reminder that does not exist)."""
        status = 404 if isinstance(error, MissingError) else status
        return request.render(
            "o2c_dunning.portal_account_refused",
            {"o2c_refusal": error.args[0], "page_name": "o2c_account"},
            status=status,
        )

    @staticmethod
    def _o2c_account_link_params(reminder, access_token):
        """The query parameters that keep a reminder link's access on the next page."""
        return {"reminder_id": reminder.id, "access_token": access_token} if reminder else {}

    # ------------------------------------------------------------------ the account page

    @http.route(
        [
            "/my/balance",
            "/my/balance/page/<int:page>",
            "/my/balance/reminder/<int:reminder_id>",
            "/my/balance/reminder/<int:reminder_id>/page/<int:page>",
        ],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_my_account(self, reminder_id=None, access_token=None, done=None, page=1, **kw):
        """The customer's account: balance, open items, reminders received, promises and disputes."""
        try:
            partner, company, reminder = self._o2c_account_access(reminder_id, access_token)
        except MissingError as error:
            return self._o2c_account_refuse(error)
        except AccessError as error:
            if not reminder_id and request.env.user._is_public():
                return request.redirect("/web/login?redirect=/my/balance")
            return self._o2c_account_refuse(error)
        notice = {
            "promise": _("Thank you: your promise to pay is recorded and our reminders pause until that date."),
            "question": _("Thank you: your question is sent; we answer it on the invoice."),
            "paid": _("Thank you for your payment."),
        }.get(done)
        return self._o2c_render_account(partner, company, reminder, access_token, page=page, o2c_notice=notice)

    def _o2c_render_account(self, partner, company, reminder, access_token, status=200, page=1, **extra):
        """Render the account page of `partner` in `company` (in the customer's language when it came
        through a reminder link), with `extra` values (errors, the form typed). The totals cover every
        open item; the list shows them a page at a time, as Odoo's portal lists do (the statement PDF
        has them all)."""
        env = request.env(context=dict(request.env.context, lang=request.env.lang or partner.lang))
        Statement = env["o2c.dunning.statement"].sudo().with_company(company)
        account = Statement._o2c_portal_account(partner, company)
        params = self._o2c_account_link_params(reminder, access_token)
        pager = portal_pager(
            url=f"/my/balance/reminder/{reminder.id}" if reminder else "/my/balance",
            url_args={"access_token": access_token} if reminder else None,
            total=len(account["items"]),
            page=page,
            step=self._items_per_page,
        )
        page_items = account["items"][pager["offset"] : pager["offset"] + self._items_per_page]
        account["page_items"] = Statement._o2c_statement_label(account, page_items)
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "o2c_account",
            "account": account,
            "o2c_params": params,
            "o2c_query": url_encode(params),
            "o2c_form": {},
            "pager": pager,
            **extra,
        }
        return request.render("o2c_dunning.portal_account_page", values, status=status)

    # ------------------------------------------------------------------ the statement PDF

    @http.route("/my/balance/statement", type="http", auth="public", website=True, sitemap=False)
    def portal_my_account_statement(self, reminder_id=None, access_token=None, partner_id=None, download=None, **kw):
        """The customer statement PDF of the customer's account (downloaded with ``download=1``)."""
        try:
            partner, company, _reminder = self._o2c_account_access(reminder_id, access_token)
            if partner_id and str(partner_id) != str(partner.id):
                raise AccessError(_("This statement is not yours: you can only see the statement of your own account."))
        except (AccessError, MissingError) as error:
            return self._o2c_account_refuse(error)
        report = request.env["ir.actions.report"].sudo().with_company(company).with_context(lang=partner.lang)
        content, report_format = report._render_qweb_pdf(STATEMENT_REPORT, partner.ids)
        # Odoo's test mode renders reports as HTML: say so rather than call HTML a PDF
        extension = "pdf" if report_format == "pdf" else "html"
        mimetype = "application/pdf" if extension == "pdf" else "text/html; charset=utf-8"
        headers = [("Content-Type", mimetype), ("Content-Length", len(content))]
        if download:
            filename = re.sub(r"\W+", "_", _("Statement %(customer)s", customer=partner.name)) + f".{extension}"
            headers.append(("Content-Disposition", content_disposition(filename)))
        return request.make_response(content, headers=headers)

    # ------------------------------------------------------------------ pay online

    def _o2c_account_invoices(self, partner, company, selection):
        """The open invoices of `partner` a payment or promise is for: ``overdue`` (or nothing chosen) for
        the overdue ones, else ids joined by '-' or a list; ids of other customers are refused."""
        Statement = request.env["o2c.dunning.statement"].sudo().with_company(company)
        if isinstance(selection, str) and selection not in ("", "overdue"):
            selection = selection.split("-")
        if not selection or selection == "overdue":
            return Statement._o2c_open_invoices(partner, company, overdue_only=True)
        try:
            ids = {int(move_id) for move_id in selection}
        except ValueError:
            raise UserError(_("Choose the invoices among your open invoices.")) from None
        invoices = Statement._o2c_open_invoices(partner, company, move_ids=ids)
        if len(invoices) != len(ids):
            raise UserError(_("Some of the chosen invoices are not among your open invoices: choose again."))
        return invoices

    @http.route("/my/balance/pay", type="http", auth="public", website=True, sitemap=False)
    def portal_my_account_pay(self, reminder_id=None, access_token=None, **kw):
        """The payment page of the overdue balance, or of the invoices ticked on the account page."""
        try:
            partner, company, reminder = self._o2c_account_access(reminder_id, access_token)
        except (AccessError, MissingError) as error:
            return self._o2c_account_refuse(error)
        chosen = request.httprequest.args.getlist("invoice_ids")
        try:
            invoices = self._o2c_account_invoices(partner, company, chosen or kw.get("selection"))
            currency = self._o2c_account_payable(invoices)
        except UserError as error:
            return self._o2c_render_account(
                partner, company, reminder, access_token, status=400, o2c_error=error.args[0]
            )
        amount = sum(invoices.mapped("amount_residual"))
        params = self._o2c_account_link_params(reminder, access_token)
        selection = "-".join(str(move_id) for move_id in invoices.ids)
        landing = "/my/balance" + (f"/reminder/{reminder.id}" if reminder else "")
        landing += "?" + url_encode({**({"access_token": access_token} if reminder else {}), "done": "paid"})
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "o2c_account_pay",
            "o2c_invoices": invoices,
            "o2c_query": url_encode(params),
            "amount": amount,
            "payment": {"amount": amount, "currency": currency},
        }
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": partner,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "landing_route": landing,
                "transaction_route": f"/my/balance/transaction/{reminder.id or 0}/{selection}",
            },
            access_token=access_token,
        )
        values["amount"] = amount  # the payment form shows and sends this amount
        return request.render("o2c_dunning.portal_account_pay_page", values)

    def _o2c_account_payable(self, invoices):
        """The currency of `invoices` to pay together; raises UserError when there is nothing to pay or
        they are in several currencies."""
        currencies = invoices.currency_id
        if not invoices or invoices[:1].currency_id.is_zero(sum(invoices.mapped("amount_residual"))):
            raise UserError(_("There is nothing to pay: none of the chosen invoices is open."))
        if len(currencies) > 1:
            raise UserError(_("These invoices are in several currencies: pay those of one currency at a time."))
        return currencies

    @http.route("/my/balance/transaction/<int:reminder_id>/<string:selection>", type="json", auth="public")
    def portal_my_account_transaction(self, reminder_id, selection, access_token=None, **kwargs):
        """Create the payment transaction of the chosen invoices for the amount they leave to pay (the
        server's figure, whatever the browser sends) and return its processing values."""
        try:
            partner, company, _reminder = self._o2c_account_access(reminder_id, access_token)
        except (AccessError, MissingError):
            raise ValidationError(_("The access token is invalid.")) from None
        try:
            invoices = self._o2c_account_invoices(partner, company, selection)
            currency = self._o2c_account_payable(invoices)
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = sum(invoices.mapped("amount_residual"))
        payer = request.env.user.partner_id if not request.env.user._is_public() else partner
        return self._process_transaction(payer.id, currency.id, invoices.ids, False, **kwargs)

    # ------------------------------------------------------------------ promise to pay, question

    @http.route("/my/balance/promise", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def portal_my_account_promise(self, reminder_id=None, access_token=None, promise_date=None, amount=None, **kw):
        """Record the customer's promise to pay an amount of its open invoices by a date."""
        try:
            partner, company, reminder = self._o2c_account_access(reminder_id, access_token)
        except (AccessError, MissingError) as error:
            return self._o2c_account_refuse(error)
        Portal = request.env["o2c.dunning.portal"].sudo().with_company(company)
        form = {"promise_date": promise_date, "amount": amount}
        try:
            with request.env.cr.savepoint():
                # the promised amount covers the open invoices oldest due first, as the dunning counts it
                invoices = request.env["o2c.dunning.statement"].sudo()._o2c_open_invoices(partner, company)
                Portal._o2c_portal_promise(
                    partner,
                    company,
                    invoices,
                    Portal._o2c_parse_date(promise_date),
                    Portal._o2c_parse_amount(amount),
                    self._o2c_account_author(partner, reminder),
                )
        except (UserError, ValidationError) as error:
            return self._o2c_render_account(
                partner, company, reminder, access_token, status=400, o2c_error=error.args[0], o2c_form=form
            )
        return request.redirect(self._o2c_account_done_url(reminder, access_token, "promise"))

    @http.route("/my/balance/question", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def portal_my_account_question(self, reminder_id=None, access_token=None, invoice_id=None, message=None, **kw):
        """Post the customer's question on one of its invoices, for the collector to answer in the chatter."""
        try:
            partner, company, reminder = self._o2c_account_access(reminder_id, access_token)
        except (AccessError, MissingError) as error:
            return self._o2c_account_refuse(error)
        Portal = request.env["o2c.dunning.portal"].sudo().with_company(company)
        form = {"invoice_id": invoice_id, "message": message}
        try:
            invoice = request.env["account.move"].sudo().browse(int(invoice_id or 0)).exists()
        except ValueError:
            invoice = request.env["account.move"].sudo()
        try:
            with request.env.cr.savepoint():
                author = self._o2c_account_author(partner, reminder)
                Portal._o2c_portal_question(partner, company, invoice, message, author)
        except (UserError, ValidationError) as error:
            return self._o2c_render_account(
                partner, company, reminder, access_token, status=400, o2c_error=error.args[0], o2c_form=form
            )
        return request.redirect(self._o2c_account_done_url(reminder, access_token, "question"))

    @staticmethod
    def _o2c_account_done_url(reminder, access_token, done):
        """The account page after a form was sent, keeping the reminder link's access."""
        if reminder:
            return f"/my/balance/reminder/{reminder.id}?" + url_encode({"access_token": access_token, "done": done})
        return "/my/balance?" + url_encode({"done": done})
