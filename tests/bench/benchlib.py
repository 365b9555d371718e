"""Plumbing shared by the benchmarks in tests/bench/ (run by ./setup/bench.sh, never by the tests).

bench.sh exports O2C_CONF (an Odoo configuration file with the suite's addons path), O2C_ROOT,
ODOO_SRC and O2C_VENV; a benchmark creates its own databases with `new_database`, works in
`environment(dbname)`, measures with `timer()` and `count_queries(env)`, prints with `table`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import odoo
from odoo import Command, fields
from odoo.modules.registry import Registry

ROOT = Path(os.environ.get("O2C_ROOT", Path(__file__).resolve().parents[2]))
CONF = os.environ.get("O2C_CONF", str(ROOT / ".o2c-odoo-o2c_bench.conf"))
PYTHON = os.environ.get("O2C_VENV", str(ROOT / ".venv")) + "/bin/python"
ODOO_BIN = str(Path(os.environ.get("ODOO_SRC", Path.home() / ".cache/o2c/odoo-18.0")) / "odoo-bin")
_configured = False


def _configure():
    global _configured
    if not _configured:
        odoo.tools.config.parse_config(["-c", CONF])
        _configured = True


def new_database(name, modules, country="FR", lang="en_US"):
    """Drop and create database `name` (company in `country`, '-' for none) with `modules` installed."""
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run([PYTHON, str(ROOT / "setup/o2c_db.py"), CONF, name, country or "-", lang], check=True)
    result = subprocess.run(
        [PYTHON, ODOO_BIN, "-c", CONF, "-d", name, "-i", ",".join(modules), "--stop-after-init", "--log-level=warn"],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"bench: installing {modules} into {name} failed:\n{result.stderr[-3000:]}")
    if _configured:
        Registry.delete(name)


@contextmanager
def environment(dbname):
    """Yield a superuser environment on a new cursor of `dbname`; commit when the block ends."""
    _configure()
    registry = Registry(dbname)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


class _Counter:
    count = 0


def vacuum(dbname, *tables):
    """VACUUM ANALYZE `tables` of `dbname`, as autovacuum does after a bulk load (index-only scans need it)."""
    subprocess.run(["vacuumdb", "--quiet", "--analyze", *(f"--table={t}" for t in tables), dbname], check=True)


@contextmanager
def count_queries(env):
    """Count the SQL queries `env`'s cursor runs inside the block (flushes first); `.count` after."""
    env.flush_all()
    counter = _Counter()
    start = env.cr.sql_log_count
    yield counter
    env.flush_all()
    counter.count = env.cr.sql_log_count - start


class _Timer:
    seconds = 0.0


@contextmanager
def timer():
    """Measure the wall time of the block; `.seconds` after."""
    measure = _Timer()
    start = time.perf_counter()
    yield measure
    measure.seconds = time.perf_counter() - start


def median_ms(samples):
    """Return the median of `samples` (seconds) in milliseconds, rounded to 0.1."""
    return round(statistics.median(samples) * 1000, 1)


def table(rows, headers):
    """Print `rows` (sequences) under `headers` as an aligned text table."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def arguments(description):
    """Parse the command line every benchmark takes (`--json PATH`)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", help="where to write this benchmark's results")
    return parser.parse_args()


def write_results(path, area, rows, **extra):
    """Write the benchmark's results as JSON {"area", "rows", ...} to `path` when given."""
    if path:
        Path(path).write_text(json.dumps({"area": area, "rows": rows, **extra}, indent=2, default=str))


def table_columns(cr, table_name):
    """The columns of `table_name` but its id."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
        [table_name],
    )
    return [row[0] for row in cr.fetchall()]


def posted_service_invoice(env, partner, days_overdue=10):
    """Post a 1,000.00 service invoice (no tax) of `partner`, issued 30 days before it fell due
    `days_overdue` days ago: the template the benchmarks clone."""
    account = env["account.account"].search(
        [("company_ids", "in", env.company.id), ("account_type", "=", "income")], limit=1
    )
    today = fields.Date.context_today(env.user)
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": today - timedelta(days=30 + days_overdue),
            "invoice_date_due": today - timedelta(days=days_overdue),
            "invoice_line_ids": [
                Command.create(
                    {"name": "Service", "quantity": 1, "price_unit": 1000.0, "tax_ids": [], "account_id": account.id}
                )
            ],
        }
    )
    invoice.action_post()
    return invoice


def clone_invoices(env, template_id, first, last, overrides=None, params=None):
    """Copy posted invoice `template_id` as invoices BENCH/first..BENCH/last-1 in two bulk INSERTs.

    `overrides` maps account_move columns to SQL expressions over the template `t` and the series
    number `g` (e.g. spread partners or due dates), with `params` for their placeholders; the journal
    items follow their move's partner and dates. Benchmarks only: no ORM, no constraint checked.
    """
    cr = env.cr
    env.flush_all()
    move_overrides = {
        "name": "'BENCH/' || lpad(g::text, 6, '0')",
        "payment_reference": "'BENCH/' || lpad(g::text, 6, '0')",
        "sequence_number": "g",
        "sequence_prefix": "'BENCH/'",
        **(overrides or {}),
    }
    params = {**(params or {}), "first": first, "last": last, "template": template_id}
    move_cols = table_columns(cr, "account_move")
    cr.execute(
        f"INSERT INTO account_move ({', '.join(move_cols)}) "
        f"SELECT {', '.join(move_overrides.get(col, f't.{col}') for col in move_cols)} "
        "FROM account_move t, generate_series(%(first)s, %(last)s - 1) g WHERE t.id = %(template)s",
        params,
    )
    line_overrides = {
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "m.partner_id",
        "date": "m.date",
        "invoice_date": "m.invoice_date",
        "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL ELSE m.invoice_date_due END",
    }
    line_cols = table_columns(cr, "account_move_line")
    cr.execute(
        f"INSERT INTO account_move_line ({', '.join(line_cols)}) "
        f"SELECT {', '.join(line_overrides.get(col, f't.{col}') for col in line_cols)} "
        "FROM account_move_line t JOIN account_move m ON m.sequence_prefix = 'BENCH/' "
        "AND m.sequence_number >= %(first)s AND m.sequence_number < %(last)s WHERE t.move_id = %(template)s",
        params,
    )
    env.invalidate_all()


def oca_aged_partner_balance(env, company, date_at, runs=3):
    """Time OCA account_financial_report's Aged Partner Balance of ``company``'s receivable accounts at ``date_at``:
    its wizard and report values (``_get_report_values``, the data its PDF and xlsx print), median of ``runs``.

    Returns (median ms, SQL queries of the last run, total residual).
    """
    accounts = env["account.account"].search(
        [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")]
    )
    samples, queries, total = [], 0, 0.0
    for _run in range(runs):
        with count_queries(env) as counter, timer() as clock:
            wizard = env["aged.partner.balance.report.wizard"].create(
                {
                    "date_at": date_at,
                    "company_id": company.id,
                    "target_move": "posted",
                    "account_ids": [Command.set(accounts.ids)],
                }
            )
            data = wizard._prepare_report_data()
            data["date_at"] = fields.Date.to_string(date_at)
            values = env["report.account_financial_report.aged_partner_balance"]._get_report_values(wizard.ids, data)
        samples.append(clock.seconds)
        queries = counter.count
        total = round(sum(account["residual"] for account in values["aged_partner_balance"]), 2)
        env.cr.commit()
    return median_ms(samples), queries, total
