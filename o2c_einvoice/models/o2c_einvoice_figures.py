from odoo import api, models


class O2cEinvoiceFigures(models.AbstractModel):
    """E-invoicing figures gathered by the order-to-cash cockpit."""

    _name = "o2c.einvoice.figures"
    _description = "E-invoicing figures"

    @api.model
    def _o2c_failed_checks_domain(self, company, date_from):
        """Domain of the customer invoices dated since ``date_from`` whose Factur-X failed the checks before issue."""
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("invoice_date", ">=", date_from),
            ("o2c_einvoice_state", "=", "error"),
        ]
