"""The order-to-cash cycle, one step per named customer, for the README's walkthrough.

Each customer of STORY shows one step of the cycle (two for the last one): its invoices are made for it
here and are not in `base.invoices`, so that no other area's random pick changes its story. Runs after
the e-invoicing area and before the cash matching, which imports the rest of the cashed invoice in its
CAMT.053 statement (`base.bank_lines`), and before the first dunning run, which sends each customer the
level its story says.
"""

from datetime import timedelta

from odoo import Command, fields

from .base import addon_test_helper, demo_user
from .credit import CREDIT_MANAGER, SALESPERSON
from .disputes import SALES_ADMIN
from .dunning import ACCOUNTANT
from .plan import siren_with_key, vat_from_siren

ADDONS = ("o2c_credit", "o2c_dunning", "o2c_disputes", "o2c_einvoice", "o2c_cashmatch", "o2c_disputes_einvoice")
# step -> (customer, city, SIREN body); README.md's walkthrough names them.
STORY = {
    "held": ("Hôtel des Célestins SAS", "Lyon", "41236578"),
    "approved": ("Librairie du Passage SARL", "Lyon", "41236579"),
    "courteous": ("Boulangerie Saint-Jean SARL", "Lyon", "41236580"),
    "first_reminder": ("Garage de Vaise SAS", "Lyon", "41236581"),
    "contested": ("Imprimerie de la Croix-Rousse SAS", "Lyon", "41236582"),
    "resumed": ("Menuiserie de la Guillotière SARL", "Lyon", "41236583"),
    "promise": ("Transports Rhône Express SAS", "Villeurbanne", "41236584"),
    "partial": ("Pharmacie des Brotteaux SARL", "Lyon", "41236585"),
    "cashed": ("Cabinet Confluence Conseil SAS", "Lyon", "41236586"),
}
PORTAL_LOGIN = "compta.imprimerie"  # the contesting customer's accountant (password: the login)


def _customers(env):
    term = env.ref("account.account_payment_term_30days")
    customers = {}
    for step, (name, city, body) in STORY.items():
        siren = siren_with_key(body)
        slug = step.replace("_", "-")
        customers[step] = env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "street": "1 place Bellecour",
                "zip": "69002",
                "city": city,
                "country_id": env.ref("base.fr").id,
                "vat": vat_from_siren(siren),
                "company_registry": siren,
                "email": f"compta@{slug}.example.fr",
                "lang": env.ref("base.user_admin").lang,
                "property_payment_term_id": term.id,
                "credit_limit": 50000,
            }
        )
    return customers


def _invoice(env, base, customer, days_ago, amount, service=False, post=True):
    product = (base.products_services if service else base.products_goods)[:1]
    line = {"product_id": product.id, "quantity": 1, "price_unit": amount}
    if service:  # VAT on services is due on receipt (French chart's "prestations" tax): 212 follows the payment
        line["tax_ids"] = [
            Command.set(
                env["account.tax"]
                .search(
                    [("company_id", "=", base.company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20),
                     ("amount_type", "=", "percent"), ("price_include", "=", False),
                     ("tax_exigibility", "=", "on_payment")],
                    limit=1,
                )
                .ids
            )
        ]  # fmt: skip
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": base.today - timedelta(days=days_ago),
            "partner_bank_id": base.company.partner_id.bank_ids[:1].id,
            "invoice_line_ids": [Command.create(line)],
        }
    )
    if post:
        invoice.action_post()
    return invoice


def _pay(env, base, invoice, days_ago, share, memo):
    env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
        {
            "payment_date": base.today - timedelta(days=days_ago),
            "amount": invoice.currency_id.round(invoice.amount_total * share),
            "payment_difference_handling": "open",
            "communication": memo,
        }
    )._create_payments()


