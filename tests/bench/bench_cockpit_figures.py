"""Benchmark of the order-to-cash figures and the health check (o2c_cockpit), beside OCA's Aged Partner Balance.

One database with o2c_cockpit and OCA account_financial_report 18.0; first 200 customers and 2,000 invoices,
then 2,000 customers and 20,000 invoices (cloned in bulk SQL from one posted 1,000.00 invoice, issued from today
back to 360 days ago, due 30 days after issue); one invoice in five is paid 1,000.00 by a journal entry dated
40 days after its issue (or today), reconciled through Odoo; then the tables are analysed, as autovacuum does
after a bulk load. Measures the refresh of the dashboard's figures (12 months of figures, level effects, weekly
cash-in forecast: ``o2c.cockpit.figure._o2c_refresh``), one health check (``action_measure``) and, on the same
data, OCA's Aged Partner Balance at today (``_get_report_values``, the data its PDF and xlsx print): median of
3 runs, SQL queries per run, and OCA's time over the figures'. The query counts must not grow with the
customers, and each of our runs must stay within one second.

    .venv/bin/python tests/bench/bench_cockpit_figures.py --json OUT.json
    O2C_BENCH_COCKPIT_FIGURES_DB=name        database to (re)create (default o2c_bench_cockpit_figures)
    O2C_BENCH_COCKPIT_FIGURES_TEMPLATE=name  copy this database (both addons installed, no data) instead of
                                             installing them
"""

import os
import subprocess
import sys
from datetime import timedelta

from benchlib import (
    arguments,
    clone_invoices,
    count_queries,
    environment,
    median_ms,
    new_database,
    oca_aged_partner_balance,
    posted_service_invoice,
    table,
    timer,
    vacuum,
    write_results,
)

from odoo import Command, fields

DB = os.environ.get("O2C_BENCH_COCKPIT_FIGURES_DB", "o2c_bench_cockpit_figures")
TEMPLATE = os.environ.get("O2C_BENCH_COCKPIT_FIGURES_TEMPLATE")
MODULES = ["o2c_cockpit", "account_financial_report"]
STEPS = ((200, 2000), (2000, 20000))  # (customers, invoices)
PAID_EVERY = 5
RUNS = 3
LIMIT_MS = 1000


