{
    "name": "O2C E-invoicing × Chorus Pro",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "summary": "The Factur-X states the Chorus Pro fields of Odoo's l10n_fr_facturx_chorus_pro (service code, "
    "commitment number, contract) and the SIRET, as Odoo's own Factur-X writes them",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_einvoice", "l10n_fr_facturx_chorus_pro"],
    "auto_install": True,
}
