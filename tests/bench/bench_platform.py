"""Benchmark of o2c_einvoice's approved-platform exchanges against the local AFNOR server of its tests.

One database with o2c_einvoice (French company, 20 French B2B customers registered in the directory of the local
platform, a service product at 20 %). `--invoices` posted invoices are queued in one Factur-X batch; the batch
cron (its own process, as the cron worker runs it) issues, validates and deposits them: it is killed after
`--kill-after` seconds and started again, and the run must end with every invoice deposited exactly once (no
flow name twice on the platform). Target: 1,000 invoices in 120 s. Then the platform holds `--statuses` lifecycle
CDAR flows about these invoices and one fetch (`_o2c_fetch_statuses`, its own process as the cron worker runs it)
writes them. Target: 10,000 in 30 s.
Baseline: none (no OCA 18.0 module talks to the AFNOR API); the targets are the issue's.
Each run reports its wall time, the CPU time (user + sys) of the cron processes and of this process (which serves
the local platform), and the load average at its end. With $O2C_BENCH_PLATFORM_PROFILE set to a path prefix, each
cron process is profiled (cProfile) to <prefix>-<pid>.prof.

    .venv/bin/python tests/bench/bench_platform.py [--invoices 1000] [--statuses 10000] [--kill-after 20]
        [--db o2c_bench_platform] [--template DB] [--json OUT.json]
"""

import argparse
import cProfile
import importlib.util
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from benchlib import CONF, PYTHON, environment, new_database, table, timer, write_results
from stdnum import luhn

import odoo
from odoo import Command
from odoo.modules import get_module_path

CUSTOMERS = 20
PROFILE = os.environ.get("O2C_BENCH_PLATFORM_PROFILE")
CODES = ("202", "203", "204", "205", "211", "214", "201", "209", "221", "200")


def _siren(number):
    return f"{number:08d}{luhn.calc_check_digit(f'{number:08d}')}"


