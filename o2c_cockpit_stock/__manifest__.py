{
    "name": "O2C Cockpit × Deliveries",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "The health check measures the days from delivery to invoice and finds the invoices issued long "
    "after their delivery",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_cockpit", "sale_stock"],
    "data": [
        "views/o2c_cockpit_health_check_views.xml",
        "report/o2c_cockpit_health_check_report.xml",
    ],
    "auto_install": True,
}
