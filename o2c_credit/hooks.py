def post_init_hook(env):
    """Turn on Odoo's own credit limits in every company: this addon enforces them."""
    env["res.company"].search([]).write({"account_use_credit_limit": True})
