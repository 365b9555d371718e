"""Business rules that decide what kind of Factur-X an invoice is, over plain values.

The Odoo mapping (``o2c.einvoice.facturx.mapping``) reads the invoice and asks these rules: which
document type code (BT-3) it carries, whether it is a down payment (deposit) invoice or the final
invoice that deducts one, and whether it is a French domestic B2B invoice.
"""

from datetime import timedelta

INVOICE_TYPE_CODE = "380"  # commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"
DOWN_PAYMENT_TYPE_CODE = "386"  # prepayment (deposit) invoice


def is_deposit_invoice(down_payment_flags):
    """True when every line of the invoice (``down_payment_flags``: one bool per line, at least one) invoices
    a down payment (see ``is_down_payment_line``): a down payment invoice, type 386."""
    return bool(down_payment_flags) and all(down_payment_flags)


def is_down_payment_deduction(is_down_payment, total):
    """True for a down payment line (``is_down_payment``) with a negative ``total``: it deducts an earlier
    down payment from the final invoice."""
    return bool(is_down_payment) and total < 0


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


# French chart of accounts (PCG): income accounts that say what is sold, for lines without a product.
GOODS_INCOME_PREFIXES = ("701", "702", "703", "707")  # finished, intermediate, residual products; merchandise
SERVICE_INCOME_PREFIXES = ("704", "705", "706")  # works, studies, services
DOWN_PAYMENT_ACCOUNT_PREFIXES = ("4191",)  # customers - down payments received on orders
SUPPLY_GOODS = "goods"
SUPPLY_SERVICES = "services"


def account_supply_kind(account_code):
    """``goods``, ``services`` or None (the income account ``account_code`` does not tell)."""
    code = account_code or ""
    if code.startswith(GOODS_INCOME_PREFIXES):
        return SUPPLY_GOODS
    if code.startswith(SERVICE_INCOME_PREFIXES):
        return SUPPLY_SERVICES
    return None


def line_is_service(product_type, tax_due_on_payment, account_code, tax_scope, company_default):
    """True when an invoice line supplies services, False for goods. The product's type decides when there is a
    product (``product_type`` 'service', 'consu' or 'combo'); for a line without product: a tax due on payment
    means services (French rule: VAT on goods is due on delivery), then the income account (PCG 701-703, 707
    goods; 704-706 services), then the tax's scope ('service' or 'consu'), else ``company_default``
    (``goods`` or ``services``)."""
    if product_type:
        return product_type == "service"
    if tax_due_on_payment:
        return True
    kind = account_supply_kind(account_code)
    if kind:
        return kind == SUPPLY_SERVICES
    if tax_scope in ("service", "consu"):
        return tax_scope == "service"
    return company_default == SUPPLY_SERVICES


def is_down_payment_account(account_code):
    """True for the down payment account of the French chart (4191, advances received on orders)."""
    return (account_code or "").startswith(DOWN_PAYMENT_ACCOUNT_PREFIXES)


def is_down_payment_line(product_id, deposit_product_id, account_code, is_downpayment=False):
    """True for a line that invoices or deducts a down payment: flagged so by Odoo's sale down-payment
    wizard (``is_downpayment``), on the company's down payment product, or booked on the down payment
    account."""
    return (
        bool(is_downpayment)
        or (bool(deposit_product_id) and product_id == deposit_product_id)
        or is_down_payment_account(account_code)
    )


# BT-20 of a credit note without payment terms: what is owed is settled against the invoice (BR-CO-25).
CREDIT_NOTE_TERMS = "Avoir imputé sur la facture d'origine ou remboursé"


def early_discount_note(percentage, days, invoice_date=None):
    """AAB note stating the early payment discount granted by the payment terms: ``percentage`` (Decimal)
    for a payment within ``days`` days of the invoice date."""
    text = f"Escompte de {format(percentage.normalize(), 'f').replace('.', ',')} % pour paiement sous {days} jours"
    if invoice_date:
        return f"{text} (avant le {_french_date(invoice_date, days)})."
    return f"{text}."


def _french_date(start, days):
    return (start + timedelta(days=days)).strftime("%d/%m/%Y")


def instalments_description(terms_name, instalments, currency):
    """BT-20 listing every instalment (due date and amount) after the name ``terms_name`` of the terms."""
    parts = [f"{amount:.2f} {currency} le {due_date.strftime('%d/%m/%Y')}" for due_date, amount in instalments]
    prefix = f"{terms_name} : " if terms_name else ""
    return f"{prefix}{' ; '.join(parts)}"
