"""Pure core of o2c_einvoice: Factur-X (CII) building, validation, PDF/A-3 embedding, CDAR lifecycle
messages and the checks before issue. Plain Python over dataclasses: no `odoo` import here."""
