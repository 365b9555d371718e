{
    "name": "O2C E-invoicing (Factur-X)",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "Validated Factur-X e-invoices, French 2026 mentions, checks before issue and lifecycle statuses",
    "author": "O2C Suite",
    "license": "LGPL-3",
    # account_edi_ubl_cii is auto-installed with account; we depend on it to replace its unvalidated Factur-X.
    "depends": ["account", "account_edi_ubl_cii", "o2c_base"],
    "external_dependencies": {"python": ["factur-x", "saxonche", "python-stdnum", "pyfrctc"], "bin": ["gs"]},
    "data": [
        "security/o2c_einvoice_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "data/account_tax_data.xml",
        "data/o2c_einvoice_platform_cron.xml",
        "views/o2c_einvoice_status_views.xml",
        "views/o2c_einvoice_batch_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/o2c_einvoice_menus.xml",
        "views/o2c_einvoice_platform_views.xml",
        "report/report_invoice.xml",
    ],
    "assets": {
        "web.assets_tests": ["o2c_einvoice/static/tests/tours/*.js"],
    },
}
