"""python -m setup.demo CONFIG DB [SIZE] — load the demo data into database DB once."""

import sys

import odoo
from odoo.modules.registry import Registry

from . import load_all

MARKER = "o2c.demo_loaded"


def main(config, dbname, size="demo"):
    """Load the demo data unless database `dbname` already has it."""
    odoo.tools.config.parse_config(["-c", config, "-d", dbname])
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        # In the administrator's language: without one, Odoo's "%s created" was French but the model's
        # name English ("Dispute créé"), and every text the loader has Odoo write came out half translated.
        admin = env.ref("base.user_admin")
        env = env(context={"lang": admin.lang, "tz": admin.tz})
        if env["ir.config_parameter"].get_param(MARKER):
            print(f"o2c demo: {dbname} already has the demo data ({env['ir.config_parameter'].get_param(MARKER)}).")
            return
        base = load_all(env, size if size in ("demo", "bench") else int(size))
        env["ir.config_parameter"].set_param(MARKER, f"size={size} seed={base.plan.seed}")
        print(f"o2c demo: {len(base.customers)} customers, {len(base.invoices)} invoices loaded into {dbname}.")


if __name__ == "__main__":
    main(*sys.argv[1:4])
