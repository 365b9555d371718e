"""Benchmark of o2c_dunning's customer account: the statement and the portal account page of a customer
with many open items.

One database with o2c_dunning, two customers with 200 and 2,000 open invoices (cloned in bulk SQL from one
posted invoice, due dates spread over 60 days around today) and one sent reminder each, whose email link
opens the account page. Measures, for each customer:

* the statement: its data (``o2c.dunning.statement._o2c_statement``) and its QWeb rendering to HTML in
  process (time, SQL queries);
* the portal account page and the statement PDF download (Chromium through o2c_base) over HTTP from the
  real Odoo server (2 workers), opened from the reminder link without a portal account: wall time as the
  client sees it (median of 5, after one warm-up request) and the SQL queries of the request (Odoo's
  request log).

No baseline: Odoo Community and OCA 18.0 have no customer statement on the portal (OCA's
``partner_statement`` has no 18.0 release); the target is the issue's: each page <= 1 s at 2,000 items,
queries not growing with the items.

    .venv/bin/python tests/bench/bench_portal.py --json OUT.json
        (database: $O2C_BENCH_PORTAL_DB; server ports: $O2C_BENCH_PORTAL_PORT and the next one)
"""

import os
import re
import tempfile
import time
import urllib.request
from pathlib import Path

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
REQUEST_LOG = re.compile(r'"GET (?P<path>\S+) HTTP/1\.1" (?P<status>\d+) - (?P<queries>\d+) ')


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
        results += [median_ms(samples), counts[-1] if counts else "?"]
    return results


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
        finally:
            server.stop()
    headers = [
        "customer", "open items", "statement data ms", "data queries", "statement HTML ms", "HTML queries",
        "portal page ms (HTTP)", "page queries", "PDF download ms (HTTP)",
        "download queries",
    ]  # fmt: skip
    table(rows, headers)
    write_results(args.json, "portal", [dict(zip(headers, row, strict=True)) for row in rows])


if __name__ == "__main__":
    main()
