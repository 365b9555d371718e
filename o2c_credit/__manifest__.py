{
    "name": "O2C Credit Control",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "summary": "Credit limits that really hold sale orders, auditable approvals, exposure and payment behaviour",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["sale", "account"],
    "data": [
        "security/o2c_credit_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/o2c_credit_menus.xml",
    ],
    "installable": True,
    "application": False,
}
