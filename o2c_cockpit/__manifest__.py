{
    "name": "O2C Cockpit",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "Aged balance, order-to-cash figures and dashboard, health check and customer master-data quality",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": [
        "o2c_base",
        "o2c_credit",
        "o2c_dunning",
        "o2c_disputes",
        "o2c_einvoice",
        "o2c_cashmatch",
        "spreadsheet_dashboard",
    ],
    "data": [
        "security/o2c_cockpit_security.xml",
        "security/ir.model.access.csv",
        "views/o2c_cockpit_menus.xml",
        "report/o2c_cockpit_aged_balance_report.xml",
        "wizard/o2c_cockpit_aged_balance_views.xml",
    ],
}
