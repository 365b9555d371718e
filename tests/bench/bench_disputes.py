"""Benchmark of o2c_disputes: what disputes cost the dunning run and the KPI views.

One database with o2c_disputes, 1,000 customers and up to 10,000 open invoices (cloned in bulk SQL
from one posted invoice), one dispute on every tenth invoice. Measures:

* the dunning exclusion hook ``account.move._o2c_dunning_excluded()`` over all open invoices, with
  the disputes (our override) and without any (o2c_dunning's base: the "no dunning" flags and promises,
  i.e. what OCA's ``account_invoice_blocking`` flag offers: that module has no 18.0 release, so there
  is no OCA baseline to install and no ``oca-disputes.txt``);
* opening the disputes in one ``create`` (per dispute);
* the KPI pivots: open disputed amount by reason, dispute rate by customer (``read_group``).

    .venv/bin/python tests/bench/bench_disputes.py --json OUT.json
"""

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

from odoo import Command

DB = "o2c_bench_disputes"
CUSTOMERS = 1000
SIZES = (2000, 10000)
DISPUTED_SHARE = 10  # one invoice in ten is disputed


def _setup(env):
    """Customers and one posted template invoice; returns (partner ids, template move id)."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    partners = env["res.partner"].create(
        [{"name": f"Bench Customer {i:04d}", "is_company": True} for i in range(CUSTOMERS)]
    )
    template = posted_service_invoice(env, partners[0])
    env.flush_all()
    return partners.ids, template.id


def _clone(env, template_id, partner_ids, first, last):
    """Clone the template invoice as invoices number first..last-1, spread over the customers."""
    partner = "(%(partners)s)[1 + g %% %(count)s]"
    clone_invoices(
        env,
        template_id,
        first,
        last,
        {"partner_id": partner, "commercial_partner_id": partner},
        {"partners": partner_ids, "count": len(partner_ids)},
    )


def _open_invoices(env):
    return env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("payment_state", "=", "not_paid")]
    )


def _close_all(env):
    """Close the disputes of the previous size in bulk SQL (they stay in the KPIs, out of dunning)."""
    closed = env.ref("o2c_disputes.o2c_dispute_stage_closed")
    env.cr.execute(
        "UPDATE o2c_dispute SET stage_id = %s, state = 'closed', outcome = 'rejected', amount_open = 0, "
        "date_resolved = CURRENT_DATE WHERE state = 'open'",
        [closed.id],
    )
    env.invalidate_all()


def _exclusion(env):
    """(seconds, queries, invoices excluded) of the exclusion hook over every open invoice, cold cache."""
    invoices = _open_invoices(env)
    env.invalidate_all()
    with count_queries(env) as queries, timer() as clock:
        excluded = invoices._o2c_dunning_excluded()
    return clock.seconds, queries.count, sum(1 for amount in excluded.values() if amount)


def _open_disputes(env, invoices):
    """Open one dispute of 300.00 on every tenth invoice of `invoices`, in one create; (seconds, queries, n)."""
    reason = env.ref("o2c_disputes.o2c_dispute_reason_price")
    targets = invoices[::DISPUTED_SHARE]
    vals_list = [
        {
            "partner_id": invoice.commercial_partner_id.id,
            "invoice_ids": [Command.set(invoice.ids)],
            "amount_disputed": 300.0,
            "reason_id": reason.id,
        }
        for invoice in targets
    ]
    disputes = env["o2c.dispute"].with_context(tracking_disable=True, mail_create_nolog=True)
    with count_queries(env) as queries, timer() as clock:
        disputes.create(vals_list)
        env.flush_all()
    return clock.seconds, queries.count, len(targets)


def _kpis(env):
    """(seconds, queries) of the two KPI pivots the accountants open first."""
    with count_queries(env) as queries, timer() as clock:
        env["o2c.dispute.report"].read_group([], ["amount_open", "resolution_days", "open_age_days"], ["reason_id"])
        env["o2c.dispute.invoice.report"].read_group(
            [], ["invoice_dispute_rate", "revenue_dispute_rate"], ["partner_id"], lazy=False
        )
    return clock.seconds, queries.count


def main():
    args = arguments(__doc__)
    new_database(DB, ["o2c_disputes"])
    rows = []
    with environment(DB) as env:
        partner_ids, template_id = _setup(env)
    done = 1
    for size in SIZES:
        with environment(DB) as env:
            _clone(env, template_id, partner_ids, done, size)
            done = size
        with environment(DB) as env:
            _close_all(env)
        with environment(DB) as env:
            base_s, base_q, _n = _exclusion(env)
        with environment(DB) as env:
            create_s, create_q, created = _open_disputes(env, _open_invoices(env))
        with environment(DB) as env:
            ours_s, ours_q, excluded = _exclusion(env)
            kpi_s, kpi_q = _kpis(env)
            disputes = env["o2c.dispute"].search_count([])
        rows += [
            [size, "exclusion hook, no open dispute", round(base_s * 1000, 1), base_q, 0],
            [size, f"exclusion hook, {created} open disputes", round(ours_s * 1000, 1), ours_q, excluded],
            [size, f"open {created} disputes (one create)", round(create_s * 1000, 1), create_q, created],
            [size, "KPI pivots (by reason, by customer)", round(kpi_s * 1000, 1), kpi_q, disputes],
        ]
    headers = ["open invoices", "measure", "ms", "SQL queries", "records"]
    table(rows, headers)
    write_results(args.json, "disputes", [dict(zip(headers, row, strict=True)) for row in rows])


if __name__ == "__main__":
    main()
