"""Demo content of o2c_cockpit: what makes every figure and every health-check finding show something.

On top of the other areas' data: past reminders (some paid within the fortnight, some not), confirmed
orders not yet invoiced, a credit note correcting an invoice, three new customers with gaps in their
master data, then the figures are refreshed and two health checks are run (one three months ago, one
today), so that the trend shows too.
"""

from datetime import timedelta

from odoo import Command, fields

from .base import demo_user
from .dunning import ACCOUNTANT


def _paid_on(invoice):
    """Date of the last reconciliation of an invoice paid in full, else None."""
    if invoice.payment_state not in ("paid", "in_payment"):
        return None
    receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
    return max(receivable.matched_credit_ids.mapped("max_date"), default=None)


def _past_reminders(env, base, level):
    """Sent reminders in the past months: invoices paid a few days after them, others still open 30 days on."""
    company = base.company
    paid_late = []
    for invoice in base.invoices.sorted("id"):
        paid = _paid_on(invoice)
        if paid and invoice.invoice_date_due and paid > invoice.invoice_date_due + timedelta(days=3):
            paid_late.append((invoice, paid))
        if len(paid_late) == 25:
            break
    overdue = base.invoices.filtered(
        lambda inv: (
            inv.payment_state in ("not_paid", "partial")
            and inv.invoice_date_due
            and inv.invoice_date_due < base.today - timedelta(days=40)
        )
    ).sorted("id")
    reminders = [(invoice, paid - timedelta(days=base.rng.choice((3, 6, 10, 20)))) for invoice, paid in paid_late[:25]]
    reminders += [(invoice, base.today - timedelta(days=30)) for invoice in overdue[:10]]
    values = [
        {
            "partner_id": invoice.commercial_partner_id.id,
            "company_id": company.id,
            "level_id": level.id,
            "run_date": max(run_date, invoice.invoice_date_due + timedelta(days=1)),
            "state": "sent",
            "channel": "email",
            "dunned_line_ids": [Command.create({"move_id": invoice.id, "level_id": level.id})],
        }
        for invoice, run_date in reminders
    ]
    existing = env["o2c.dunning.communication.line"].search([("level_id", "=", level.id)]).move_id
    values = [value for value, (invoice, _day) in zip(values, reminders, strict=True) if invoice not in existing]
    # The collector of the other demo reminders sends these too: a reminder belongs to a person, not to OdooBot.
    collector = (
        env["o2c.dunning.communication"]
        .search([("company_id", "=", company.id), ("user_id", "!=", False)], limit=1)
        .user_id
        or company.o2c_dunning_collector_id
    )
    for value in values:
        value["user_id"] = collector.id
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
    env["o2c.dunning.communication"].with_context(**quiet).create(values)


def _orders_to_invoice(env, base):
    """Three confirmed orders delivered in the coming weeks, not invoiced yet."""
    for weeks, customer in zip((1, 3, 6), base.customers[:3], strict=False):
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": base.company.id,
                "user_id": base.salesperson.id,
                "commitment_date": fields.Datetime.to_datetime(base.today + timedelta(weeks=weeks)),
                "order_line": [
                    Command.create({"product_id": base.products_services[:1].id, "product_uom_qty": 2 + weeks})
                ],
            }
        )
        order.action_confirm()


def _credit_note(env, base):
    """An invoice corrected by a credit note (a price error): an invoicing error for the health check."""
    # Noticed a week after the invoice, as a price error is: not a credit note of the load day.
    week_ago = base.today - timedelta(days=7)
    invoice = base.invoices.filtered(
        lambda inv: inv.payment_state == "not_paid" and inv.invoice_date < week_ago
    ).sorted("id")[:1]
    if invoice:
        day = invoice.invoice_date + timedelta(days=7)
        # The invoice's salesperson, as Odoo's reversal wizard gives it to the credit note.
        refund = invoice._reverse_moves(
            [
                {
                    "ref": f"Erreur de prix sur {invoice.name}",
                    "invoice_date": day,
                    "date": day,
                    "invoice_user_id": invoice.invoice_user_id.id,
                }
            ]
        )
        refund.action_post()


def _incomplete_customers(env, base):
    """Three new customers, each with a gap in its master data and one invoice."""
    france = env.ref("base.fr")
    product = base.products_goods[:1] or base.products_services[:1]
    customers = env["res.partner"].create(
        [
            {"name": "Nouvelle Épicerie Martin", "is_company": True, "country_id": france.id,
             "street": "3 rue Neuve", "zip": "69003", "city": "Lyon", "email": "compta@epicerie-martin.example"},
            {"name": "Atelier Roux", "is_company": True, "country_id": france.id, "company_registry": "732829320",
             "vat": "FR44732829320"},
            {"name": "Transports Blanc", "is_company": True, "country_id": france.id, "city": "Villeurbanne",
             "email": "factures@transports-blanc.example"},
        ]
    )  # fmt: skip
    for customer in customers:
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "company_id": base.company.id,
                "invoice_date": base.today - timedelta(days=10),
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1})],
            }
        )
        invoice.action_post()


def load(env, base):
    """Add the cockpit's demo content, refresh the figures and run two health checks."""
    if env["ir.module.module"]._get("o2c_cockpit").state != "installed":
        return
    company = base.company
    levels = company.o2c_dunning_ladder_id.level_ids.filtered(lambda level: level.day_offset > 0).sorted("day_offset")
    if levels:
        _past_reminders(env, base, levels[0])
    _orders_to_invoice(env, base)
    _credit_note(env, base)
    _incomplete_customers(env, base)
    env["o2c.cockpit.figure"]._o2c_refresh(company, today=base.today)
    answers = {
        "q_terms_clauses": "yes",
        "q_credit_insurance": "partly",
        "q_credit_policy": "yes",
        "q_invoice_on_delivery": "partly",
        "q_customer_po": "no",
        "q_graduated_reminders": "yes",
        "q_aged_balance_review": "monthly",
        "q_automatic_matching": "yes",
        "q_bank_accounts": 3,
        "q_direct_debit": "no",
    }
    # The accountant answers the questionnaire: a check is done by a person, not by OdooBot.
    accountant = demo_user(env, *ACCOUNTANT, ["account.group_account_manager"])
    checks = env["o2c.cockpit.health.check"].with_context(tracking_disable=True)
    earlier = checks.create(
        dict(answers, company_id=company.id, user_id=accountant.id, date=base.today - timedelta(days=90),
             q_graduated_reminders="partly", q_automatic_matching="partly", q_aged_balance_review="quarterly")
    )  # fmt: skip
    earlier.action_measure()
    checks.create(dict(answers, company_id=company.id, user_id=accountant.id, date=base.today)).action_measure()
