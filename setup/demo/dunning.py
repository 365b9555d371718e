"""Demo dunning: invoices at every level of the standard ladder (as if the earlier reminders had been
sent), a key-accounts ladder, a customer who promised to pay, a customer excluded from dunning; the first run
(setup/demo/dunning_run.py, after the other areas) gives the collector's worklist real content."""

from datetime import timedelta

from odoo import Command

from .base import demo_user

# The accountant who chases the customers: collector of the company, owner of the reminders and promises.
ACCOUNTANT = ("julien.compta", "Julien Lefèvre")


def _open_invoices(base):
    return base.invoices.filtered(
        lambda inv: inv.move_type == "out_invoice" and inv.payment_state in ("not_paid", "partial")
    ).sorted(lambda inv: (inv.invoice_date_due, inv.id))


def _reached_before(ladder, invoice, today):
    """The level before the one an invoice of this age would be at: its earlier reminders went out."""
    core = ladder._core_ladder()
    days = (today - invoice.invoice_date_due).days
    target = [i for i, level in enumerate(core.levels) if level.day_offset <= days]
    if len(target) < 2:
        return False
    return core.levels[target[-1] - 1].id


def load(env, base):
    """Add the dunning demo content to the base company."""
    company = base.company
    accountant = demo_user(env, *ACCOUNTANT, ["o2c_dunning.group_o2c_dunning_manager"])
    company.write({"o2c_dunning_collector_id": accountant.id, "o2c_dunning_auto_send": True})
    ladder = company.o2c_dunning_ladder_id
    key_accounts = env["o2c.dunning.ladder"].create(
        {
            "name": "Grands comptes",
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "name": "Appel du chargé de compte",
                        "day_offset": 5,
                        "tone": "call",
                        "send_email": False,
                        "create_call": True,
                    }
                ),
                Command.create(
                    {
                        "name": "Relance écrite",
                        "day_offset": 20,
                        "tone": "firm",
                        "mail_template_id": env.ref("o2c_dunning.mail_template_dunning_firm").id,
                    }
                ),
                Command.create(
                    {
                        "name": "Mise en demeure",
                        "day_offset": 45,
                        "tone": "formal_notice",
                        "auto_send": False,
                        "send_letter": True,
                        "is_formal_notice": True,
                        "mail_template_id": env.ref("o2c_dunning.mail_template_dunning_formal_notice").id,
                    }
                ),
            ],
        }
    )
    invoices = _open_invoices(base)
    customers = list(invoices.commercial_partner_id)
    base.rng.shuffle(customers)
    if len(customers) < 6:
        return
    promised, excluded, *others = customers
    for customer in others[:2]:
        customer.with_company(company).o2c_dunning_ladder_id = key_accounts

    excluded.write(
        {
            "o2c_no_dunning": True,
            "o2c_no_dunning_reason": "Accord de règlement en cours de négociation avec la direction financière",
            "o2c_no_dunning_until": base.today + timedelta(days=30),
        }
    )
    promised_invoices = invoices.filtered(lambda inv: inv.commercial_partner_id == promised)
    # Logged by the accountant himself, so that the chatter shows him, not OdooBot, writing it down.
    env["o2c.dunning.promise"].with_user(accountant).create(
        {
            "partner_id": promised.id,
            "company_id": company.id,
            "move_ids": [Command.set(promised_invoices.ids)],
            "promise_date": base.today + timedelta(days=7),
            "amount": round(sum(promised_invoices.mapped("amount_residual")), 2),
            "note": "Virement annoncé par le DAF au téléphone.",
            "user_id": accountant.id,
        }
    )
    by_level = {}
    for invoice in invoices:
        reached = _reached_before(ladder, invoice, base.today)
        if reached:
            by_level.setdefault(reached, []).append(invoice.id)
    for level_id, move_ids in by_level.items():
        env["account.move"].browse(move_ids).write({"o2c_dunning_level_id": level_id})
