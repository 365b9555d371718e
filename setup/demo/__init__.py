"""Deterministic demo data of the O2C suite: `load_all(env, size, seed)`.

`plan.py` draws the company's customers, products, orders and payments from a seed (plain data),
`base.py` loads them through the ORM, then each area of the suite adds its own demo content in
`setup/demo/<area>.py` through `load(env, base)`, in the order of AREAS; `story.py` then brings one named
customer to each step of the cycle, and the first dunning run reminds the customers once every area has set
up its invoices (disputes suspend some, the statement pays others).
"""

import importlib
import importlib.util

from . import base, plan

AREAS = ("credit", "dunning", "disputes", "einvoice", "story", "cashmatch", "dunning_run", "cockpit")
# The addons an area needs when it is not only its own o2c_<area>.
AREA_ADDONS = {
    "story": ("o2c_credit", "o2c_dunning", "o2c_disputes", "o2c_einvoice", "o2c_cashmatch", "o2c_disputes_einvoice"),
    "dunning_run": ("o2c_dunning",),
}


def load_all(env, size="demo", seed=2026, today=None):
    """Load the base company and every area's demo data; return the `DemoBase`."""
    demo_base = base.load(env, plan.make_plan(size, seed, today))
    # The invoices the areas create by hand are the salesperson's too, as those made from her orders.
    env = env(context=dict(env.context, default_invoice_user_id=demo_base.salesperson.id))
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    for area in AREAS:
        if importlib.util.find_spec(f"{__name__}.{area}") is None:
            continue  # that area has no demo content yet
        if not set(AREA_ADDONS.get(area, (f"o2c_{area}",))) <= installed:
            continue  # a database without that addon (a benchmark's) gets the other areas
        importlib.import_module(f"{__name__}.{area}").load(env, demo_base)
    return demo_base
