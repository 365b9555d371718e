"""The demo's first dunning run, after every area has set up its invoices: what a collector finds on the
first morning (reminders planned, not sent yet)."""


def load(env, base):
    """Run the dunning of the demo company on the demo's date, without sending."""
    env["o2c.dunning.communication"]._o2c_run(companies=base.company, run_date=base.today, send=False)
