{
    "name": "O2C Disputes × E-invoicing",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "summary": "A dispute marks its invoices 207 En litige; its resolution writes the matching lifecycle status",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_disputes", "o2c_einvoice"],
    "auto_install": True,
}
