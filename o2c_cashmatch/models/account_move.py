import re

from odoo import models
from odoo.addons.account.tools import format_structured_reference_iso


class AccountMove(models.Model):
    _inherit = "account.move"

    def _get_invoice_computed_reference(self):
        """RF creditor reference built on the invoice number when the company chose RF references."""
        self.ensure_one()
        if self.company_id.o2c_cashmatch_rf_reference and self.is_sale_document(include_receipts=True):
            # ISO 11649 allows 21 alphanumerics after the check digits: the number's, without separators.
            body = re.sub(r"[^0-9A-Za-z]", "", self.name or "").upper()[-21:]
            if body and body != "/":
                return format_structured_reference_iso(body)
        return super()._get_invoice_computed_reference()
