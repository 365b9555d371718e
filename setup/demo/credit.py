"""Demo credit control: customers within and over their limit, overdue, on manual hold, insured,
with a temporary limit, and orders waiting for a credit approval (one approved, one rejected)."""

from datetime import timedelta

from odoo import Command

from .base import SALESPERSON, demo_user

# Who decides on credit (README.md's walkthrough logs in as her; password: the login).
CREDIT_MANAGER = ("claire.credit", "Claire Crédit")


def _quotation(env, customer, product, amount, salesperson):
    return env["sale.order"].create(
        {
            "partner_id": customer.id,
            "user_id": salesperson.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": round(amount, -1)})
            ],
        }
    )


def load(env, base):
    """Add the credit demo content to the base company."""
    company = base.company
    env = env(context=dict(env.context, tracking_disable=True))
    company.write({"account_use_credit_limit": True, "o2c_credit_hold_orders": True})
    rng = base.rng
    manager = demo_user(env, *CREDIT_MANAGER, ["o2c_credit.group_o2c_credit_manager"])
    seller = demo_user(env, *SALESPERSON, ["sales_team.group_sale_salesman"])
    company.o2c_credit_manager_id = manager
    customers = base.customers.with_company(company)
    exposure = {customer: customer.o2c_exposure_total for customer in customers}
    with_exposure = customers.filtered(lambda customer: exposure[customer] > 1000).sorted(
        lambda customer: (-exposure[customer], customer.id)
    )
    overdue = customers.filtered(lambda customer: customer.o2c_exposure_overdue > 0)
    product = base.products_goods[:1]

    # Every customer gets a limit: comfortable for most, tight for a few (over or near their limit).
    over_limit = with_exposure[:3]
    near_limit = with_exposure[3:5]
    for customer in customers:
        if customer in over_limit:
            limit = exposure[customer] * 0.8
        elif customer in near_limit:
            limit = exposure[customer] / 0.93
        else:
            limit = max(exposure[customer] * 2, 5000) + rng.randrange(0, 20000)
        customer.credit_limit = round(limit, -2)

    # Manual hold (receivership) and a blocked quotation.
    on_hold = (overdue - over_limit - near_limit)[:1] or customers[-1:]
    on_hold.write({"o2c_credit_hold": True, "o2c_credit_hold_reason": "Redressement judiciaire en cours"})
    _quotation(env, on_hold, product, 1800, seller).with_user(seller).action_confirm()

    # Credit insurance: two insurers, one policy expiring within 30 days.
    insurers = env["res.partner"].create(
        [{"name": "Allianz Trade", "is_company": True}, {"name": "Coface", "is_company": True}]
    )
    insured = (customers - over_limit - on_hold)[:3]
    for index, customer in enumerate(insured):
        customer.write(
            {
                "o2c_insurer_id": insurers[index % 2].id,
                "o2c_insured_amount": round(customer.credit_limit * 0.7, -2),
                "o2c_insurance_policy": f"POL-{2026 + index}-{rng.randrange(10000, 99999)}",
                "o2c_insurance_expiry": base.today + timedelta(days=20 if index == 0 else 200 + 30 * index),
            }
        )
    # Reviews due for the customers late on their payments.
    for customer in (overdue - on_hold)[:3]:
        customer.o2c_credit_review_date = base.today - timedelta(days=rng.randrange(0, 10))

    # A temporary limit raised for the season.
    seasonal = (customers - over_limit - on_hold - insured)[:1]
    if seasonal:
        env["o2c.credit.limit.temporary"].with_user(manager).create(
            {
                "partner_id": seasonal.id,
                "amount": round(seasonal.credit_limit * 1.5, -2),
                "date_end": base.today + timedelta(days=45),
                "reason": "Commandes de fin d'année",
            }
        )

    # Orders over the limit wait for approval; one was approved, one rejected.
    held = env["sale.order"]
    for customer in over_limit:
        order = _quotation(env, customer, product, 1000 + rng.randrange(0, 4000), seller)
        order.with_user(seller).action_confirm()
        held |= order
    waiting = held.filtered(lambda order: order.o2c_credit_state == "hold")
    if len(waiting) >= 3:
        approved, rejected = waiting[0], waiting[1]
        approver = manager if approved.o2c_credit_approval_id.approval_level == 1 else env.ref("base.user_admin")
        approved.o2c_credit_approval_id.with_user(approver)._o2c_approve("Client historique, saison haute.")
        approver = manager if rejected.o2c_credit_approval_id.approval_level == 1 else env.ref("base.user_admin")
        rejected.o2c_credit_approval_id.with_user(approver)._o2c_reject("Trop d'impayés : demander un acompte.")

    env["res.partner"]._cron_o2c_credit_alerts()
