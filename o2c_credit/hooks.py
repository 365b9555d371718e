from odoo.tools import SQL

from .models.account_move import OPEN_RECEIVABLE_INDEX


def post_init_hook(env):
    """Turn on Odoo's own credit limits in every company: this addon enforces them."""
    env["res.company"].search([]).write({"account_use_credit_limit": True})


def uninstall_hook(env):
    """Drop the index this addon put on Odoo's journal items."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(OPEN_RECEIVABLE_INDEX)))
