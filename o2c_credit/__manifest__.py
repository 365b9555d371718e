{
    "name": "O2C Credit Control",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "summary": "Credit limits that really hold sale orders, auditable approvals, exposure and payment behaviour",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["sale", "account", "mail"],
    "data": [
        "security/o2c_credit_security.xml",
        "security/ir.model.access.csv",
        "security/o2c_credit_rules.xml",
        "data/o2c_credit_data.xml",
        "views/o2c_credit_approval_views.xml",
        "views/o2c_credit_rule_views.xml",
        "views/o2c_credit_exposure_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/o2c_credit_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "o2c_credit/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
