"""Deterministic demo data of the O2C suite: `load_all(env, size, seed)`.

`plan.py` draws the company's customers, products, orders and payments from a seed (plain data),
`base.py` loads them through the ORM, then each area of the suite adds its own demo content in
`setup/demo/<area>.py` through `load(env, base)`, in the order of AREAS.
"""

import importlib
import importlib.util

from . import base, plan

AREAS = ("credit", "dunning", "disputes", "einvoice", "cashmatch", "cockpit")


def load_all(env, size="demo", seed=2026, today=None):
    """Load the base company and every area's demo data; return the `DemoBase`."""
    demo_base = base.load(env, plan.make_plan(size, seed, today))
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    for area in AREAS:
        if importlib.util.find_spec(f"{__name__}.{area}") is None:
            continue  # that area has no demo content yet
        if f"o2c_{area}" not in installed:
            continue  # a database without that addon (a benchmark's) gets the other areas
        importlib.import_module(f"{__name__}.{area}").load(env, demo_base)
    return demo_base
