"""Benchmark of the aged balance (o2c_cockpit) against OCA account_financial_report 18.0's Aged Partner Balance.

One database with both addons; first 200 customers and 2,000 invoices, then 2,000 customers and 20,000
invoices (cloned in bulk SQL from one posted 1,000.00 invoice, issued from today back to 240 days ago,
due 30 days after issue). One invoice in twenty is paid 400.00 before the aged balance's date (60 days
ago) and one in twenty 600.00 after it, by journal entries reconciled through Odoo. Measures, at that
past date, our aged balance (compute of every item, its columns, the disputed part; median of 3 runs,
SQL queries) and OCA's report values (``_get_report_values``, the data its PDF and xlsx print) side by
side with their ratio, and compares both totals with the receivable accounts' balance at that date. Fails
when the totals differ, when our query count grows with the customers or when a run takes over 1 s. Also
times the master-data worklist over all customers.

    .venv/bin/python tests/bench/bench_cockpit.py --json OUT.json
    O2C_BENCH_COCKPIT_DB=name        database to (re)create (default o2c_bench_cockpit)
    O2C_BENCH_COCKPIT_TEMPLATE=name  copy this database (both addons installed, no data) instead of
                                     installing them, and keep such a copy when it does not exist yet
"""

import os
import subprocess
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

DB = os.environ.get("O2C_BENCH_COCKPIT_DB", "o2c_bench_cockpit")
TEMPLATE = os.environ.get("O2C_BENCH_COCKPIT_TEMPLATE")
MODULES = ["o2c_cockpit", "account_financial_report"]
STEPS = ((200, 2000), (2000, 20000))  # (customers, invoices)
PAID_EVERY = 20
PAST_DAYS = 60
RUNS = 3
LIMIT_MS = 1000


def _setup(env):
    """Customers and one posted template invoice; returns (company, partner ids, template move id)."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {i:04d}",
                "is_company": True,
                "customer_rank": 1,
                "email": f"c{i}@bench.example.com",
                "street": f"{i} rue du Banc",
                "zip": "69003",
                "city": "Lyon",
                "country_id": env.ref("base.fr").id,
            }
            for i in range(STEPS[-1][0])
        ]
    )
    template = posted_service_invoice(env, partners[0])
    env.flush_all()
    return env.company, partners.ids, template.id


def _clone(env, template_id, partner_ids, first, last, today):
    """Clone the template as invoices first..last-1 over ``partner_ids``, issued up to 240 days ago."""
    partner = "(%(partners)s)[1 + g %% %(count)s]"
    issued = "%(today)s::date - ((g * 7) %% 240)"
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
            "o2c_dunning_next_date": "NULL",
        },
        {"partners": partner_ids, "count": len(partner_ids), "today": today},
    )


def _pay(env, first, last, past):
    """Pay 400.00 before ``past`` on one cloned invoice in twenty and 600.00 after it on another: one journal
    entry each way, its receivable lines reconciled with the invoices' in one reconciliation plan."""
    env.cr.execute(
        """
        SELECT m.sequence_number, aml.id, aml.partner_id, aml.account_id, m.date
          FROM account_move m
          JOIN account_move_line aml ON aml.move_id = m.id
          JOIN account_account account ON account.id = aml.account_id
         WHERE m.sequence_prefix = 'BENCH/' AND m.sequence_number >= %s AND m.sequence_number < %s
           AND account.account_type = 'asset_receivable' AND m.sequence_number %% %s IN (0, 1)
        """,
        [first, last, PAID_EVERY],
    )
    rows = env.cr.fetchall()
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
    for when, share, amount in ((past - timedelta(days=5), 0, 400.0), (past + timedelta(days=20), 1, 600.0)):
        items = [row for row in rows if row[0] % PAID_EVERY == share and row[4] <= when]
        if not items:
            continue
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": when,
                "line_ids": [
                    Command.create(
                        {"account_id": account_id, "partner_id": partner_id, "credit": amount, "name": "Payment"}
                    )
                    for _number, _line, partner_id, account_id, _date in items
                ]
                + [
                    Command.create(
                        {
                            "account_id": journal.default_account_id.id,
                            "debit": amount * len(items),
                            "name": "Bank",
                        }
                    )
                ],
            }
        )
        move.action_post()
        credits = move.line_ids.filtered(lambda line: line.credit).sorted("id")
        invoices = env["account.move.line"].browse([row[1] for row in items])
        env["account.move.line"]._reconcile_plan(
            [credit + invoice for credit, invoice in zip(credits, invoices, strict=True)]
        )
    env.cr.commit()


