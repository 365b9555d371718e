"""Load the demo company of the plan into an Odoo environment (the ORM, in batches)."""

import base64
import importlib.util
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .plan import GOODS, SERVICES, TERM_DAYS, DemoPlan, head_office_siret, vat_from_siren

# Who sells (README.md's walkthrough logs in as her; password: the login): the orders and invoices are hers.
SALESPERSON = ("sophie.vente", "Sophie Vente")


@dataclass
class DemoBase:
    """What the base loader created; each area's `load(env, base)` builds on it."""

    company: object
    customers: object
    products_goods: object
    products_services: object
    orders: object
    invoices: object
    rng: object
    today: date
    plan: DemoPlan
    bank_lines: list = field(default_factory=list)  # more lines for the cash matching's statement (the story's)
    story: dict = field(default_factory=dict)  # step of the cycle -> its customer (setup/demo/story.py)
    salesperson: object = None  # the user SALESPERSON: the orders' salesperson, and so the invoices'


def addon_test_helper(addon, name):
    """The module `name` of the addon's tests/ folder, read without its package: importing the tests package
    would import Odoo's test framework, which logs an error outside test mode."""
    import odoo.addons

    for root in odoo.addons.__path__:
        path = Path(root, addon, "tests", f"{name}.py")
        if path.exists():
            spec = importlib.util.spec_from_file_location(f"o2c_demo_{addon}_{name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise RuntimeError(f"o2c demo: {addon}/tests/{name}.py is not on the addons path")


def demo_user(env, login, name, group_xmlids):
    """The internal user ``login`` of the demo company (created once, with the groups ``group_xmlids``, the
    login as password): the demo's cases and reminders belong to people, not to OdooBot, who can log in."""
    groups = [env.ref(xmlid).id for xmlid in group_xmlids]
    user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
    if user:
        user.groups_id = [(4, group_id) for group_id in groups]
        return user
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": login,
                "password": login,
                "name": name,
                "email": f"{login}@example.com",
                "lang": env.ref("base.user_admin").lang,
                "groups_id": [(6, 0, [env.ref("base.group_user").id, *groups])],
            }
        )
    )


def _setup_company(env, plan):
    company = env.company
    siren = plan.company_siren
    vat = vat_from_siren(siren)
    company.write(
        {
            "name": "Mobilier Durand & Fils SAS",
            "street": "12 rue de la Charité",
            "zip": "69002",
            "city": "Lyon",
            "country_id": env.ref("base.fr").id,
            "vat": vat,
            "company_registry": siren,
            "email": "compta@mobilier-durand.example.fr",
            "phone": "+33 4 78 00 12 34",
            "website": "https://mobilier-durand.example.fr",
            "report_footer": f"SAS au capital de 150 000 € – RCS Lyon {siren} – TVA intracommunautaire {vat}",
            "invoice_terms": (
                # The rate of the dunning settings (10 points over the ECB rate, floored at three times the
                # legal rate), as the formal notice and the charges invoice state it.
                "Pénalités de retard : taux de refinancement de la BCE majoré de 10 points, sans pouvoir être "
                "inférieur à trois fois le taux d'intérêt légal (art. L441-10 du Code de commerce), clients "
                "professionnels. Indemnité forfaitaire pour frais de recouvrement : 40 € (art. D441-5 du Code de "
                "commerce). Pas d'escompte pour paiement anticipé."
            ),
        }
    )
    # The company's own logo on the login page, the portal and every PDF (not Odoo's "Your logo").
    company.logo = base64.b64encode(Path(__file__).with_name("logo.png").read_bytes())
    # A B2B company: customers get a portal account when invited, nobody signs up by himself.
    env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2b")
    if "siret" in company._fields:
        company.siret = head_office_siret(plan.company_siren)
    bank = env["res.bank"].create({"name": "Société Générale", "bic": "SOGEFRPP"})
    account = env["res.partner.bank"].create(
        {
            "acc_number": plan.company_iban,
            "bank_id": bank.id,
            "partner_id": company.partner_id.id,
            "allow_out_payment": True,
        }
    )
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    journal.bank_account_id = account
    return company