def _vat(siren):
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _setup(env, pa, count):
    """Company, customers in the directory, the platform connection and `count` posted invoices; returns ids."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    company = env.company
    company.write(
        {"name": "Atelier Bench SAS", "company_registry": "732829320", "vat": "FR44732829320",
         "street": "12 rue de la République", "zip": "69002", "city": "Lyon", "email": "compta@bench.example",
         "country_id": env.ref("base.fr").id, "o2c_einvoice_check_mode": "warning"}
    )  # fmt: skip
    company.o2c_einvoice_address = "732829320"
    bank = env["res.partner.bank"].create(
        {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id}
    )
    sirens = [_siren(44306184 + 7 * i) for i in range(CUSTOMERS)]
    customers = env["res.partner"].create(
        [
            {"name": f"Client Bench {index:02d} SAS", "is_company": True, "company_registry": siren,
             "vat": _vat(siren), "street": f"{index} avenue Foch", "zip": "75016", "city": "Paris",
             "country_id": env.ref("base.fr").id, "email": f"client{index}@bench.example"}
            for index, siren in enumerate(sirens, start=1)
        ]
    )  # fmt: skip
    tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20),
         ("amount_type", "=", "percent"), ("price_include", "=", False)], limit=1
    )  # fmt: skip
    product = env["product.product"].create(
        {"name": "Maintenance annuelle", "type": "service", "list_price": 300.0, "taxes_id": [Command.set(tax.ids)]}
    )
    env["o2c.einvoice.platform"].search([]).unlink()
    env["o2c.einvoice.platform"].create(pa.connection_values() | {"send_at_posting": False})
    term = env.ref("account.account_payment_term_30days")
    moves = env["account.move"].create(
        [
            {"move_type": "out_invoice", "partner_id": customers[index % CUSTOMERS].id, "invoice_date": "2026-09-15",
             "invoice_payment_term_id": term.id, "partner_bank_id": bank.id,
             "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1 + index % 3,
                                                  "price_unit": 300.0})]}
            for index in range(count)
        ]
    )  # fmt: skip
    moves.action_post()
    return sirens, moves.ids


def _local_platform():
    """The local AFNOR server class of o2c_einvoice's tests, loaded by path once the registry has put the addons
    on the path (importing the tests package would import Odoo's test framework outside test mode)."""
    path = Path(get_module_path("o2c_einvoice")) / "tests" / "afnor_server.py"
    spec = importlib.util.spec_from_file_location("o2c_bench_afnor_server", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LocalPlatform


def _profiled(function):
    """Run `function`, under cProfile when $O2C_BENCH_PLATFORM_PROFILE is set (dumped even when killed)."""
    if not PROFILE:
        return function()
    profiler = cProfile.Profile()

    def dump(*_args):
        profiler.disable()
        profiler.dump_stats(f"{PROFILE}-{os.getpid()}.prof")
        os._exit(1)

    signal.signal(signal.SIGTERM, dump)
    profiler.enable()
    try:
        return function()
    finally:
        profiler.disable()
        profiler.dump_stats(f"{PROFILE}-{os.getpid()}.prof")


def _worker(dbname):
    """The batch cron, as the cron worker runs it (commits per chunk)."""
    with environment(dbname) as env:
        _profiled(env["o2c.einvoice.batch"]._cron_process)
        env.cr.commit()


def _fetch_worker(dbname):
    """The statuses cron's fetch, as the cron worker runs it: in its own process, apart from the platform."""
    with environment(dbname) as env:
        platform = env["o2c.einvoice.platform"].search([], limit=1)
        before = _cpu(resource.RUSAGE_SELF)
        with timer() as fetching:
            _profiled(platform._o2c_fetch_statuses)
            env.cr.commit()
    print(f"fetch cpu: {_cpu(resource.RUSAGE_SELF) - before}")
    print(f"fetch seconds: {fetching.seconds}")


def _cpu(who):
    """User + sys CPU seconds of this process (RUSAGE_SELF) or of its ended children (RUSAGE_CHILDREN)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _load():
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def _run_cron(dbname, kill_after=None, worker="--worker"):
    """Run the batch cron in its own process; kill it after `kill_after` seconds (SIGKILL, or SIGTERM when
    profiling so that the profile is written: the process still dies where it is, without committing). Returns
    True if it ended."""
    process = subprocess.Popen([PYTHON, __file__, worker, dbname], start_new_session=True)
    try:
        process.wait(timeout=kill_after)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM if PROFILE else signal.SIGKILL)
        process.wait()
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--statuses", type=int, default=10000)
    parser.add_argument("--kill-after", type=float, default=20.0, help="seconds before the first cron is killed")
    parser.add_argument("--db", default="o2c_bench_platform")
    parser.add_argument("--template", help="copy this database (o2c_einvoice installed) instead of installing")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--fetch-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker)
        return
    if args.fetch_worker:
        _fetch_worker(args.fetch_worker)
        return
    if args.template:
        subprocess.run(["dropdb", "--if-exists", "--force", args.db], check=True)
        subprocess.run(["createdb", "-T", args.template, args.db], check=True)
        # The attachments of the template (the report's assets among them) come along, as a copied database needs.
        odoo.tools.config.parse_config(["-c", CONF])
        filestore = Path(odoo.tools.config.filestore(args.template))
        if filestore.is_dir():
            shutil.rmtree(odoo.tools.config.filestore(args.db), ignore_errors=True)
            shutil.copytree(filestore, odoo.tools.config.filestore(args.db))
    else:
        new_database(args.db, ["o2c_einvoice"])
    rows = []
    pa = None
    try:
        with environment(args.db) as env:
            pa = _local_platform()()
            sirens, move_ids = _setup(env, pa, args.invoices)
            for siren in sirens:
                pa.register(siren, f"Client {siren}")
            env["o2c.einvoice.batch"]._o2c_create_for(env["account.move"].browse(move_ids))
        print(f"bench_platform: {args.invoices} invoices posted and queued, configuration {CONF}")
        starts = 0
        cpu_children, cpu_self = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
        with timer() as sending:
            ended = _run_cron(args.db, kill_after=args.kill_after)
            starts += 1
            while not ended:
                ended = _run_cron(args.db)
                starts += 1
        cron_cpu = _cpu(resource.RUSAGE_CHILDREN) - cpu_children
        platform_cpu = _cpu(resource.RUSAGE_SELF) - cpu_self
        sending_load = _load()
        with environment(args.db) as env:
            moves = env["account.move"].browse(move_ids)
            sent = moves.filtered(lambda move: move.o2c_pa_state == "sent")
            names = [flow["name"] for flow in pa.flows if flow["flowSyntax"] == "Factur-X"]
            duplicates = len(names) - len(set(names))
            rows.append(
                [f"batch cron: {args.invoices} invoices issued + validated + deposited", round(sending.seconds, 1),
                 120 * args.invoices / 1000, round(cron_cpu, 1), round(platform_cpu, 1), sending_load,
                 f"{len(sent)}/{args.invoices} deposited, {duplicates} twice, "
                 f"{starts} cron starts (killed after {args.kill_after} s)"]
            )  # fmt: skip
            numbers = {move.id: move.name for move in moves}
            for index in range(args.statuses):
                move_id = move_ids[index % len(move_ids)]
                code = CODES[(index // len(move_ids)) % len(CODES)]
                pa.add_status(numbers[move_id], "732829320", sirens[(move_ids.index(move_id)) % CUSTOMERS], code)
            env.cr.commit()
            # Timed inside its process (the time to load the registry left out).
            cpu_self = _cpu(resource.RUSAGE_SELF)
            fetched = subprocess.run(
                [PYTHON, __file__, "--fetch-worker", args.db], stdout=subprocess.PIPE, text=True, check=True
            )
            fetch_seconds = float(fetched.stdout.rsplit("fetch seconds:", 1)[1])
            fetch_cpu = float(fetched.stdout.rsplit("fetch cpu:", 1)[1].split()[0])
            platform_cpu, fetch_load = _cpu(resource.RUSAGE_SELF) - cpu_self, _load()
            # The deposits' acknowledgements (200, message "<flow>-ack") are not among the statuses fetched here.
            written = env["o2c.einvoice.status"].search_count(
                [("source", "=", "platform"), ("code", "in", CODES), ("message_ref", "not like", "%-ack")]
            )
            rows.append(
                [f"fetch {args.statuses} statuses (search, download, CDAR read, write)", round(fetch_seconds, 1),
                 30 * args.statuses / 10000, round(fetch_cpu, 1), round(platform_cpu, 1), fetch_load,
                 f"{written}/{args.statuses} written"]
            )  # fmt: skip
    finally:
        if pa:
            pa.stop()
    headers = ["run", "seconds", "target s", "cron CPU s", "platform CPU s", "load 1/5/15", "result"]
    table(rows, headers)
    write_results(args.json, "platform", [dict(zip(headers, row, strict=True)) for row in rows])
    if any(row[1] > row[2] for row in rows):
        sys.exit("bench_platform: a target is missed (see the table).")


if __name__ == "__main__":
    main()
