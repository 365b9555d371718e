{
    "name": "O2C E-invoicing (Factur-X)",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "Validated Factur-X e-invoices, French 2026 mentions, checks before issue and lifecycle statuses",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["account"],
    "data": [
        "security/o2c_einvoice_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/o2c_einvoice_menus.xml",
    ],
    "installable": True,
    "application": False,
}
