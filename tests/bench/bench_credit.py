"""Benchmark of the credit check at order confirmation (o2c_credit) against Odoo's warning and OCA.

One database with o2c_credit and OCA sale_financial_risk 18.0. One customer with 200 confirmed
orders not invoiced, 100 invoices paid through real payments (payment history) and a growing number
of open posted invoices (500, 5,000, 50,000), cloned in bulk SQL from one posted invoice (same
amount, due dates spread from 30 days ahead to 60 days late), then vacuumed as autovacuum would
after such a load. On the same draft order, measured with a cold ORM cache on each run, taking
turns: our rule evaluation (lock, exposure, behaviour, five rules), Odoo's native
``partner_credit_warning`` compute and OCA's ``evaluate_risk_message`` (its confirmation check).
Median of 41 runs (after one warm-up turn) and SQL queries of one run.

    .venv/bin/python tests/bench/bench_credit.py --json OUT.json
"""

from datetime import timedelta

from benchlib import (
    arguments,
    clone_invoices,
    count_queries,
    environment,
    median_ms,
    new_database,
    table,
    timer,
    vacuum,
    write_results,
)

from odoo import Command, fields

DB = "o2c_bench_credit"
SIZES = (500, 5000, 50000)
RUNS = 41


def _setup(env):
    """The customer, its orders and paid history, one open template invoice; returns ids."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    company = env.company
    company.write({"o2c_credit_hold_orders": False, "allow_overrisk_sale_confirmation": True})
    customer = env["res.partner"].create(
        {
            "name": "Bench Big Customer",
            "is_company": True,
            "risk_invoice_draft_include": True,
            "risk_invoice_open_include": True,
            "risk_invoice_unpaid_include": True,
            "risk_sale_order_include": True,
        }
    )
    customer.credit_limit = 10**9
    product = env["product.product"].create({"name": "Bench product", "list_price": 100, "taxes_id": []})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2, "price_unit": 50 + i}),
                    Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10}),
                ],
            }
            for i in range(200)
        ]
    )
    orders.action_confirm()
    today = fields.Date.context_today(env.user)
    paid = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=200 - i),
                "invoice_date_due": today - timedelta(days=170 - i),
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 500, "tax_ids": []})],
            }
            for i in range(100)
        ]
    )
    paid.action_post()
    for index, invoice in enumerate(paid):
        env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": invoice.invoice_date_due + timedelta(days=index % 20)}
        )._create_payments()
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": today - timedelta(days=30),
            "invoice_date_due": today,
            "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 1000, "tax_ids": []})],
        }
    )
    template.action_post()
    check = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3, "price_unit": 400})],
        }
    )
    company.write({"o2c_credit_hold_orders": True, "allow_overrisk_sale_confirmation": False})
    env.flush_all()
    return customer.id, template.id, check.id


def _clone(env, template_id, first, last):
    """Clone the open template invoice as invoices number first..last-1 (posted, unpaid)."""
    clone_invoices(
        env,
        template_id,
        first,
        last,
        {
            "invoice_date_due": "%(today)s::date + 30 - (g %% 91)",
            "invoice_date": "%(today)s::date - (g %% 91)",
            "date": "%(today)s::date - (g %% 91)",
        },
        {"today": fields.Date.context_today(env.user)},
    )


def _measure(env, checks):
    """Return {name: (median ms over RUNS cold-cache runs, queries of one run, last result)} of ``checks``.

    The checks take turns, run after run, so that a slower moment of the machine weighs on all of them.
    """
    samples = {name: [] for name in checks}
    results = {}
    for _index in range(RUNS + 1):
        for name, run in checks.items():
            env.invalidate_all()
            with timer() as clock:
                results[name] = run()
            if _index:  # the first turn warms the caches of the Python code, not measured
                samples[name].append(clock.seconds)
    measured = {}
    for name, run in checks.items():
        env.invalidate_all()
        with count_queries(env) as queries:
            run()
        measured[name] = (median_ms(samples[name]), queries.count, results[name])
    return measured


def main():
    args = arguments(__doc__.splitlines()[0])
    new_database(DB, ["o2c_credit", "sale_financial_risk"])
    with environment(DB) as env:
        customer_id, template_id, check_id = _setup(env)
    rows = []
    done = 0
    for size in SIZES:
        with environment(DB) as env:
            _clone(env, template_id, done, size)
            done = size
        vacuum(DB, "account_move", "account_move_line")
        with environment(DB) as env:
            order = env["sale.order"].browse(check_id)
            partner = env["res.partner"].browse(customer_id)

            def ours(order=order):
                decision, facts = order._o2c_credit_evaluate()[order]
                return f"{decision.outcome}, exposure {facts.exposure.total:,.0f}"

            def native(order=order):
                order._compute_partner_credit_warning()
                return "warning" if order.partner_credit_warning else "no warning"

            def oca(order=order, partner=partner):
                return order.evaluate_risk_message(partner.commercial_partner_id).strip() or "within risk"

            checks = {
                "o2c_credit rule evaluation": ours,
                "Odoo partner_credit_warning": native,
                "OCA sale_financial_risk check": oca,
            }
            for name, (median, queries, result) in _measure(env, checks).items():
                rows.append(
                    {"open_invoices": size, "check": name, "median_ms": median, "queries": queries, "result": result}
                )
            env.cr.rollback()
    table(
        [(r["open_invoices"], r["check"], r["median_ms"], r["queries"], r["result"]) for r in rows],
        ["open invoices", "check (200 open orders)", "median ms", "queries", "result"],
    )
    write_results(args.json, "credit", rows, runs=RUNS)


if __name__ == "__main__":
    main()