def _receivable_balance(env, company, date_at):
    env.flush_all()
    env.cr.execute(
        """
        SELECT COALESCE(SUM(aml.balance), 0)
          FROM account_move_line aml JOIN account_account account ON account.id = aml.account_id
         WHERE aml.company_id = %s AND aml.parent_state = 'posted' AND aml.date <= %s
           AND account.account_type = 'asset_receivable'
        """,
        [company.id, date_at],
    )
    return round(float(env.cr.fetchone()[0]), 2)


def _ours(env, company, date_at):
    samples, queries, total, items = [], 0, 0.0, 0
    for _run in range(RUNS):
        with count_queries(env) as counter, timer() as clock:
            balance = env["o2c.cockpit.aged.balance"].create({"date_at": date_at, "company_id": company.id})
            balance._o2c_compute()
            totals = balance._o2c_totals()
        samples.append(clock.seconds)
        queries = counter.count
        total = round(totals["amount_residual"], 2)
        items = sum(balance.customer_ids.mapped("item_count"))
        env.cr.commit()
    return median_ms(samples), queries, total, items


def _worklist(env):
    with count_queries(env) as counter, timer() as clock:
        rows = env["o2c.cockpit.customer.quality"]._o2c_build(env.company)
    env.cr.commit()
    return round(clock.seconds * 1000, 1), counter.count, len(rows)


def _database():
    """The run database: a copy of TEMPLATE when there is one, else a fresh install (kept as TEMPLATE)."""
    listed = subprocess.run(["psql", "-lqt"], capture_output=True, text=True, check=True).stdout
    names = {line.split("|")[0].strip() for line in listed.splitlines()}
    if TEMPLATE and TEMPLATE in names:
        subprocess.run(["dropdb", "--if-exists", "--force", DB], check=True)
        subprocess.run(["createdb", "-T", TEMPLATE, DB], check=True)
        print(f"bench_cockpit: {DB} copied from {TEMPLATE}")
        return
    new_database(DB, MODULES)
    if TEMPLATE:
        subprocess.run(["createdb", "-T", DB, TEMPLATE], check=True)


def main():
    args = arguments(__doc__.splitlines()[0])
    _database()
    rows = []
    with environment(DB) as env:
        company, partner_ids, template_id = _setup(env)
        env.cr.commit()
        today = fields.Date.context_today(env.user)
        past = today - timedelta(days=PAST_DAYS)
        made = 1
        for customers, invoices in STEPS:
            _clone(env, template_id, partner_ids[:customers], made, invoices, today)
            env.cr.commit()
            _pay(env, made, invoices, past)
            made = invoices
            # as autovacuum does after a bulk load: the planner's statistics follow the new rows
            vacuum(DB, "account_move", "account_move_line", "account_partial_reconcile", "res_partner")
            reference = _receivable_balance(env, company, past)
            ms, queries, total, items = _ours(env, company, past)
            print(f"o2c_cockpit {customers} customers, {invoices} invoices: {ms} ms, {queries} queries, total {total}")
            oca_ms, oca_queries, oca_total = oca_aged_partner_balance(env, company, past, RUNS)
            print(
                f"OCA {customers} customers, {invoices} invoices: {oca_ms} ms, {oca_queries} queries, total {oca_total}"
            )
            ratio = round(oca_ms / ms, 1) if ms else None
            rows.append(
                [customers, invoices, items, ms, queries, oca_ms, oca_queries, ratio, total, oca_total, reference]
            )
        worklist_ms, worklist_queries, worklist_rows = _worklist(env)
        print(f"master-data worklist of {worklist_rows} customers: {worklist_ms} ms, {worklist_queries} queries")
    headers = ["customers", "invoices", "open items", "o2c_cockpit ms", "queries", "OCA ms", "OCA queries",
               "OCA / o2c_cockpit", "total", "OCA total", "receivable"]  # fmt: skip
    print(
        f"\nAged balance at {past} (o2c_cockpit) beside OCA account_financial_report's Aged Partner Balance, "
        f"median of {RUNS} runs:"
    )
    table(rows, headers)
    same_totals = all(row[8] == row[9] == row[10] for row in rows)
    print(f"totals equal to the receivable balance: {same_totals}")
    write_results(
        args.json,
        "cockpit",
        [dict(zip(headers, row, strict=True)) for row in rows],
        ratios={row[1]: row[7] for row in rows},
        totals_equal=same_totals,
        limit_ms=LIMIT_MS,
        worklist={"customers": worklist_rows, "ms": worklist_ms, "queries": worklist_queries},
    )
    problems = []
    if not same_totals:
        problems.append("the aged balance totals differ from OCA's or from the receivable balance")
    if len({row[4] for row in rows}) > 1:
        problems.append("the aged balance's query count grows with the number of customers")
    if any(row[3] > LIMIT_MS for row in rows):
        problems.append(f"the aged balance takes more than {LIMIT_MS} ms")
    if problems:
        raise SystemExit("bench_cockpit: " + "; ".join(problems) + ".")


if __name__ == "__main__":
    main()
