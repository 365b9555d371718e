"""Benchmark of the dunning run (o2c_dunning) against OCA account_credit_control 18.0.

One database with both addons, 2,000 customers and up to 20,000 open invoices (cloned in bulk SQL
from one posted invoice: same amounts, due dates spread from 10 days ahead to 80 days late).
Measures, without sending: our full run at 5k, 10k and 20k invoices (time and SQL queries), our
second run the next day after the first run's reminders were marked sent, and OCA's credit control
run with its 3-level policy over the same 20k invoices, first and second run (lines marked sent).

    .venv/bin/python tests/bench/bench_dunning.py --json OUT.json   (database: $O2C_BENCH_DUNNING_DB)

After each bulk load the invoice tables are analysed (VACUUM ANALYZE), and the reminder tables after the
communications of a smaller size are deleted, as autovacuum does on a real database: the planner reads
statistics of the rows it works on, not those of an empty database.

Each run is timed in wall time, in this process's CPU time (user + system: the Python side) and in the CPU
time of the PostgreSQL backend serving it (read from /proc, when the server runs on this machine; "n/a"
otherwise); the load average is printed beside, as the machine may be shared. With
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
    vacuum,
    write_results,
)

from odoo import Command, fields

DB = os.environ.get("O2C_BENCH_DUNNING_DB", "o2c_bench_dunning")
PROFILE = os.environ.get("O2C_BENCH_DUNNING_PROFILE")
CUSTOMERS = 2000
SIZES = (5000, 10000, 20000)
# Analysed after each bulk change (VACUUM ANALYZE), as autovacuum does.
TABLES = (
    "account_move",
    "account_move_line",
    "res_partner",
    "o2c_dunning_communication",
    "o2c_dunning_communication_line",
)


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


def _db_cpu_seconds(env):
    """CPU time (user + system) of the PostgreSQL backend of `env`'s cursor so far, None when it cannot be read
    (a server on another machine)."""
    env.cr.execute("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{env.cr.fetchone()[0]}/stat") as stat:
            fields_ = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_delta(start, end):
    return round(end - start, 2) if start is not None and end is not None else "n/a"


def _load():
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def _record(rows, engine, kind, size, measure, what):
    """Add the measure (seconds, CPU, database CPU, queries, records created) of a run to `rows` and print it."""
    seconds, cpu, db_cpu, queries, created = measure
    rows.append([engine, kind, size, round(seconds, 2), round(cpu, 2), db_cpu, queries, created, _load()])
    print(
        f"{engine}, {kind}, {size} invoices: {seconds:.2f} s ({cpu:.2f} s CPU, database {db_cpu} s), "
        f"{queries} queries, {created} {what}"
    )


def _our_run(env, company, run_date, profile=None):
    comms = env["o2c.dunning.communication"]
    profiler = cProfile.Profile() if profile else None
    db_cpu = _db_cpu_seconds(env)
    with count_queries(env) as queries, timer() as clock:
        cpu = _cpu_seconds()
        if profiler:
            profiler.enable()
        result = comms._o2c_run(companies=company, run_date=run_date, send=False, commit=True)
        if profiler:
            profiler.disable()
        cpu = _cpu_seconds() - cpu
    db_cpu = _cpu_delta(db_cpu, _db_cpu_seconds(env))
    if profiler:
        profiler.dump_stats(profile)
    return clock.seconds, cpu, db_cpu, queries.count, len(result["created"])


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
    db_cpu = _db_cpu_seconds(env)
    with count_queries(env) as queries, timer() as clock:
        cpu = _cpu_seconds()
        run.generate_credit_lines()
        cpu = _cpu_seconds() - cpu
    db_cpu = _cpu_delta(db_cpu, _db_cpu_seconds(env))
    env.cr.commit()
    return clock.seconds, cpu, db_cpu, queries.count, len(run.line_ids)


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
            vacuum(DB, *TABLES)
            profile = PROFILE if size == SIZES[-1] else None
            _record(rows, "o2c_dunning", "first run", size, _our_run(env, company, today, profile), "comms")
            if size != SIZES[-1]:
                env.cr.execute("DELETE FROM o2c_dunning_communication")
                env.cr.commit()
                vacuum(DB, "o2c_dunning_communication", "o2c_dunning_communication_line")
        _mark_sent(env)
        vacuum(DB, *TABLES)
        next_day = "second run, next day"
        _record(rows, "o2c_dunning", next_day, SIZES[-1], _our_run(env, company, today + timedelta(days=1)), "comms")

        policy = _oca_setup(env, company)
        oca = "OCA account_credit_control"
        _record(rows, oca, "first run", SIZES[-1], _oca_run(env, policy, today), "lines")
        env.cr.execute("UPDATE credit_control_line SET state = 'sent'")
        env.cr.commit()
        env.invalidate_all()
        _record(rows, oca, next_day, SIZES[-1], _oca_run(env, policy, today + timedelta(days=1)), "lines")
    ours = {row[1]: row[3] for row in rows if row[0] == "o2c_dunning" and row[2] == SIZES[-1]}
    oca = {row[1]: row[3] for row in rows if row[0] != "o2c_dunning"}
    ratios = {kind: round(oca[kind] / ours[kind], 1) if ours.get(kind) else None for kind in oca}
    headers = [
        "engine",
        "run",
        "invoices",
        "seconds",
        "cpu seconds",
        "database cpu seconds",
        "queries",
        "created",
        "load 1/5/15 min",
    ]
    table(rows, headers)
    print(f"OCA / o2c_dunning time ratio at {SIZES[-1]} invoices: {ratios}")
    write_results(args.json, "dunning", [dict(zip(headers, row, strict=True)) for row in rows], ratios=ratios)


if __name__ == "__main__":
    main()
