"""Benchmark of o2c_cashmatch (import + matching + reconciliation) against OCA account_reconcile_oca 18.0.

A seeded labelled set (tests/labelled_set.py of the addon): 1,500 customers, 50,000 open invoices
(cloned in bulk SQL from a posted template, each with its own number, customer, amount, early-payment
discount or credit note), and 2,000 bank lines paying them with realistic noise, ground truth per line.
Prints: query counts and matching time for 200 lines at 10k, 25k and 50k open invoices; the full
camt.053 of 2,000 lines imported, matched and reconciled at 50k invoices (time, queries, quality per
class); then OCA account_reconcile_model_oca + account_reconcile_oca with the rules Odoo ships
(auto-reconciling "Invoices/Bills Perfect Match") on the same lines in a second database.

    .venv/bin/python tests/bench/bench_cashmatch.py --json OUT.json [--oca-lines N]
    O2C_BENCH_CASHMATCH_DB=name       our database (default o2c_bench_cashmatch), dropped and created
    O2C_BENCH_CASHMATCH_OCA_DB=name   OCA's database (default o2c_bench_cashmatch_oca), dropped and created
    O2C_BENCH_CASHMATCH_PROFILE=path  cProfile the full 2,000-line run into `path` (pstats; slows it down)
"""

import argparse
import cProfile
import dataclasses
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date

from benchlib import ROOT, count_queries, environment, new_database, table, table_columns, timer, write_results
from psycopg2.extras import execute_values

from odoo import Command

sys.path.insert(0, str(ROOT / "o2c_cashmatch" / "tests"))
from camt_writer import camt053
from labelled_set import generate

DB = os.environ.get("O2C_BENCH_CASHMATCH_DB", "o2c_bench_cashmatch")
DB_OCA = os.environ.get("O2C_BENCH_CASHMATCH_OCA_DB", "o2c_bench_cashmatch_oca")
PROFILE = os.environ.get("O2C_BENCH_CASHMATCH_PROFILE")
IBAN = "FR7630004008230001234567890"
TODAY = date(2025, 6, 30)
SEED = 2026
CUSTOMERS = 1500
SIZES = (10000, 25000, 50000)
LINES = 2000
PROBE = 200
PREFIX = "INV/2025/"


def _labelled():
    return generate(seed=SEED, customers=CUSTOMERS, invoices=SIZES[-1], lines=LINES, today=TODAY)