def _reminded(env, base, invoice, level, days_ago, collector):
    """The reminder at `level` sent `days_ago` to the invoice's customer: the invoice reached that level."""
    env["o2c.dunning.communication"].with_context(tracking_disable=True, mail_create_nolog=True).create(
        {
            "partner_id": invoice.commercial_partner_id.id,
            "company_id": base.company.id,
            "level_id": level.id,
            "run_date": base.today - timedelta(days=days_ago),
            "state": "sent",
            "channel": "email",
            "user_id": collector.id,
            "dunned_line_ids": [Command.create({"move_id": invoice.id, "level_id": level.id})],
        }
    )
    invoice.o2c_dunning_level_id = level


def _credit_steps(env, base, customers, manager, seller):
    """An order held over the limit for Claire's approval; another one approved, invoiced and deposited."""
    orders = {}
    for step, (prior, amount) in {"held": (6000, 2400), "approved": (3500, 2100)}.items():
        customer = customers[step]
        _invoice(env, base, customer, 12, prior)
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": seller.id,
                "order_line": [Command.create({"product_id": base.products_goods[:1].id, "price_unit": amount})],
            }
        )
        # 5 % over the limit: the credit manager's own approval level (over 10 %, the finance director's).
        exposure = customer.with_company(base.company).o2c_exposure_total + order._o2c_amount_company()
        customer.credit_limit = round(exposure / 1.05, -1)
        order.with_user(seller).action_confirm()
        orders[step] = order
    approval = orders["approved"].o2c_credit_approval_id
    approval.with_user(manager)._o2c_approve("Bon payeur depuis 2019, commande de rentrée.")
    invoice = orders["approved"]._create_invoices()
    invoice.invoice_date = base.today - timedelta(days=4)
    return invoice


def _deposit(env, base, invoice):
    """Deposit `invoice` on a local approved platform (the demo reaches no real one), which answers 200; the
    buyer's 205 comes back through it. The connection is archived afterwards: its server lives only during
    the load."""
    platform_server = addon_test_helper("o2c_einvoice", "afnor_server").LocalPlatform()
    try:
        company = base.company
        platform_server.register(company.partner_id._o2c_einvoice_siren(), company.name)
        buyer = invoice.commercial_partner_id
        platform_server.register(buyer.company_registry, buyer.name)
        platform = env["o2c.einvoice.platform"].create(
            dict(platform_server.connection_values(), name="Plateforme agréée (locale, démo)", company_id=company.id)
        )
        invoice.action_post()
        invoice.write({"o2c_pa_next_try": fields.Datetime.now() - timedelta(seconds=1)})
        env["account.move"].with_context(force_report_rendering=True)._cron_o2c_pa_send()
        platform_server.add_status(
            invoice.name, company.partner_id._o2c_einvoice_siren(), buyer.company_registry, "205",
            invoice_date=invoice.invoice_date,
        )  # fmt: skip
        platform._o2c_fetch_statuses()
        platform.active = False
    finally:
        platform_server.stop()


