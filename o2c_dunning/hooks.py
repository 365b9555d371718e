def post_init_hook(env):
    """Give every existing company the default ladder."""
    env["res.company"].search([])._o2c_dunning_create_default_ladder()