def _setup(env, labelled):
    """Customers (half with a known IBAN), bank journal, templates; returns (partner ids, templates)."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    partners = env["res.partner"].create([{"name": c.name, "is_company": True} for c in labelled.customers])
    env["res.partner.bank"].create(
        [
            {"acc_number": c.iban, "partner_id": partner.id}
            for c, partner in zip(labelled.customers, partners, strict=True)
            if c.index % 2 == 0
        ]
    )
    env["account.journal"].create({"name": "Banque bench", "code": "BBEN", "type": "bank", "bank_acc_number": IBAN})
    company = env.company
    company.o2c_cashmatch_fee_account_id = company._o2c_fee_account()
    templates = {}
    for move_type in ("out_invoice", "out_refund"):
        move = env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partners[0].id,
                "invoice_date": date(2024, 1, 15),
                "invoice_line_ids": [
                    Command.create({"name": "Prestation", "quantity": 1, "price_unit": 1000.0, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        templates[move_type] = move.id
    env.flush_all()
    return partners.ids, templates


def _clone(env, labelled, partner_ids, templates, first, last):
    """Invoices first..last-1 of the labelled set as posted moves, cloned in bulk SQL from the templates."""
    cr = env.cr
    cr.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_inv (g int, partner int, name text, payref text, amount numeric, "
        "refund bool, inv_date date, due date, disc numeric, disc_date date, template int)"
    )
    cr.execute("TRUNCATE bench_inv")
    rows = []
    for inv in labelled.invoices[first:last]:
        rows.append(
            (
                inv.index,
                partner_ids[inv.customer],
                inv.number,
                inv.rf or inv.number,
                inv.amount,
                inv.is_credit_note,
                inv.invoice_date,
                inv.due_date,
                inv.discount_residual,
                inv.discount_date,
                templates["out_refund" if inv.is_credit_note else "out_invoice"],
            )
        )
    execute_values(cr._obj, "INSERT INTO bench_inv VALUES %s", rows, page_size=5000)
    move_cols = table_columns(cr, "account_move")
    overrides = {
        "name": "b.name",
        "partner_id": "b.partner",
        "commercial_partner_id": "b.partner",
        "invoice_date": "b.inv_date",
        "date": "b.inv_date",
        "invoice_date_due": "b.due",
        "payment_reference": "b.payref",
        "sequence_number": "b.g + 1",
        "sequence_prefix": f"'{PREFIX}'",
        "amount_untaxed": "b.amount",
        "amount_total": "b.amount",
        "amount_residual": "b.amount",
        "amount_untaxed_signed": "CASE WHEN b.refund THEN -b.amount ELSE b.amount END",
        "amount_total_signed": "CASE WHEN b.refund THEN -b.amount ELSE b.amount END",
        "amount_residual_signed": "CASE WHEN b.refund THEN -b.amount ELSE b.amount END",
        "amount_total_in_currency_signed": "CASE WHEN b.refund THEN -b.amount ELSE b.amount END",
        "amount_untaxed_in_currency_signed": "CASE WHEN b.refund THEN -b.amount ELSE b.amount END",
        "payment_state": "'not_paid'",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
    }
    select = ", ".join(overrides.get(col, f"t.{col}") for col in move_cols)
    cr.execute(
        f"INSERT INTO account_move ({', '.join(move_cols)}) SELECT {select} "
        "FROM bench_inv b JOIN account_move t ON t.id = b.template"
    )
    line_cols = table_columns(cr, "account_move_line")
    sign = (
        "(CASE WHEN acc.account_type = 'asset_receivable' THEN 1 ELSE -1 END) * (CASE WHEN b.refund THEN -1 ELSE 1 END)"
    )
    receivable = "acc.account_type = 'asset_receivable'"
    line_overrides = {
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "m.partner_id",
        "date": "m.date",
        "invoice_date": "m.invoice_date",
        "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL ELSE m.invoice_date_due END",
        "debit": f"GREATEST({sign} * b.amount, 0)",
        "credit": f"GREATEST(-{sign} * b.amount, 0)",
        "balance": f"{sign} * b.amount",
        "amount_currency": f"{sign} * b.amount",
        "amount_residual": f"CASE WHEN {receivable} THEN {sign} * b.amount ELSE 0 END",
        "amount_residual_currency": f"CASE WHEN {receivable} THEN {sign} * b.amount ELSE 0 END",
        "price_unit": f"CASE WHEN {receivable} THEN t.price_unit ELSE b.amount END",
        "price_subtotal": f"CASE WHEN {receivable} THEN t.price_subtotal ELSE b.amount END",
        "price_total": f"CASE WHEN {receivable} THEN t.price_total ELSE b.amount END",
        "discount_date": f"CASE WHEN {receivable} AND b.disc IS NOT NULL THEN b.disc_date END",
        "discount_amount_currency": f"CASE WHEN {receivable} AND b.disc IS NOT NULL THEN b.disc END",
        "discount_balance": f"CASE WHEN {receivable} AND b.disc IS NOT NULL THEN b.disc END",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
        "reconciled": "false",
    }
    line_select = ", ".join(line_overrides.get(col, f"t.{col}") for col in line_cols)
    cr.execute(
        f"INSERT INTO account_move_line ({', '.join(line_cols)}) SELECT {line_select} "
        "FROM bench_inv b JOIN account_move m ON m.name = b.name AND m.sequence_prefix = %s "
        "JOIN account_move_line t ON t.move_id = b.template JOIN account_account acc ON acc.id = t.account_id",
        [PREFIX],
    )
    env.invalidate_all()
    env.registry.clear_cache()


def _probe(env, labelled, size):
    """Matching (no reconciliation) of PROBE lines at `size` open invoices: (seconds, queries)."""
    journal = env["account.journal"].search([("code", "=", "BBEN")])
    data = camt053(labelled.lines[:PROBE], IBAN, statement_id=f"PROBE-{size}", day=TODAY, bank_ref=f"P{size}")
    result = journal.o2c_import_statement(data, f"probe-{size}.xml", match=False)
    lines = env["account.bank.statement.line"].search([("statement_id", "in", result["statement_ids"])])
    env.invalidate_all()
    with count_queries(env) as queries, timer() as clock:
        lines._o2c_run_matching(auto_apply=False)
    statements = lines.statement_id
    lines.unlink()
    statements.unlink()
    env.cr.commit()
    return clock.seconds, queries.count


def _reconciled_invoice_names(st_lines):
    """{statement line: set of invoice numbers its entry is lettered with} read in bulk."""
    partials = st_lines.move_id.line_ids.matched_debit_ids | st_lines.move_id.line_ids.matched_credit_ids
    found = defaultdict(set)
    for partial in partials:
        for own, other in (
            (partial.debit_move_id, partial.credit_move_id),
            (partial.credit_move_id, partial.debit_move_id),
        ):
            if own.move_id.statement_line_id and other.move_id.name.startswith(PREFIX):
                found[own.move_id.statement_line_id].add(other.move_id.name)
    return found


def _evaluate(labelled, st_lines, auto_of, proposed_of):
    """Per-class and overall figures from what each line got (auto: invoice names reconciled)."""
    number = {inv.index: inv.number for inv in labelled.invoices}
    by_ref = {ln.o2c_bank_reference: ln for ln in st_lines}
    stats = defaultdict(Counter)
    for gen in labelled.lines:
        st_line = by_ref.get(f"TX-{gen.index:06d}")
        truth = {number[i] for i in gen.truth}
        row = stats[gen.label]
        row["lines"] += 1
        auto = auto_of(st_line)
        if auto:
            row["auto"] += 1
            row["wrong"] += auto != truth
        elif truth:
            row["rest"] += 1
            first = proposed_of(st_line)
            row["right_first"] += bool(first) and first <= truth
    total = Counter()
    for row in stats.values():
        total.update(row)
    return stats, total


def _quality_rows(engine, stats, total):
    rows = []
    for label in sorted(stats) + ["ALL"]:
        row = total if label == "ALL" else stats[label]
        rows.append(
            [
                engine,
                label,
                row["lines"],
                f"{100 * row['auto'] / row['lines']:.1f}",
                row["wrong"],
                f"{100 * row['right_first'] / row['rest']:.1f}" if row["rest"] else "-",
            ]
        )
    return rows


def _our_run(env, labelled):
    journal = env["account.journal"].search([("code", "=", "BBEN")])
    data = camt053(labelled.lines, IBAN, statement_id="BENCH-FULL", day=TODAY, bank_ref="TX")
    env.invalidate_all()
    profile = cProfile.Profile() if PROFILE else None
    cpu = time.process_time()
    with count_queries(env) as queries, timer() as clock:
        if profile:
            profile.enable()
        result = journal.o2c_import_statement(data, "bench-full.xml")
        if profile:
            profile.disable()
    result["cpu_seconds"] = round(time.process_time() - cpu, 1)
    result["load"] = _load()
    if profile:
        profile.dump_stats(PROFILE)
    env.cr.commit()
    st_lines = env["account.bank.statement.line"].search([("statement_id", "in", result["statement_ids"])])
    reconciled = _reconciled_invoice_names(st_lines)

    def auto_of(st_line):
        return reconciled.get(st_line) if st_line and st_line.o2c_match_state == "auto" else None

    def proposed_of(st_line):
        best = st_line.o2c_best_proposal_id if st_line else None
        return set(best.move_ids.mapped("name")) if best else set()

    return clock.seconds, queries.count, result, _evaluate(labelled, st_lines, auto_of, proposed_of)


def _oca_run(env, labelled, count):
    """OCA's auto-reconciliation with Odoo's shipped rules on the first `count` lines (same file)."""
    journal = env["account.journal"].search([("code", "=", "BBEN")])
    models = env["account.reconcile.model"].search([("auto_reconcile", "=", True)])
    models.auto_reconcile = False  # import first without OCA's on-create hook, to time its matching alone
    subset = labelled.lines[:count]
    data = camt053(subset, IBAN, statement_id="BENCH-OCA", day=TODAY, bank_ref="TX")
    result = journal.o2c_import_statement(data, "bench-oca.xml", match=False)
    models.auto_reconcile = True
    env.cr.commit()
    st_lines = env["account.bank.statement.line"].search([("statement_id", "in", result["statement_ids"])])
    env.invalidate_all()
    with count_queries(env) as queries, timer() as clock:
        st_lines._auto_reconcile()
    env.cr.commit()
    reconciled = _reconciled_invoice_names(st_lines)
    sub = type(labelled)(labelled.customers, labelled.invoices, subset)

    def auto_of(st_line):
        return reconciled.get(st_line) if st_line and st_line.is_reconciled else None

    stats, total = _evaluate(sub, st_lines, auto_of, lambda st_line: set())
    return clock.seconds, queries.count, [m.name for m in models], stats, total


BIG_ENTRIES = 35000
BIG_MEGABYTES = 30  # MiB, as the benchmark prints them
READ_SCRIPT = """
import json, resource, sys, time, types
import odoo.addons
for name in ("o2c_base", "o2c_cashmatch"):
    package = types.ModuleType("odoo.addons." + name)
    package.__path__ = [sys.argv[1] + "/" + name]
    sys.modules["odoo.addons." + name] = package
