{
    "name": "O2C Disputes",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "Dispute cases from the back office or the customer portal that suspend dunning until resolved",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_base", "o2c_dunning", "portal"],
    "data": [
        "security/o2c_disputes_security.xml",
        "security/ir.model.access.csv",
        "data/o2c_dispute_data.xml",
        "data/mail_template_data.xml",
        "views/o2c_dispute_views.xml",
        "views/o2c_dispute_report_views.xml",
        "views/account_move_views.xml",
        "views/portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/o2c_disputes_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["o2c_disputes/static/tests/tours/*.js"],
    },
}
