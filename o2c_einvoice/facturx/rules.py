"""Business rules that decide what kind of Factur-X an invoice is, over plain values.

The Odoo mapping (``o2c.einvoice.facturx.mapping``) reads the invoice and asks these rules: which
document type code (BT-3) it carries, whether it is a down payment (deposit) invoice or the final
invoice that deducts one, and whether it is a French domestic B2B invoice.
"""

INVOICE_TYPE_CODE = "380"  # commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"
DOWN_PAYMENT_TYPE_CODE = "386"  # prepayment (deposit) invoice


def is_deposit_invoice(product_ids, deposit_product_id):
    """True when every product line (``product_ids``, one per line, at least one) is the company's
    down payment product ``deposit_product_id`` (0 or None: no down payment product configured)."""
    return bool(product_ids) and bool(deposit_product_id) and all(pid == deposit_product_id for pid in product_ids)


def is_down_payment_deduction(product_id, deposit_product_id, total):
    """True for a line that deducts an earlier down payment: the down payment product with a negative
    ``total``."""
    return bool(deposit_product_id) and product_id == deposit_product_id and total < 0


def is_final_after_down_payment(lines):
    """True when one of ``lines`` (``document.Line``) deducts a down payment (BT-23 B4/S4/M4)."""
    return any(line.is_down_payment_deduction for line in lines)


def type_code(is_credit_note, is_deposit):
    """BT-3 document type code: 381 credit note, 386 down payment invoice, else 380 invoice."""
    if is_credit_note:
        return CREDIT_NOTE_TYPE_CODE
    return DOWN_PAYMENT_TYPE_CODE if is_deposit else INVOICE_TYPE_CODE


def is_b2b_domestic(seller_country_code, buyer_is_company, buyer_country_code):
    """True for a French seller invoicing a company in France: the French B2B reform rules apply
    (buyer SIREN, electronic address, BAR note)."""
    return seller_country_code == "FR" and bool(buyer_is_company) and buyer_country_code == "FR"
