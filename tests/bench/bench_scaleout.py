"""Scale-out check: the dunning run, the matching cron and the batch Factur-X under Odoo's multi-process server.

One database from the demo generator (`setup/demo`; `--size bench` is its 2,000 customers / 20,000 invoices,
`--size N` a plan of N customers with six invoices each; 50 minutes for N=100 on a busy 2-core machine), built
once as a template and copied for each run. On the copy: a demo invoice is cloned in bulk SQL (benchlib) up to
`--invoices` customer invoices, so that the dunning run has several batches to share; the demo's pending
reminders are removed (the run has to make them again, without sending); a camt.053 statement paying `--lines`
open invoices is imported without matching; `--facturx` demo invoices that pass the checks before issue are
queued for Factur-X in `--batches` batches, the first one twice (two users asking at once).

Then the real Odoo server starts in multi-process mode (`--workers=2 --max-cron-threads=2`, HTTP on
127.0.0.1:8075, gevent 8078) and each job is started at the same moment by a cron worker (a trigger, as
Odoo's own `_trigger`), by "Run manually" (`ir.cron.method_direct_trigger` over JSON-RPC, in an HTTP worker)
and by the cron's server action run over JSON-RPC in the other HTTP worker; the Factur-X run only by the cron
worker and the server action (wkhtmltopdf fetches the report's stylesheets from the server: one HTTP worker
has to stay free, or both renderings wait on each other).

Once every start is over and nothing is left (bounded wait), SQL checks: one reminder per customer, level and
date, one reminded line per invoice and level, nothing left to plan; no bank line or invoice reconciled twice
or beyond its amount, no line left to match; one Factur-X attachment and one result per invoice and batch, no
duplicate e-invoice status, no batch or invoice left undone or failed. Prints the figures, writes `--json`,
stops its server, and exits 1 on any duplicate, anything left undone or a start that failed (Odoo refusing
"Run manually" while its cron worker holds the job is its own lock working, not a failure).

    .venv/bin/python tests/bench/bench_scaleout.py [--size 100] [--invoices 10000] [--lines 300] [--facturx 30]
        [--batches 3] [--json OUT.json]
"""

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

from benchlib import CONF, ODOO_BIN, PYTHON, ROOT, clone_invoices, environment, new_database, table, write_results
from odoo_server import Server, rpc, server_config

import odoo
from odoo import fields, sql_db
from odoo.tools import SQL

DB_PREFIX = "o2c_scale"
RUN_DB = "o2c_scale_run"
MODULES = [
    "sale_management",
    "l10n_fr_account",
    "o2c_credit",
    "o2c_dunning",
    "o2c_disputes",
    "o2c_einvoice",
    "o2c_cashmatch",
]
# (job, cron, starts in the HTTP workers beside the cron worker's). A Factur-X is rendered by wkhtmltopdf,
# which fetches its stylesheets from the server: with two HTTP workers, one has to stay free to serve them.
JOBS = (
    ("dunning", "o2c_dunning.ir_cron_o2c_dunning_run", ("run manually", "server action")),
    ("cashmatch", "o2c_cashmatch.ir_cron_o2c_cashmatch_match", ("run manually", "server action")),
    ("einvoice", "o2c_einvoice.ir_cron_o2c_einvoice_batch", ("server action",)),
)
MARKER = "o2c.demo_loaded"


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="where to write this benchmark's results")
    parser.add_argument(
        "--size", default="100", help="demo plan: 'bench' (2,000 customers, 20,000 invoices) or a number of customers"
    )
    parser.add_argument(
        "--invoices", type=int, default=10000, help="clone a demo invoice (bulk SQL) until there are this many invoices"
    )
    parser.add_argument("--lines", type=int, default=300, help="bank statement lines waiting to be matched")
    parser.add_argument("--facturx", type=int, default=30, help="invoices queued for their batch Factur-X")
    parser.add_argument("--batches", type=int, default=3, help="Factur-X batches the invoices are queued in")
    parser.add_argument(
        "--no-overlap", dest="overlap", action="store_false", help="do not queue the first batch's invoices twice"
    )
    parser.add_argument("--port", type=int, default=8075, help="HTTP port of the Odoo server (127.0.0.1)")
    parser.add_argument("--gevent-port", type=int, default=8078, help="websocket port of the Odoo server")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds each job may take before the check fails")
    parser.add_argument(
        "--jobs", default="dunning,cashmatch,einvoice", help="the jobs to start, comma-separated (all by default)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the template database again")
    return parser.parse_args()


