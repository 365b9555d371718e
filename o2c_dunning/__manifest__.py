{
    "name": "O2C Dunning",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "Escalating reminder ladders: emails, letters, calls, formal notice and French late-payment charges",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["account", "mail", "portal"],
    "data": [
        "security/o2c_dunning_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/o2c_dunning_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