from odoo.addons.o2c_cashmatch.parsers import read_bank_file
data = open(sys.argv[2], "rb").read()
start, cpu = time.perf_counter(), time.process_time()
bank_file = read_bank_file(data, "big.xml")
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
entries = len(bank_file.statements[0].transactions)
print(json.dumps({"seconds": round(seconds, 1), "cpu": round(cpu, 1), "peak_mb": peak, "entries": entries,
                  "schema_violation": bool(bank_file.schema_violation)}))
"""
# The whole import as the wizard runs it, in an Odoo process of its own: its peak memory is the import's.
IMPORT_SCRIPT = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from benchlib import environment

def status_mb(key):
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) // 1024 for line in handle if line.startswith(key + ":"))

with environment(sys.argv[2]) as env:
    journal = env["account.journal"].search([("code", "=", "BBIG")])
    data = open(sys.argv[3], "rb").read()
    before = status_mb("VmRSS")
    start, usage = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    result = journal.o2c_import_statement(data, "big.xml", match=False)
    env.flush_all()  # what the request's commit would write
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
    env.cr.rollback()
cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
print(json.dumps({"seconds": round(seconds, 1), "cpu": round(cpu, 1), "rss_before_mb": before,
                  "peak_mb": status_mb("VmHWM"), "created": result["created"]}))
"""


