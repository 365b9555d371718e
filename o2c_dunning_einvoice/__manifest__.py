{
    "name": "O2C Dunning × E-invoicing",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "One late-payment mention on invoices and reminders, a charges invoice that passes the e-invoicing "
    "checks, reminders paused while the buyer's payment is on its way (211)",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_dunning", "o2c_einvoice"],
    "auto_install": True,
}
