"""Demo disputes: open, waiting for the customer, accepted with a credit note, partly accepted,
rejected, and one raised by a customer from the portal (login ``portail.dispute`` / ``portail.dispute``)."""

from datetime import timedelta

from odoo import Command

from .base import demo_user
from .dunning import ACCOUNTANT

PORTAL_LOGIN = "portail.dispute"
# Who owns the cases: sales administration handles price, order and delivery claims, the accountant the
# billing ones (the reasons' default owners, so a case raised from the portal gets its owner too).
SALES_ADMIN = ("nadia.adv", "Nadia Benali")


def _open_invoices(base):
    """Posted customer invoices still (partly) due, oldest first, in a seeded random order."""
    invoices = base.invoices.filtered(
        lambda inv: inv.move_type == "out_invoice" and inv.payment_state in ("not_paid", "partial")
    ).sorted(lambda inv: (inv.invoice_date_due, inv.id))
    order = list(invoices)
    base.rng.shuffle(order)
    return order


def _portal_user(env, customer):
    """A portal user for a contact of ``customer`` (created once)."""
    user = env["res.users"].search([("login", "=", PORTAL_LOGIN)])
    if user:
        return user
    contact = env["res.partner"].create(
        {"name": "Claire Martin", "parent_id": customer.id, "type": "contact", "email": "claire.martin@example.fr"}
    )
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "partner_id": contact.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
    )


def load(env, base):
    """Add the demo disputes to the company of ``base``."""
    ref = env.ref
    today = base.today
    disputes = env["o2c.dispute"]
    sales_admin = demo_user(
        env, *SALES_ADMIN, ["sales_team.group_sale_salesman", "o2c_disputes.group_o2c_dispute_manager"]
    )
    accountant = demo_user(env, *ACCOUNTANT, ["o2c_disputes.group_o2c_dispute_user"])
    owners = {"sales_admin": sales_admin, "logistics": sales_admin, "accounting": accountant}
    for reason in env["o2c.dispute.reason"].search([("user_id", "=", False)]):
        reason.user_id = owners[reason.team]
    base.company.o2c_dispute_user_id = sales_admin
    invoices = _open_invoices(base)
    used_customers = set()

    def pick():
        """Next open invoice of a customer not used yet (one case per customer keeps the demo readable)."""
        while invoices:
            invoice = invoices.pop()
            if invoice.commercial_partner_id.id not in used_customers and invoice.amount_residual > 1:
                used_customers.add(invoice.commercial_partner_id.id)
                return invoice
        raise RuntimeError("o2c demo: not enough open invoices for the dispute demo")

    def open_case(invoice, reason_xmlid, share, days_ago, stage_xmlid=None, description=""):
        dispute = disputes.create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "amount_disputed": invoice.currency_id.round(invoice.amount_residual * share),
                "reason_id": ref(f"o2c_disputes.{reason_xmlid}").id,
                "date_open": today - timedelta(days=days_ago),
                "description": description,
            }
        )
        if stage_xmlid:
            dispute.stage_id = ref(f"o2c_disputes.{stage_xmlid}")
        return dispute

    open_case(
        pick(),
        "o2c_dispute_reason_price",
        0.15,
        3,
        "o2c_dispute_stage_investigating",
        "Le client conteste le prix unitaire : remise de 15 % négociée non appliquée.",
    )
    open_case(
        pick(),
        "o2c_dispute_reason_missing_po",
        1.0,
        9,
        "o2c_dispute_stage_waiting",
        "Facture rejetée par le service achats du client : numéro de bon de commande manquant.",
    )
    open_case(pick(), "o2c_dispute_reason_quantity", 0.3, 12, None, "Livraison partielle : 3 cartons sur 10 manquants.")

    accepted = open_case(
        pick(), "o2c_dispute_reason_duplicate", 1.0, 20, None, "Facture émise deux fois pour la même livraison."
    )
    # Resolved in the past weeks: their credit notes are dated the day each was settled, not the load day.
    accepted._o2c_resolve(
        "accepted",
        root_cause=ref("o2c_disputes.o2c_dispute_root_cause_billing"),
        note="Doublon confirmé, avoir émis.",
        credit_note_date=today - timedelta(days=16),
    )
    accepted.date_resolved = today - timedelta(days=16)

    partial = open_case(pick(), "o2c_dispute_reason_damaged", 0.5, 25, None, "Deux chaises abîmées à la livraison.")
    partial._o2c_resolve(
        "partial",
        partial.currency_id.round(partial.amount_disputed * 0.4),
        ref("o2c_disputes.o2c_dispute_root_cause_carrier"),
        "Avoir pour les deux chaises ; le reste de la réclamation n'est pas fondé.",
        credit_note_date=today - timedelta(days=18),
    )
    partial.date_resolved = today - timedelta(days=18)

    rejected = open_case(
        pick(), "o2c_dispute_reason_service_quality", 0.2, 30, None, "Le client juge le délai de pose trop long."
    )
    rejected._o2c_resolve(
        "rejected",
        root_cause=ref("o2c_disputes.o2c_dispute_root_cause_none"),
        note="Délai contractuel respecté : relance reprise.",
    )
    rejected.date_resolved = today - timedelta(days=22)
    rejected.action_close()

    # One case raised by the customer from the portal, the way the portal controller opens it.
    invoice = pick()
    user = _portal_user(env, invoice.commercial_partner_id)
    invoice.message_subscribe(user.partner_id.ids)
    env["o2c.dispute"].with_user(user)._o2c_portal_submit(
        invoice.with_user(user),
        ref("o2c_disputes.o2c_dispute_reason_not_delivered"),
        invoice.currency_id.round(invoice.amount_residual / 2),
        "Nous n'avons jamais reçu la seconde livraison de cette commande.",
        [("bon_de_livraison.txt", b"Bon de livraison n. 2 : non signe, non recu.")],
    )
