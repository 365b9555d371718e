"""Benchmark of o2c_dunning's customer account: the statement and the portal account page of a customer
with many open items.

One database with o2c_dunning, two customers with 200 and 2,000 open invoices (cloned in bulk SQL from one
posted invoice, due dates spread over 60 days around today) and one sent reminder each, whose email link
opens the account page. Measures, for each customer:

* the statement: its data (``o2c.dunning.statement._o2c_statement``) and its QWeb rendering to HTML in
  process (time, SQL queries);
* the portal account page and the statement PDF download (Chromium through o2c_base) over HTTP from the
  real Odoo server (2 workers), opened from the reminder link without a portal account: wall time as the
  client sees it (median of 5, after one warm-up request), the CPU time of the server's processes and
  their Chromiums per request (user + system, sampled every 20 ms) and the SQL queries of the request
  (Odoo's request log);
* the 2,000-item statement PDF phase by phase in process (wall and CPU time of each: QWeb HTML, Odoo's
  split into body, header and footer, Chromium's start, the body's print, the header and footer sheets'
  print, the stamping), through the same pieces as o2c_base's ``_o2c_print_with_chromium``;
* Chromium's own floor on this machine: a fresh browser (o2c_base's ``ChromiumPrinter``) printing a
  one-page document and the same 2,000 rows as a bare table without any stylesheet.

The machine's load average is printed beside the figures: on shared cores the wall times follow it.

No baseline: Odoo Community and OCA 18.0 have no customer statement on the portal (OCA's
``partner_statement`` has no 18.0 release); the target is the issue's: each page <= 1 s at 2,000 items,
queries not growing with the items.

    .venv/bin/python tests/bench/bench_portal.py --json OUT.json
        (database: $O2C_BENCH_PORTAL_DB; server ports: $O2C_BENCH_PORTAL_PORT and the next one)
"""

import html
import os
import re
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil
from benchlib import (
    arguments,
    clone_invoices,
    count_queries,
    environment,
    median_ms,
    new_database,
    posted_service_invoice,
    table,
    timer,
    write_results,
)
from odoo_server import HOST, Server, server_config

DB = os.environ.get("O2C_BENCH_PORTAL_DB", "o2c_bench_portal")
SIZES = {"Bench Small": 200, "Bench Large": 2000}
PORT = int(os.environ.get("O2C_BENCH_PORTAL_PORT", 8313))
GEVENT_PORT = PORT + 1
REPEAT = 5
STATEMENT = "o2c_dunning.action_report_customer_statement"
REQUEST_LOG = re.compile(r'"GET (?P<path>\S+) HTTP/1\.1" (?P<status>\d+) - (?P<queries>\d+) ')


class _TreeCpu(threading.Thread):
    """Samples the CPU time (user + system) of a process and of all its descendants every 50 ms, so that
    processes started and ended meanwhile (each print's Chromium) are counted; `seconds` once stopped, less
    the sampling's own CPU time when it samples its own process (psutil reads every process of the machine
    to find the descendants)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.start_times = self._sample()
        self.last = dict(self.start_times)
        self.seconds = 0.0
        self.own = 0.0
        self._stop_event = threading.Event()

    def _sample(self):
        times = {}
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return times
        for process in processes:
            try:
                cpu = process.cpu_times()
                times[(process.pid, process.create_time())] = cpu.user + cpu.system
            except psutil.Error:
                continue
        return times

    def run(self):
        while not self._stop_event.wait(0.05):
            self.last.update(self._sample())
        self.own = time.thread_time()

    def stop(self):
        self._stop_event.set()
        self.join()
        self.last.update(self._sample())
        used = sum(seconds - self.start_times.get(key, 0.0) for key, seconds in self.last.items())
        self.seconds = used - (self.own if self.root.pid == os.getpid() else 0.0)


@contextmanager
def tree_cpu(pid=None):
    """Measure the CPU time of process `pid` (this one) and its descendants inside the block; `.seconds` after."""
    sampler = _TreeCpu(pid or os.getpid())
    sampler.start()
    try:
        yield sampler
    finally:
        sampler.stop()


def _load():
    """The machine's load average over the last minute."""
    return round(os.getloadavg()[0], 1)