def _big_statement(env, labelled):
    """A camt.053 of 35,000 entries (30 MB, schema-valid) read and validated in a child process (time, CPU, the
    process's peak memory, file bytes included), then imported without matching into a journal of its own by an
    Odoo process of its own (time, CPU, its memory before the import and its peak, registry included)."""
    lines = [line for line in labelled.lines if line.amount > 0]
    # Texts filled to the schema's lengths (140 remittance, 70 name) and an entry information as banks add: 30 MiB.
    big = [
        dataclasses.replace(
            line,
            index=n,
            remittance=f"{line.remittance or 'VIR'} {'X' * 140}"[:140],
            payer_name=f"{line.payer_name or 'PAYEUR'} {'Y' * 70}"[:70],
            entry_info=f"VIREMENT SEPA RECU {'Z' * 140}"[:140],
        )
        for n, line in enumerate(lines[n % len(lines)] for n in range(BIG_ENTRIES))
    ]
    data = camt053(big, "FR7630006000011234567890189", statement_id="BIG-1", bank_ref="BIG")
    assert len(data) >= BIG_MEGABYTES * 1024 * 1024, len(data)
    env["account.journal"].create(
        {"name": "Banque gros releve", "code": "BBIG", "type": "bank", "bank_acc_number": "FR7630006000011234567890189"}
    )
    env.cr.commit()
    path = ROOT / f".bench-big-statement-{DB}.xml"
    path.write_bytes(data)
    try:
        read = subprocess.run(
            [sys.executable, "-c", READ_SCRIPT, str(ROOT), str(path)], capture_output=True, text=True, check=True
        )
        imported = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT, str(ROOT / "tests" / "bench"), DB, str(path)],
            capture_output=True,
            text=True,
        )
    finally:
        path.unlink()
    if imported.returncode:
        sys.exit(f"bench: the big statement's import failed:\n{imported.stderr[-3000:]}")
    parsed = json.loads(read.stdout.strip().splitlines()[-1])
    done = json.loads(imported.stdout.strip().splitlines()[-1])
    return {
        "megabytes": round(len(data) / 1024 / 1024, 1),
        "entries": parsed["entries"],
        "parse_seconds": parsed["seconds"],
        "parse_cpu_seconds": parsed["cpu"],
        "parse_peak_mb": parsed["peak_mb"],
        "import_seconds": done["seconds"],
        "import_cpu_seconds": done["cpu"],
        "import_rss_before_mb": done["rss_before_mb"],
        "import_peak_mb": done["peak_mb"],
        "created": done["created"],
        "load": _load(),
    }


