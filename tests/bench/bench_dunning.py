"""Benchmark of the dunning run (o2c_dunning) against OCA account_credit_control 18.0.

One database with both addons, 2,000 customers and up to 20,000 open invoices (cloned in bulk SQL
from one posted invoice: same amounts, due dates spread from 10 days ahead to 80 days late).
Measures, without sending: our full run at 5k, 10k and 20k invoices (time and SQL queries), our
second run the next day after the first run's reminders were marked sent, and OCA's credit control
run with its 3-level policy over the same 20k invoices, first and second run (lines marked sent).

    .venv/bin/python tests/bench/bench_dunning.py --json OUT.json   (database: $O2C_BENCH_DUNNING_DB)

Each run is timed in wall time and in this process's CPU time (user + system: the Python side, the
database server's work is in the difference); the load average is printed beside. With
$O2C_BENCH_DUNNING_PROFILE set to a path, our first 20k run is profiled (cProfile) there.
"""

import cProfile
import os
import resource
from datetime import timedelta

from benchlib import (
    arguments,
    clone_invoices,
    count_queries,
    environment,
    new_database,
    posted_service_invoice,
    table,
    timer,
    write_results,
)

from odoo import Command, fields

DB = os.environ.get("O2C_BENCH_DUNNING_DB", "o2c_bench_dunning")
PROFILE = os.environ.get("O2C_BENCH_DUNNING_PROFILE")
CUSTOMERS = 2000
SIZES = (5000, 10000, 20000)


def _setup(env):
    """Customers and one posted template invoice; returns (company, partner ids, template move id)."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    company = env.company
    partners = env["res.partner"].create(
        [
            {"name": f"Bench Customer {i:04d}", "is_company": True, "email": f"c{i}@bench.example.com"}
            for i in range(CUSTOMERS)
        ]
    )
    template = posted_service_invoice(env, partners[0])
    env.flush_all()
    return company, partners.ids, template.id


def _clone(env, template_id, partner_ids, first, last):
    """Clone the template invoice as invoices number first..last-1, spread over the customers and due dates."""
    partner = "(%(partners)s)[1 + g %% %(count)s]"
    due = "%(today)s::date - (((g * 7) %% 91) - 10)"
    clone_invoices(
        env,
        template_id,
        first,
        last,
        {
            "partner_id": partner,
            "commercial_partner_id": partner,
            "invoice_date_due": due,
            "invoice_date": f"{due} - 30",
            "date": f"{due} - 30",
            "o2c_dunning_next_date": "NULL",
        },
        {"partners": partner_ids, "count": len(partner_ids), "today": fields.Date.context_today(env.user)},
    )


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load():
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def _our_run(env, company, run_date, profile=None):
    comms = env["o2c.dunning.communication"]
    profiler = cProfile.Profile() if profile else None
    with count_queries(env) as queries, timer() as clock:
        cpu = _cpu_seconds()
        if profiler:
            profiler.enable()
        result = comms._o2c_run(companies=company, run_date=run_date, send=False, commit=True)
        if profiler:
            profiler.disable()
        cpu = _cpu_seconds() - cpu
    if profiler:
        profiler.dump_stats(profile)
    return clock.seconds, cpu, queries.count, len(result["created"])


def _mark_sent(env):
    """What sending does to the invoices (levels reached), without the emails."""
    comms = env["o2c.dunning.communication"].search([("state", "in", ("draft", "to_send"))])
    comms._o2c_reach_levels()
    comms.write({"state": "sent"})
    env.cr.commit()


def _oca_setup(env, company):
    policy = env.ref("account_credit_control.credit_control_3_time")
    receivable = env["account.account"].search(
        [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")]
    )
    receivable.write({"reconcile": True})
    policy.write({"account_ids": [Command.set(receivable.ids)], "company_id": company.id})
    company.credit_policy_id = policy
    env.cr.commit()
    return policy


def _oca_run(env, policy, run_date):
    run = env["credit.control.run"].create({"date": run_date, "policy_ids": [Command.set(policy.ids)]})
    with count_queries(env) as queries, timer() as clock:
        cpu = _cpu_seconds()
        run.generate_credit_lines()
        cpu = _cpu_seconds() - cpu
    env.cr.commit()
    return clock.seconds, cpu, queries.count, len(run.line_ids)


def main():
    args = arguments(__doc__.splitlines()[0])
    new_database(DB, ["o2c_dunning", "account_credit_control"])
    rows = []
    with environment(DB) as env:
        company, partner_ids, template_id = _setup(env)
        env.cr.commit()
        today = fields.Date.context_today(env.user)
        made = 1
        for size in SIZES:
            _clone(env, template_id, partner_ids, made, size)
            made = size
            env.cr.commit()
            profile = PROFILE if size == SIZES[-1] else None
            seconds, cpu, queries, created = _our_run(env, company, today, profile)
            rows.append(["o2c_dunning", "first run", size, round(seconds, 2), round(cpu, 2), queries, created, _load()])
            print(f"o2c_dunning {size} invoices: {seconds:.2f} s ({cpu:.2f} s CPU), {queries} queries, {created} comms")
            if size != SIZES[-1]:
                env.cr.execute("DELETE FROM o2c_dunning_communication")
                env.cr.commit()
        _mark_sent(env)
        seconds, cpu, queries, created = _our_run(env, company, today + timedelta(days=1))
        next_day = "second run, next day"
        rows.append(["o2c_dunning", next_day, SIZES[-1], round(seconds, 2), round(cpu, 2), queries, created, _load()])
        print(f"o2c_dunning next day: {seconds:.2f} s ({cpu:.2f} s CPU), {queries} queries, {created} comms")

        policy = _oca_setup(env, company)
        seconds, cpu, queries, created = _oca_run(env, policy, today)
        oca = "OCA account_credit_control"
        rows.append([oca, "first run", SIZES[-1], round(seconds, 2), round(cpu, 2), queries, created, _load()])
        print(f"OCA first run: {seconds:.2f} s ({cpu:.2f} s CPU), {queries} queries, {created} lines")
        env.cr.execute("UPDATE credit_control_line SET state = 'sent'")
        env.cr.commit()
        env.invalidate_all()
        seconds, cpu, queries, created = _oca_run(env, policy, today + timedelta(days=1))
        rows.append([oca, next_day, SIZES[-1], round(seconds, 2), round(cpu, 2), queries, created, _load()])
        print(f"OCA second run: {seconds:.2f} s ({cpu:.2f} s CPU), {queries} queries, {created} lines")
    ours = {row[1]: row[3] for row in rows if row[0] == "o2c_dunning" and row[2] == SIZES[-1]}
    oca = {row[1]: row[3] for row in rows if row[0] != "o2c_dunning"}
    ratios = {kind: round(oca[kind] / ours[kind], 1) if ours.get(kind) else None for kind in oca}
    headers = ["engine", "run", "invoices", "seconds", "cpu seconds", "queries", "created", "load 1/5/15 min"]
    table(rows, headers)
    print(f"OCA / o2c_dunning time ratio at {SIZES[-1]} invoices: {ratios}")
    write_results(args.json, "dunning", [dict(zip(headers, row, strict=True)) for row in rows], ratios=ratios)


if __name__ == "__main__":
    main()