def _setup(env):
    """The customers, their cloned invoices and a sent reminder each; returns {name: (partner id, link)}."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    company = env.company
    # the report's browser fetches its stylesheets from the benchmark's server
    env["ir.config_parameter"].set_param("report.url", f"http://{HOST}:{PORT}")
    first_level = company.o2c_dunning_ladder_id.level_ids.sorted("sequence")[1]
    customers, number = {}, 1
    for name, count in SIZES.items():
        partner = env["res.partner"].create({"name": name, "is_company": True, "email": "bench@example.com"})
        template = posted_service_invoice(env, partner)
        clone_invoices(
            env,
            template.id,
            number,
            number + count - 1,
            {"invoice_date_due": "t.invoice_date_due + (g %% 60)", "date": "t.date + (g %% 60)"},
        )
        number += count
        reminder = env["o2c.dunning.communication"].create(
            {
                "partner_id": partner.id,
                "contact_id": partner.id,
                "company_id": company.id,
                "level_id": first_level.id,
                "run_date": template.invoice_date_due,
                "state": "sent",
                "channel": "email",
            }
        )
        customers[name] = (partner.id, reminder.get_portal_url())
    env.flush_all()
    return customers


def _in_process(env, partner_id):
    """(items, statement data ms, queries, statement HTML ms, queries) for one customer, in process."""
    partner = env["res.partner"].browse(partner_id)
    company = env.company
    Statement = env["o2c.dunning.statement"]
    report = env["ir.actions.report"]
    report._render_qweb_html("o2c_dunning.action_report_customer_statement", partner.ids)  # views loaded once
    data_times, html_times = [], []
    for _round in range(REPEAT):
        env.invalidate_all()
        with count_queries(env) as data_queries, timer() as data_time:
            statement = Statement._o2c_statement(partner, company)
        data_times.append(data_time.seconds)
        env.invalidate_all()
        with count_queries(env) as html_queries, timer() as html_time:
            report._render_qweb_html("o2c_dunning.action_report_customer_statement", partner.ids)
        html_times.append(html_time.seconds)
    return len(statement["items"]), median_ms(data_times), data_queries.count, median_ms(html_times), html_queries.count


def _over_http(server, link):
    """(page ms, page queries, statement download ms, its queries) over HTTP from the reminder link."""
    base = f"http://{HOST}:{PORT}"
    statement = link.replace("/my/balance/reminder/", "/my/balance/statement?reminder_id=").replace(
        "?access_token=", "&access_token="
    )
    results = []
    for url in (link, statement + "&download=1"):
        with urllib.request.urlopen(base + url, timeout=120) as response:  # warm: bundles, views, Chromium
            response.read()
        samples = []
        with tree_cpu(server.process.pid) as cpu:
            for _round in range(REPEAT):
                start = time.perf_counter()
                with urllib.request.urlopen(base + url, timeout=120) as response:
                    body = response.read()
                    if response.status != 200 or not body:
                        raise SystemExit(f"bench_portal: {url} answered {response.status}")
                samples.append(time.perf_counter() - start)
        time.sleep(0.5)  # the request log line is written after the response
        path = url.split("?")[0]
        counts = [int(m["queries"]) for m in REQUEST_LOG.finditer(server.log_text()) if m["path"].split("?")[0] == path]
        results += [median_ms(samples), round(cpu.seconds / REPEAT * 1000), counts[-1] if counts else "?"]
    return [*results, _load()]


@contextmanager
def _phase(phases, name):
    with tree_cpu() as cpu, timer() as wall:
        yield
    phases.append([name, round(wall.seconds * 1000), round(cpu.seconds * 1000)])


def _pdf_phases(env, partner_id):
    """[phase, wall ms, CPU ms] of one statement PDF of `partner_id` in process, and its page count: the steps
    of ir.actions.report._render_qweb_pdf and o2c_base's _o2c_print_with_chromium, timed one by one."""
    from odoo.addons.o2c_base.pdf import chromium, sheets  # importable once environment() set the addons path

    report = env["ir.actions.report"]._get_report(STATEMENT)
    report._render_qweb_pdf(STATEMENT, [partner_id])  # warm: views, stylesheet bundles
    env.invalidate_all()
    phases = []
    with tree_cpu() as total_cpu, timer() as total_wall:
        with _phase(phases, "QWeb HTML (data included)"):
            html_doc = report.with_context(debug=False)._render_qweb_html(STATEMENT, [partner_id])[0]
        with _phase(phases, "Odoo's split into body, header, footer (_prepare_html)"):
            bodies, _ids, header, footer, args = report.with_context(debug=False)._prepare_html(
                html_doc, report_model=report.model
            )
        (width, height), margins = report._o2c_page_geometry(report.get_paperformat(), None, args)
        top, right, bottom, left = margins
        printer = chromium.ChromiumPrinter(report._get_report_url(), report._o2c_report_resource)
        with _phase(phases, "Chromium start"):
            printer.__enter__()
        try:
            with _phase(phases, "Chromium: the body's print"):
                body_pdfs = [
                    printer.print_html(sheets.add_body_style(body), (width, height), margins) for body in bodies
                ]
            counts = [sheets.page_count(pdf) for pdf in body_pdfs]
            with _phase(phases, "Chromium: the header and footer sheets' print"):
                sheets_html = sheets.sheets_document(header, footer, counts, height, top, bottom)
                sheets_pdf = printer.print_html(sheets_html, (width, height), (0.0, right, 0.0, left))
        finally:
            with _phase(phases, "Chromium stop"):
                printer.__exit__(None, None, None)
        with _phase(phases, "stamping the sheets under the pages"):
            sheets.stamp_pages(body_pdfs, sheets_pdf)
    phases.append(
        [f"whole PDF ({sum(counts)} pages)", round(total_wall.seconds * 1000), round(total_cpu.seconds * 1000)]
    )
    return phases