def load(env, base):
    """Create the story's customers and bring each to its step of the cycle."""
    company = base.company
    manager = demo_user(env, *CREDIT_MANAGER, ["o2c_credit.group_o2c_credit_manager"])
    seller = demo_user(env, *SALESPERSON, ["sales_team.group_sale_salesman"])
    accountant = demo_user(env, *ACCOUNTANT, ["o2c_dunning.group_o2c_dunning_manager"])
    sales_admin = demo_user(env, *SALES_ADMIN, ["o2c_disputes.group_o2c_dispute_manager"])
    customers = _customers(env)
    ladder = company.o2c_dunning_ladder_id.level_ids.sorted(lambda level: (level.sequence, level.day_offset))
    first_reminder = ladder.filtered(lambda level: level.day_offset == 1)[:1]
    ref = env.ref

    _deposit(env, base, _credit_steps(env, base, customers, manager, seller))
    _invoice(env, base, customers["courteous"], 26, 1850)  # due in 4 days: the courteous reminder
    _invoice(env, base, customers["first_reminder"], 36, 2640)  # 6 days overdue: the first reminder

    # Reminded, then contested by the customer on the portal: 207 and no more reminders while the case is open.
    contested = _invoice(env, base, customers["contested"], 40, 3120)
    _invoice(env, base, customers["contested"], 5, 980)
    _reminded(env, base, contested, first_reminder, 9, accountant)
    contact = env["res.partner"].create(
        {"name": "Marc Giraud", "parent_id": customers["contested"].id, "email": "marc.giraud@croix-rousse.example.fr"}
    )
    portal_user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "partner_id": contact.id,
                "groups_id": [Command.set([ref("base.group_portal").id])],
            }
        )
    )
    contested.message_subscribe(portal_user.partner_id.ids)
    env["o2c.dispute"].with_user(portal_user)._o2c_portal_submit(
        contested.with_user(portal_user),
        ref("o2c_disputes.o2c_dispute_reason_quantity"),
        contested.amount_residual,  # the whole invoice: an amount only partly contested is still reminded
        "Les chaises livrées ne correspondent pas à la commande (coloris noir au lieu de chêne) : nous attendons "
        "l'échange avant de régler.",
    )

    # Reminded, contested, the case rejected: today's run resumes the dunning at the next level.
    resumed = _invoice(env, base, customers["resumed"], 50, 4280)
    _reminded(env, base, resumed, first_reminder, 19, accountant)
    dispute = (
        env["o2c.dispute"]
        .with_user(sales_admin)
        .create(
            {
                "partner_id": customers["resumed"].id,
                "invoice_ids": [Command.set(resumed.ids)],
                "amount_disputed": resumed.currency_id.round(resumed.amount_residual * 0.2),
                "reason_id": ref("o2c_disputes.o2c_dispute_reason_service_quality").id,
                "date_open": base.today - timedelta(days=17),
                "user_id": sales_admin.id,
                "description": "Le client juge la pose trop lente et retient 20 % de la facture.",
            }
        )
    )
    dispute.with_user(sales_admin)._o2c_resolve(
        "rejected",
        root_cause=ref("o2c_disputes.o2c_dispute_root_cause_none"),
        note="Délai de pose contractuel respecté : réclamation rejetée, relances reprises.",
    )
    dispute.date_resolved = base.today - timedelta(days=3)

    # Reminded, then a promise to pay in a week from the customer's account on the portal.
    promised = _invoice(env, base, customers["promise"], 40, 2975)
    _reminded(env, base, promised, first_reminder, 9, accountant)
    payer = env["res.partner"].create(
        {"name": "Sylvie Perrin", "parent_id": customers["promise"].id, "email": "s.perrin@rhone-express.example.fr"}
    )
    # A week from the real day: the portal refuses a date in the past (the tests' demo date is a fixed one).
    promise_date = fields.Date.context_today(promised) + timedelta(days=7)
    env["o2c.dunning.portal"]._o2c_portal_promise(
        customers["promise"], company, promised, promise_date, promised.amount_residual, payer
    )

    # Part paid online by card, the rest still due.
    partial = _invoice(env, base, customers["partial"], 20, 3400)
    _pay(env, base, partial, 2, 0.4, f"Paiement en ligne {partial.name}")

    # A services invoice paid in part online; the rest arrives in today's CAMT.053 statement, which the cash
    # matching reconciles by itself: paid, and 212 (VAT on services is due on receipt).
    cashed = _invoice(env, base, customers["cashed"], 25, 2200, service=True)
    _pay(env, base, cashed, 6, 0.3, f"Paiement en ligne {cashed.name}")
    base.bank_lines.append(
        {
            "amount": cashed.amount_residual,
            "remittance": f"VIR SEPA FACTURE {cashed.name}",
            "partner": cashed.partner_id,
        }
    )
    # A real company has sent its invoices: the story's and those of every customer with a portal account have
    # their Factur-X issued, so that the portal shows the invoice, not a "pro forma" (Odoo's preview of an
    # invoice never printed or sent).
    portal_customers = env["res.users"].search([("share", "=", True)]).partner_id.commercial_partner_id
    sent = env["account.move"].search(
        [
            ("commercial_partner_id", "in", [*portal_customers.ids, *(c.id for c in customers.values())]),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
            ("company_id", "=", company.id),
        ]
    )
    sent.with_context(force_report_rendering=True)._o2c_einvoice_generate(raise_errors=False)
    sent.is_move_sent = True
    base.story = customers