# ----------------------------------------------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------------------------------------------


def _psql(dbname, query, params=None):
    """Run `query` on `dbname` in a transaction of its own; return the rows ([] for a statement without any)."""
    with sql_db.db_connect(dbname).cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else []


def _template(size, rebuild):
    """The template database of demo plan `size`, built once (the demo generator, all five addons); returns
    (its name, whether it was there already)."""
    name = f"{DB_PREFIX}_base_{size}"
    exists = subprocess.run(["psql", "-lqt"], capture_output=True, text=True, check=True).stdout
    if not rebuild and any(line.split("|")[0].strip() == name for line in exists.splitlines()):
        loaded = _psql(name, "SELECT value FROM ir_config_parameter WHERE key = %s", [MARKER])
        if loaded:
            print(f"scaleout: reusing template {name} ({loaded[0][0]}), its copy updated to the code")
            sql_db.close_db(name)
            return name, True
    print(f"scaleout: building template {name} (demo plan {size}) ...", flush=True)
    start = time.perf_counter()
    new_database(name, MODULES)
    result = subprocess.run([PYTHON, "-m", "setup.demo", CONF, name, size], cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"scaleout: loading the demo plan {size} into {name} failed:\n{result.stderr[-3000:]}")
    print(f"scaleout: {result.stdout.strip()} ({time.perf_counter() - start:.0f} s)", flush=True)
    sql_db.close_db(name)
    return name, False