def _chromium_floor(env, partner_id):
    """[what, wall ms, CPU ms] of a fresh Chromium printing a one-page document, and the statement's rows as a
    bare table (no stylesheet, no header nor footer): what Chromium itself costs on this machine."""
    from odoo.addons.o2c_base.pdf import chromium, sheets  # importable once environment() set the addons path

    statement = env["o2c.dunning.statement"]._o2c_statement(env["res.partner"].browse(partner_id), env.company)
    cells = ("name", "kind", "date_label", "date_due_label", "days_overdue", "total_label", "residual_label")
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(item[cell]))}</td>" for cell in cells) + "</tr>"
        for item in statement["items"]
    )
    documents = {
        "one-page document": "<html><body><p>One page.</p></body></html>",
        f"bare table of {len(statement['items'])} rows": f"<html><body><table>{rows}</table></body></html>",
    }
    floor = []
    for name, document in documents.items():
        with tree_cpu() as cpu, timer() as wall, chromium.ChromiumPrinter(f"http://{HOST}:{PORT}") as printer:
            pdf = printer.print_html(document, (210.0, 297.0), (40.0, 7.0, 32.0, 7.0))
        floor.append([f"fresh Chromium: {name} ({sheets.page_count(pdf)} pages)", round(wall.seconds * 1000),
                      round(cpu.seconds * 1000)])  # fmt: skip
    return floor


def main():
    args = arguments(__doc__.splitlines()[0])
    new_database(DB, ["o2c_dunning"])
    with environment(DB) as env:
        customers = _setup(env)
    rows = []
    with environment(DB) as env:
        measures = {name: _in_process(env, partner_id) for name, (partner_id, _link) in customers.items()}
    with tempfile.TemporaryDirectory(prefix="o2c-portal-") as folder:
        config = server_config(DB, PORT, GEVENT_PORT, folder)
        server = Server(config, DB, PORT, str(Path(folder) / "odoo.log"))
        try:
            server.wait_ready()
            for name, (_partner_id, link) in customers.items():
                rows.append([name, *measures[name], *_over_http(server, link)])
            large = customers["Bench Large"][0]
            with environment(DB) as env:  # while the server answers, as the logo is fetched from it
                phases = [*_pdf_phases(env, large), *_chromium_floor(env, large)]
                env.cr.rollback()
            load = _load()
        finally:
            server.stop()
    headers = [
        "customer", "open items", "statement data ms", "data queries", "statement HTML ms", "HTML queries",
        "portal page ms (HTTP)", "page CPU ms", "page queries", "PDF download ms (HTTP)", "download CPU ms",
        "download queries", "load avg",
    ]  # fmt: skip
    table(rows, headers)
    print(f"\nThe statement PDF of Bench Large, phase by phase in process (load average {load}):")
    phase_headers = ["phase", "wall ms", "CPU ms"]
    table(phases, phase_headers)
    write_results(
        args.json,
        "portal",
        [dict(zip(headers, row, strict=True)) for row in rows],
        pdf_phases=[dict(zip(phase_headers, row, strict=True)) for row in phases],
        pdf_phases_load=load,
    )


if __name__ == "__main__":
    main()