def _setup(env):
    """Customers and one posted template invoice; returns (partner ids, template move id)."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    partners = env["res.partner"].create(
        [
            {"name": f"Bench Customer {i:04d}", "is_company": True, "customer_rank": 1, "city": "Lyon",
             "country_id": env.ref("base.fr").id}
            for i in range(STEPS[-1][0])
        ]
    )  # fmt: skip
    template = posted_service_invoice(env, partners[0])
    env.cr.commit()
    return partners.ids, template.id


def _clone(env, template_id, partner_ids, first, last, today):
    partner = "(%(partners)s)[1 + g %% %(count)s]"
    issued = "%(today)s::date - ((g * 7) %% 360)"
    clone_invoices(
        env,
        template_id,
        first,
        last,
        {
            "partner_id": partner,
            "commercial_partner_id": partner,
            "invoice_date": issued,
            "date": issued,
            "invoice_date_due": f"{issued} + 30",
        },
        {"partners": partner_ids, "count": len(partner_ids), "today": today},
    )


def _pay(env, first, last, today):
    """Pay in full one cloned invoice in five, 40 days after its issue: one entry, reconciled by Odoo."""
    env.cr.execute(
        """
        SELECT aml.id, aml.partner_id, aml.account_id, m.date
          FROM account_move m
          JOIN account_move_line aml ON aml.move_id = m.id
          JOIN account_account account ON account.id = aml.account_id
         WHERE m.sequence_prefix = 'BENCH/' AND m.sequence_number >= %s AND m.sequence_number < %s
           AND account.account_type = 'asset_receivable' AND m.sequence_number %% %s = 0
        """,
        [first, last, PAID_EVERY],
    )
    rows = env.cr.fetchall()
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
    by_date = {}
    for line_id, partner_id, account_id, issued in rows:
        by_date.setdefault(min(issued + timedelta(days=40), today), []).append((line_id, partner_id, account_id))
    for when, items in by_date.items():
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": when,
                "line_ids": [
                    Command.create({"account_id": account_id, "partner_id": partner_id, "credit": 1000.0})
                    for _line, partner_id, account_id in items
                ]
                + [Command.create({"account_id": journal.default_account_id.id, "debit": 1000.0 * len(items)})],
            }
        )
        move.action_post()
        credits = move.line_ids.filtered(lambda line: line.credit).sorted("id")
        invoices = env["account.move.line"].browse([line_id for line_id, _p, _a in items])
        env["account.move.line"]._reconcile_plan(
            [credit + invoice for credit, invoice in zip(credits, invoices, strict=True)]
        )
    env.cr.commit()


def _measure(env, action):
    samples, queries = [], 0
    for _run in range(RUNS):
        env.invalidate_all()
        with count_queries(env) as counter, timer() as clock:
            action()
        samples.append(clock.seconds)
        queries = counter.count
        env.cr.commit()
    return median_ms(samples), queries


def main():
    args = arguments(__doc__.splitlines()[0])
    if TEMPLATE:
        subprocess.run(["dropdb", "--if-exists", "--force", DB], check=True)
        subprocess.run(["createdb", "-T", TEMPLATE, DB], check=True)
    else:
        new_database(DB, MODULES)
    rows = []
    with environment(DB) as env:
        today = fields.Date.context_today(env.user)
        partner_ids, template_id = _setup(env)
        done = 1
        company = env.company
        for customers, invoices in STEPS:
            _clone(env, template_id, partner_ids[:customers], done, invoices + 1, today)
            _pay(env, done, invoices + 1, today)
            done = invoices + 1
            vacuum(DB, "account_move", "account_move_line", "account_partial_reconcile", "res_partner")
            figures_ms, figures_queries = _measure(env, lambda: env["o2c.cockpit.figure"]._o2c_refresh(company))
            check = env["o2c.cockpit.health.check"].create({"company_id": company.id, "q_credit_insurance": "no"})
            check_ms, check_queries = _measure(env, check.action_measure)
            oca_ms, oca_queries, _total = oca_aged_partner_balance(env, company, today, RUNS)
            stored = env["o2c.cockpit.figure"].search([("company_id", "=", company.id)], order="month desc", limit=1)
            rows.append(
                {
                    "customers": customers,
                    "invoices": invoices,
                    "figures_ms": figures_ms,
                    "figures_queries": figures_queries,
                    "health_check_ms": check_ms,
                    "health_check_queries": check_queries,
                    "oca_aged_balance_ms": oca_ms,
                    "oca_aged_balance_queries": oca_queries,
                    "oca_over_figures": round(oca_ms / figures_ms, 1) if figures_ms else None,
                    "dso_this_month": round(stored.dso, 1),
                    "findings": len(check.finding_ids),
                }
            )
            print(
                f"{customers} customers, {invoices} invoices: figures {figures_ms} ms ({figures_queries} queries), "
                f"health check {check_ms} ms ({check_queries}), OCA aged balance {oca_ms} ms ({oca_queries})"
            )
    print(
        f"\nDashboard figures and health check (o2c_cockpit) beside OCA account_financial_report's Aged Partner "
        f"Balance at {today} on the same data, median of {RUNS} runs:"
    )
    table([[r[key] for key in rows[0]] for r in rows], list(rows[0]))
    write_results(args.json, "cockpit_figures", rows, limit_ms=LIMIT_MS)
    problems = []
    if len({r["figures_queries"] for r in rows}) > 1 or len({r["health_check_queries"] for r in rows}) > 1:
        problems.append("the query count grows with the number of customers")
    if any(r["figures_ms"] > LIMIT_MS or r["health_check_ms"] > LIMIT_MS for r in rows):
        problems.append(f"a run takes more than {LIMIT_MS} ms")
    if problems:
        sys.exit("bench cockpit_figures: " + "; ".join(problems))


if __name__ == "__main__":
    main()