def _copy(template, update):
    """The run database, a copy of `template`; with `update`, its suite's addons updated to the code of today."""
    subprocess.run(["dropdb", "--if-exists", "--force", RUN_DB], check=True)
    subprocess.run(["createdb", "-T", template, RUN_DB], check=True)
    if update:
        addons = ",".join(module for module in MODULES if module.startswith("o2c_"))
        result = subprocess.run(
            [PYTHON, ODOO_BIN, "-c", CONF, "-d", RUN_DB, "-u", addons, "--stop-after-init", "--log-level=warn"],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.exit(f"scaleout: updating {addons} in {RUN_DB} failed:\n{result.stderr[-3000:]}")


def _grow(env, company, invoices, today):
    """Clone a posted open demo invoice (benchlib's bulk SQL) until the company has `invoices` customer invoices,
    spread over the demo customers and over due dates from 10 days ahead to 80 days late."""
    Move = env["account.move"]
    count = Move.search_count([("company_id", "=", company.id), ("move_type", "=", "out_invoice")])
    if invoices <= count:
        return 0
    template = Move.search(
        [("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
         ("payment_state", "=", "not_paid")],
        order="id",
        limit=1,
    )  # fmt: skip
    customers = Move.search([("company_id", "=", company.id), ("move_type", "=", "out_invoice")]).commercial_partner_id
    partner = "(%(partners)s)[1 + g %% %(count)s]"
    due = "%(today)s::date - (((g * 7) %% 91) - 10)"
    clone_invoices(
        env,
        template.id,
        1,
        invoices - count + 1,
        {"partner_id": partner, "commercial_partner_id": partner, "invoice_date_due": due,
         "invoice_date": f"{due} - 30", "date": f"{due} - 30", "o2c_dunning_next_date": "NULL"},
        {"partners": customers.ids, "count": len(customers), "today": today},
    )  # fmt: skip
    env.cr.commit()
    return invoices - count


def _prepare(env, invoices, lines, facturx, batches, overlap):
    """Work waiting for the three jobs on the run database; returns what was queued."""
    from odoo.addons.o2c_cashmatch.tests.camt_writer import camt053
    from odoo.addons.o2c_cashmatch.tests.labelled_set import GenLine

    env = env(context={"tracking_disable": True, "mail_create_nolog": True})
    company = env.company
    today = fields.Date.context_today(env.user)
    cloned = _grow(env, company, invoices, today)
    # The daily run makes the reminders again, without sending (no mail server, no letters printed).
    env.cr.execute("DELETE FROM o2c_dunning_communication WHERE state IN ('draft', 'to_send')")
    company.o2c_dunning_auto_send = False
    env.invalidate_all()
    planned = len(env["o2c.dunning.run"]._o2c_plan(company, today))

    open_invoices = env["account.move"].search(
        [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "=", "not_paid"),
        ],
        order="id",
    )
    # Factur-X for demo invoices that pass the checks before issue (the clones carry no taxes on their lines).
    demo = env["account.move"].search(
        [("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
         ("name", "not like", "BENCH/")],
        order="id desc",
    ).filtered(lambda move: not move.invoice_pdf_report_id)  # fmt: skip
    issued = env["account.move"]
    for first in range(0, len(demo), 10):
        if len(issued) >= facturx:
            break
        prepared = demo[first : first + 10]._o2c_einvoice_prepare()
        issued |= demo.browse([move.id for move, data in prepared.items() if not data["errors"]])
    issued = issued[:facturx]
    paid = (open_invoices - issued)[:lines]
    statement = [
        GenLine(
            index=index,
            label="scaleout",
            amount=Decimal(str(invoice.amount_residual)),
            booking_date=today,
            remittance=f"VIR SEPA FACTURE {invoice.name}",
            payer_name=invoice.commercial_partner_id.name[:35],
        )
        for index, invoice in enumerate(paid)
    ]
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    data = camt053(statement, journal.bank_account_id.sanitized_acc_number, statement_id="SCALEOUT", day=today)
    imported = journal.o2c_import_statement(data, "scaleout.xml", match=False)["created"]

    size = max(-(-len(issued) // max(batches, 1)), 1)
    chunks = [issued[first : first + size] for first in range(0, len(issued), size)]
    if overlap and chunks:
        chunks.insert(1, chunks[0])  # a second user queues the same invoices again, at once
    for chunk in chunks:
        env["o2c.einvoice.batch"]._o2c_create_for(chunk)
    env.cr.execute("SELECT COALESCE(max(id), 0) FROM o2c_dunning_communication")
    last_reminder = env.cr.fetchone()[0]
    params = {"today": today, "paid": paid.ids, "last_reminder": last_reminder}
    before = {job: env.execute_query(SQL(check["processed"], **params))[0][0] for job, check in CHECKS.items()}
    # Every cron waits a day and no trigger is left: the jobs start when the benchmark says so.
    env.cr.execute("UPDATE ir_cron SET nextcall = (now() at time zone 'UTC') + interval '1 day'")
    env.cr.execute("DELETE FROM ir_cron_trigger")
    env.cr.commit()
    return {
        "dunning": planned,
        "cashmatch": imported,
        "einvoice": len(issued),
        "invoices_paid": paid.ids,
        "company": company.id,
        "today": today,
        "cloned": cloned,
        "before": before,
        "last_reminder": last_reminder,
        "invoices": env["account.move"].search_count([("move_type", "=", "out_invoice"), ("state", "=", "posted")]),
    }


# ----------------------------------------------------------------------------------------------------------
# One job, started two or three times at once
# ----------------------------------------------------------------------------------------------------------


LEFT = {
    "cashmatch": "SELECT count(*) FROM account_bank_statement_line WHERE o2c_match_state = 'new' "
    "AND NOT COALESCE(is_reconciled, FALSE)",
    "einvoice": "SELECT count(*) FROM o2c_einvoice_batch WHERE state != 'done'",
}


def _left(job):
    """Work the job still has to do, as committed (a later trigger of the cron may still take it)."""
    return _psql(RUN_DB, LEFT[job])[0][0] if job in LEFT else 0


def _run_job(server, uid, job, xmlid, starts, timeout):
    """Start `job` by the cron worker and `starts` at the same moment; wait until all are over and nothing is
    left."""
    module, name = xmlid.split(".")
    cron_id, action_id, cron_name = _psql(
        RUN_DB,
        "SELECT c.id, c.ir_actions_server_id, a.name->>'en_US' FROM ir_model_data d JOIN ir_cron c ON c.id = d.res_id "
        "JOIN ir_act_server a ON a.id = c.ir_actions_server_id WHERE d.module = %s AND d.name = %s",
        [module, name],
    )[0]
    barrier = threading.Barrier(1 + len(starts))
    outcomes = {}

    def manual(start_name, model, method, record_id):
        barrier.wait(30)
        started = time.perf_counter()
        try:
            kind, result = rpc(
                server.port, "object", "execute_kw", RUN_DB, uid, "admin", model, method, [[record_id]],
                timeout=timeout,
            )  # fmt: skip
        except OSError as error:
            kind, result = "error", str(error)
        outcomes[start_name] = (kind, result, time.perf_counter() - started)

    trigger = {}

    def cron():
        barrier.wait(30)
        trigger["id"] = _psql(
            RUN_DB,
            "INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, write_uid, create_date, write_date) "
            "VALUES (%s, now() at time zone 'UTC', 1, 1, now() at time zone 'UTC', now() at time zone 'UTC') "
            "RETURNING id",
            [cron_id],
        )[0][0]
        _psql("postgres", "SELECT pg_notify('cron_trigger', %s)", [RUN_DB])

    calls = {
        "run manually": ("ir.cron", "method_direct_trigger", cron_id),
        "server action": ("ir.actions.server", "run", action_id),
    }
    threads = [threading.Thread(target=cron)]
    threads += [threading.Thread(target=manual, args=(start, *calls[start])) for start in starts]

    def cron_done():
        return "id" in trigger and not _psql(RUN_DB, "SELECT 1 FROM ir_cron_trigger WHERE id = %s", [trigger["id"]])

    log_start = len(server.log_text())
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    finished = False
    while not finished and time.monotonic() < deadline:
        time.sleep(1)
        if "id" in trigger and not cron_done():
            _psql("postgres", "SELECT pg_notify('cron_trigger', %s)", [RUN_DB])  # wakes a sleeping cron worker
        finished = not any(thread.is_alive() for thread in threads) and cron_done() and not _left(job)
    wall = time.perf_counter() - started
    log = server.log_text()[log_start:]
    job_name = re.escape(f"Job {cron_name!r} ({cron_id})")
    cron_runs = [float(seconds) for seconds in re.findall(job_name + r" done in ([0-9.]+)s", log)]
    cron_failures = len(re.findall(job_name + r" server action #\d+ failed", log))
    outcomes["cron worker"] = (
        "ok" if finished and not cron_failures else "error",
        f"{len(cron_runs)} run(s), {cron_failures} failed" if finished else "not finished in time",
        sum(cron_runs),
    )
    return {"wall": wall, "finished": finished, "outcomes": outcomes}


# ----------------------------------------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------------------------------------

CHECKS = {
    "dunning": {
        "processed": "SELECT count(*) FROM o2c_dunning_communication",
        "duplicates": [
            (
                "reminders per customer and level made by this run, whatever their date",
                "SELECT count(*) FROM (SELECT 1 FROM o2c_dunning_communication WHERE id > %(last_reminder)s "
                "GROUP BY partner_id, level_id HAVING count(*) > 1) d",
            ),
            (
                "reminders per customer, level and date",
                "SELECT count(*) FROM (SELECT 1 FROM o2c_dunning_communication GROUP BY partner_id, level_id, "
                "run_date HAVING count(*) > 1) d",
            ),
            (
                "reminded lines per invoice and level",
                "SELECT count(*) FROM (SELECT 1 FROM o2c_dunning_communication_line WHERE level_id IS NOT NULL "
                "GROUP BY move_id, level_id HAVING count(*) > 1) d",
            ),
        ],
    },
    "cashmatch": {
        "processed": "SELECT count(*) FROM account_bank_statement_line WHERE o2c_match_state != 'new'",
        "duplicates": [
            (
                "bank lines settled beyond their amount and write-off",
                """SELECT count(*) FROM (
                     SELECT st.id FROM account_bank_statement_line st
                       JOIN account_move_line aml ON aml.move_id = st.move_id
                       JOIN account_account a ON a.id = aml.account_id AND a.account_type = 'asset_receivable'
                       JOIN account_partial_reconcile p ON p.credit_move_id = aml.id
                  LEFT JOIN (SELECT statement_line_id, sum(abs(writeoff_amount)) AS amount FROM o2c_cashmatch_proposal
                              WHERE state = 'accepted' GROUP BY statement_line_id) w ON w.statement_line_id = st.id
                   GROUP BY st.id, st.amount, w.amount
                     HAVING sum(p.amount) > abs(st.amount) + COALESCE(w.amount, 0) + 0.005) d""",
            ),
            (
                "invoices paid by two bank lines",
                """SELECT count(*) FROM (
                     SELECT inv.id FROM account_move inv
                       JOIN account_move_line il ON il.move_id = inv.id
                       JOIN account_partial_reconcile p ON p.debit_move_id = il.id
                       JOIN account_move_line bl ON bl.id = p.credit_move_id
                       JOIN account_bank_statement_line st ON st.move_id = bl.move_id
                   WHERE inv.id = ANY(%(paid)s)
                   GROUP BY inv.id HAVING count(DISTINCT st.id) > 1) d""",
            ),
            (
                "invoices reconciled beyond their amount",
                "SELECT count(*) FROM account_move_line aml JOIN account_account a ON a.id = aml.account_id "
                "WHERE a.account_type = 'asset_receivable' AND aml.debit > 0 AND aml.amount_residual < -0.005",
            ),
            (
                "bank lines with two applied proposals",
                "SELECT count(*) FROM (SELECT 1 FROM o2c_cashmatch_proposal WHERE state = 'accepted' "
                "GROUP BY statement_line_id HAVING count(*) > 1) d",
            ),
        ],
    },
    "einvoice": {
        "processed": "SELECT count(*) FROM o2c_einvoice_batch_line",
        "duplicates": [
            (
                "Factur-X attachments per invoice",
                "SELECT count(*) FROM (SELECT 1 FROM ir_attachment WHERE res_model = 'account.move' "
                "AND res_field = 'invoice_pdf_report_file' GROUP BY res_id HAVING count(*) > 1) d",
            ),
            (
                "batch results per invoice",
                "SELECT count(*) FROM (SELECT 1 FROM o2c_einvoice_batch_line GROUP BY batch_id, move_id "
                "HAVING count(*) > 1) d",
            ),
            (
                "e-invoice statuses per invoice and code",
                "SELECT count(*) FROM (SELECT 1 FROM o2c_einvoice_status GROUP BY move_id, code, date "
                "HAVING count(*) > 1) d",
            ),
        ],
    },
}
UNDONE = {
    "cashmatch": [
        (
            "bank lines left to match",
            "SELECT count(*) FROM account_bank_statement_line WHERE o2c_match_state = 'new' "
            "AND NOT COALESCE(is_reconciled, FALSE)",
        ),
    ],
    "einvoice": [
        ("batches not done", "SELECT count(*) FROM o2c_einvoice_batch WHERE state != 'done'"),
        (
            "queued invoices without result",
            "SELECT count(*) FROM account_move_o2c_einvoice_batch_rel r WHERE NOT EXISTS (SELECT 1 FROM "
            "o2c_einvoice_batch_line l WHERE l.batch_id = r.o2c_einvoice_batch_id AND l.move_id = r.account_move_id)",
        ),
        (
            "queued invoices without Factur-X",
            "SELECT count(DISTINCT r.account_move_id) FROM account_move_o2c_einvoice_batch_rel r WHERE NOT EXISTS "
            "(SELECT 1 FROM ir_attachment a WHERE a.res_model = 'account.move' "
            "AND a.res_field = 'invoice_pdf_report_file' AND a.res_id = r.account_move_id)",
        ),
        ("batch results failed", "SELECT count(*) FROM o2c_einvoice_batch_line WHERE state = 'failed'"),
    ],
}


def _refused(kind, detail):
    """Whether a start was Odoo refusing "Run manually" because a cron worker holds the job (its lock working)."""
    return kind == "error" and "currently being executed" in str(detail)


def _check(job, queued):
    """Return (processed, {check: count}) for `job` on the run database."""
    params = {"today": queued["today"], "paid": queued["invoices_paid"], "last_reminder": queued["last_reminder"]}
    processed = _psql(RUN_DB, CHECKS[job]["processed"], params)[0][0] - queued["before"][job]
    found = {label: _psql(RUN_DB, query, params)[0][0] for label, query in CHECKS[job]["duplicates"]}
    undone = {label: _psql(RUN_DB, query, params)[0][0] for label, query in UNDONE.get(job, [])}
    if job == "dunning":
        dates = _psql(
            RUN_DB,
            "SELECT run_date, count(*) FROM o2c_dunning_communication WHERE id > %s GROUP BY 1 ORDER BY 1",
            [queued["last_reminder"]],
        )
        print("  reminders by dunning date: " + ", ".join(f"{day} ({count})" for day, count in dates))
        with environment(RUN_DB) as env:
            company = env["res.company"].browse(queued["company"])
            undone["reminders left to plan"] = len(env["o2c.dunning.run"]._o2c_plan(company, queued["today"]))
    return processed, found, undone


def main():
    args = _arguments()
    odoo.tools.config.parse_config(["-c", CONF])
    template, reused = _template(args.size, args.rebuild)
    _copy(template, update=reused)
    with environment(RUN_DB) as env:
        queued = _prepare(env, args.invoices, args.lines, args.facturx, args.batches, args.overlap)
    print(
        f"scaleout: {queued['invoices']} posted invoices ({queued['cloned']} cloned); "
        f"queued {queued['dunning']} reminders to make, {queued['cashmatch']} bank lines to match, "
        f"{queued['einvoice']} invoices for Factur-X in {args.batches} batches"
        + (" (the first one queued twice)" if args.overlap else ""),
        flush=True,
    )
    rows, problems = [], []
    with tempfile.TemporaryDirectory(prefix="o2c-scaleout-") as folder:
        config = server_config(RUN_DB, args.port, args.gevent_port, folder)
        server = Server(config, RUN_DB, args.port, str(Path(folder) / "odoo.log"))
        try:
            server.wait_ready()
            kind, uid = rpc(args.port, "common", "login", RUN_DB, "admin", "admin")
            if kind != "ok" or not uid:
                sys.exit(f"scaleout: cannot log in as admin on {RUN_DB}: {uid}")
            starts_of = {job: starts for job, _xmlid, starts in JOBS}
            for job, xmlid, starts in (spec for spec in JOBS if spec[0] in args.jobs.split(",")):
                print(f"scaleout: {job}: cron worker, {', '.join(starts)}, at once ...", flush=True)
                run = _run_job(server, uid, job, xmlid, starts, args.timeout)
                processed, duplicates, undone = _check(job, queued)
                starts = "; ".join(
                    f"{start}: {kind}, {seconds:.1f} s"
                    + ("" if kind == "ok" and start != "cron worker" else f" ({str(detail)[:100]})")
                    for start, (kind, detail, seconds) in sorted(run["outcomes"].items())
                )
                print(f"  {starts}")
                refused = [kind for kind, detail, _seconds in run["outcomes"].values() if _refused(kind, detail)]
                errors = [
                    f"{start}: {detail}"
                    for start, (kind, detail, _seconds) in run["outcomes"].items()
                    if kind != "ok" and not _refused(kind, detail)
                ]
                if not run["finished"]:
                    errors.append(f"not finished within {args.timeout} s")
                dup_total = sum(duplicates.values())
                undone_total = sum(undone.values())
                rows.append(
                    [job, 1 + len(starts_of[job]), len(refused), len(errors), queued[job], processed,
                     round(run["wall"], 1), dup_total, undone_total]
                )  # fmt: skip
                problems += [f"{job}: {count} {label}" for label, count in duplicates.items() if count]
                problems += [f"{job}: {count} {label}" for label, count in undone.items() if count]
                problems += [f"{job}: {error}" for error in errors]
                print(f"  duplicates {duplicates}; left undone {undone}", flush=True)
        finally:
            server.stop()
            if problems:
                kept = Path(tempfile.gettempdir()) / "o2c-scaleout-odoo.log"
                kept.write_text(server.log_text())
                print(f"scaleout: server log kept in {kept}")
    headers = ["job", "starts", "refused", "failed", "queued", "processed", "wall s", "duplicates", "left undone"]
    print(
        f"\nOdoo --workers=2 --max-cron-threads=2, demo plan {args.size}, {queued['invoices']} posted invoices "
        f"({queued['cloned']} cloned), each job started at once by a cron worker and over JSON-RPC"
    )
    table(rows, headers)
    write_results(
        args.json,
        "scaleout",
        [dict(zip(headers, row, strict=True)) for row in rows],
        size=args.size,
        invoices=queued["invoices"],
        cloned=queued["cloned"],
        problems=problems,
    )
    if problems:
        print("scaleout: FAILED — " + "; ".join(problems))
        sys.exit(1)
    print("scaleout: no duplicate, nothing left undone.")


if __name__ == "__main__":
    main()