def _load():
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--oca-lines", type=int, default=LINES, help="lines given to OCA (it takes ~0.2 s each)")
    args = parser.parse_args()
    labelled = _labelled()
    print(f"labelled set: {CUSTOMERS} customers, {len(labelled.invoices)} invoices, {len(labelled.lines)} lines")

    new_database(DB, ["o2c_cashmatch"])
    probe_rows = []
    with environment(DB) as env:
        partner_ids, templates = _setup(env, labelled)
        env.cr.commit()
        made = 0
        for size in SIZES:
            _clone(env, labelled, partner_ids, templates, made, size)
            made = size
            env.cr.commit()
            seconds, queries = _probe(env, labelled, size)
            probe_rows.append(["o2c_cashmatch", size, PROBE, round(seconds, 2), queries])
            print(f"matching {PROBE} lines at {size} open invoices: {seconds:.2f} s, {queries} queries")
        seconds, queries, result, (stats, total) = _our_run(env, labelled)
        env.cr.commit()
        print(
            f"o2c_cashmatch: {LINES} lines at {SIZES[-1]} invoices imported+matched+reconciled in {seconds:.1f} s "
            f"({result['cpu_seconds']} s CPU in the Odoo process), {result['auto']} auto, "
            f"{result['proposed']} proposed; load {result['load']}"
        )
        big = _big_statement(env, labelled)
    print(
        f"big statement: {big['megabytes']} MB, {big['entries']} entries read and validated in "
        f"{big['parse_seconds']} s ({big['parse_cpu_seconds']} s CPU, peak {big['parse_peak_mb']} MB); "
        f"imported ({big['created']} lines) in {big['import_seconds']} s ({big['import_cpu_seconds']} s CPU) by an "
        f"Odoo process of {big['import_rss_before_mb']} MB before, peak {big['import_peak_mb']} MB; load {big['load']}"
    )
    ours = {
        "seconds": round(seconds, 1),
        "cpu_seconds_odoo_process": result["cpu_seconds"],
        "load": result["load"],
        "queries": queries,
        "auto": result["auto"],
        "proposed": result["proposed"],
        "unmatched": result["unmatched"],
    }
    quality = _quality_rows("o2c_cashmatch", stats, total)
    exact = stats["exact"] + stats["rf"]
    summary = {
        "auto_rate": round(total["auto"] / total["lines"], 4),
        "exact_reference_auto_rate": round(exact["auto"] / exact["lines"], 4),
        "wrong_auto_rate": round(total["wrong"] / max(total["auto"], 1), 4),
        "rest_right_first_rate": round(total["right_first"] / max(total["rest"], 1), 4),
        "full_run_seconds": round(seconds, 1),
        "full_run_queries": queries,
    }

    new_database(DB_OCA, ["o2c_cashmatch", "account_reconcile_oca", "account_reconcile_model_oca"])
    with environment(DB_OCA) as env:
        partner_ids, templates = _setup(env, labelled)
        _clone(env, labelled, partner_ids, templates, 0, SIZES[-1])
        env.cr.commit()
        oca_seconds, oca_queries, rules, oca_stats, oca_total = _oca_run(env, labelled, args.oca_lines)
    oca_lines = min(args.oca_lines, LINES)
    print(f"OCA ({', '.join(rules)}): {oca_lines} lines in {oca_seconds:.1f} s, {oca_queries} queries")
    quality += _quality_rows("OCA account_reconcile_oca", oca_stats, oca_total)
    oca = {
        "lines": oca_lines,
        "seconds": round(oca_seconds, 1),
        "ms_per_line": round(1000 * oca_seconds / oca_lines, 1),
        "queries_per_line": round(oca_queries / oca_lines, 1),
        "auto_rate": round(oca_total["auto"] / oca_total["lines"], 4),
        "wrong_auto_rate": round(oca_total["wrong"] / max(oca_total["auto"], 1), 4),
    }

    print()
    table(probe_rows, ["engine", "open invoices", "lines", "seconds", "queries"])
    print()
    table(quality, ["engine", "class", "lines", "auto %", "wrong autos", "right first % (rest)"])
    print()
    table(
        [
            ["o2c_cashmatch", LINES, ours["seconds"], round(1000 * seconds / LINES, 1), round(queries / LINES, 1),
             f"{100 * summary['auto_rate']:.1f}", f"{100 * summary['wrong_auto_rate']:.2f}"],
            ["OCA account_reconcile_oca", oca_lines, oca["seconds"], oca["ms_per_line"], oca["queries_per_line"],
             f"{100 * oca['auto_rate']:.1f}", f"{100 * oca['wrong_auto_rate']:.2f}"],
        ],
        ["engine", "lines", "seconds", "ms/line", "queries/line", "auto %", "wrong auto %"],
    )  # fmt: skip
    print(
        f"targets: auto >= 88% -> {100 * summary['auto_rate']:.1f}%, "
        f"exact refs >= 99% -> {100 * summary['exact_reference_auto_rate']:.1f}%, "
        f"wrong <= 0.5% -> {100 * summary['wrong_auto_rate']:.2f}%, "
        f"right first >= 90% -> {100 * summary['rest_right_first_rate']:.1f}%, time <= 20 s -> {seconds:.1f} s, "
        f"big statement >= 30 MB in <= 60 s under 300 MB -> {big['megabytes']} MB in {big['import_seconds']} s, "
        f"peak {big['import_peak_mb']} MB"
    )
    rows = [dict(zip(["engine", "open_invoices", "lines", "seconds", "queries"], r, strict=True)) for r in probe_rows]
    rows += [
        dict(zip(["engine", "class", "lines", "auto_pct", "wrong_autos", "right_first_pct"], r, strict=True))
        for r in quality
    ]
    write_results(args.json, "cashmatch", rows, summary=summary, ours=ours, oca=oca, big_statement=big)


if __name__ == "__main__":
    main()
