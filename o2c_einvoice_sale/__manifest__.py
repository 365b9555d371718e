{
    "name": "O2C E-invoicing × Sales",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "The Factur-X of an invoice made from a sale order states the customer's order reference (BT-13) and "
    "the down payments of Odoo's down-payment wizard",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_einvoice", "sale"],
    "auto_install": True,
}
