{
    "name": "O2C Cash Matching",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "Bank statement import (CAMT, OFX) and automatic matching of payments to invoices",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["account"],
    "data": [
        "security/o2c_cashmatch_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/o2c_cashmatch_menus.xml",
    ],
    "installable": True,
    "application": False,
}