def _create_customers(env, plan):
    france = env.ref("base.fr")
    has_siret = "siret" in env["res.partner"]._fields
    terms = {xmlid: env.ref(xmlid) for xmlid in TERM_DAYS}
    langs = set(env["res.lang"].search([]).mapped("code"))
    vals_list = []
    for customer in plan.customers:
        vals = {
            "name": customer.name,
            "is_company": True,
            "street": customer.street,
            "zip": customer.zip,
            "city": customer.city,
            "country_id": france.id,
            "vat": customer.vat,
            "email": customer.email,
            "phone": customer.phone,
            "company_registry": customer.siren,
            "lang": customer.lang if customer.lang in langs else "en_US",
            "property_payment_term_id": terms[customer.payment_term].id,
            "child_ids": [
                (
                    0,
                    0,
                    {
                        "type": "invoice",
                        "name": customer.contact_name,
                        "email": customer.contact_email,
                        "function": "Comptabilité fournisseurs",
                    },
                )
            ],
        }
        if has_siret:
            vals["siret"] = head_office_siret(customer.siren)
        vals_list.append(vals)
    return env["res.partner"].with_context(no_vat_validation=True).create(vals_list)


def _create_products(env, catalogue, service):
    return env["product.product"].create(
        [
            {
                "name": name,
                "list_price": price,
                "type": "service" if service else "consu",
                "invoice_policy": "order",
                "default_code": f"{'SRV' if service else 'MOB'}-{index + 1:03d}",
            }
            for index, (name, price) in enumerate(catalogue)
        ]
    )


def _register_payments(env, plan, invoices):
    """Pay each invoice as its plan says, one payment wizard per payment date and share."""
    groups = defaultdict(lambda: env["account.move"])
    for order, invoice in zip(plan.orders, invoices, strict=True):
        if order.paid_share <= 0:
            continue
        pay_date = invoice.invoice_date_due + timedelta(days=order.payment_delay)
        if pay_date > plan.today:
            continue
        groups[(pay_date, order.paid_share)] |= invoice
    for (pay_date, share), moves in sorted(groups.items()):
        if share >= 1:
            env["account.payment.register"].with_context(active_model="account.move", active_ids=moves.ids).create(
                {"payment_date": pay_date, "group_payment": False}
            )._create_payments()
            continue
        for move in moves:
            env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
                {
                    "payment_date": pay_date,
                    "amount": round(move.amount_total * share, 2),
                    "payment_difference_handling": "open",
                }
            )._create_payments()


def load(env, plan):
    """Create the company, customers, products, confirmed orders, posted invoices and payments."""
    company = _setup_company(env, plan)
    customers = _create_customers(env, plan)
    goods = _create_products(env, GOODS, service=False)
    services = _create_products(env, SERVICES, service=True)
    seller = demo_user(env, *SALESPERSON, ["sales_team.group_sale_salesman"])
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customers[order.customer].id,
                "user_id": seller.id,
                "date_order": order.order_date,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": (services if is_service else goods)[product].id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                        },
                    )
                    for is_service, product, qty, price in order.lines
                ],
            }
            for order in plan.orders
        ]
    )
    orders.action_confirm()
    by_date = defaultdict(lambda: env["sale.order"])
    for order, order_plan in zip(orders, plan.orders, strict=True):
        by_date[order_plan.order_date] |= order
    invoices = orders._create_invoices(grouped=True)
    invoice_of = {invoice.invoice_origin: invoice for invoice in invoices}
    for order_date, dated_orders in by_date.items():
        dated_orders.date_order = order_date
        env["account.move"].concat(
            *(invoice_of[name] for name in dated_orders.mapped("name"))
        ).invoice_date = order_date
    invoices = env["account.move"].concat(*(invoice_of[order.name] for order in orders))
    invoices.action_post()
    _register_payments(env, plan, invoices)
    return DemoBase(
        company=company,
        customers=customers,
        products_goods=goods,
        products_services=services,
        orders=orders,
        invoices=invoices,
        rng=random.Random(plan.seed + 1),
        today=plan.today,
        plan=plan,
        salesperson=seller,
    )
