"""Write an `Invoice` as Factur-X CII XML (UN/CEFACT CrossIndustryInvoice D16B) at a chosen profile."""

from decimal import Decimal
from functools import partial

from lxml import etree

from .document import ELECTRONIC_ADDRESS_SCHEME, GUIDELINE_IDS, PROFILE_RANK, SIREN_SCHEME, Invoice, Party

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
VAT_ON_DEBITS_MENTION = "Option pour le paiement de la taxe d'après les débits"


def format_decimal(value, min_places=2):
    """Return `value` as a plain decimal string with at least `min_places` decimals and no rounding,
    so an amount with too many decimals stays visible to the validators (BR-FR-DEC-01)."""
    value = Decimal(value)
    text = format(value.normalize(), "f")
    places = len(text.partition(".")[2])
    if places < min_places:
        text = format(value.quantize(Decimal(1).scaleb(-min_places)), "f")
    return text


def business_process(invoice: Invoice):
    """BT-23: B1 goods, S1 services, M1 mixed; the 4 variants for a final invoice after down payments."""
    kinds = {line.is_service for line in (invoice.supplied_lines or invoice.lines)}
    letter = "M" if kinds == {True, False} else ("S" if kinds == {True} else "B")
    return f"{letter}{4 if invoice.is_final_after_down_payment else 1}"


def vat_due_date_code(invoice: Invoice):
    """BT-8 of `invoice` (see ``Invoice.vat_due_date_code``): 72, 5 or None."""
    return invoice.vat_due_date_code


def sub_element(namespaces, parent, tag, text=None, **attrs):
    """Append element ``prefix:name`` (prefix from ``namespaces``) to ``parent``, with ``text`` and the given
    attributes, empty ones left out."""
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{namespaces[prefix]}}}{name}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = str(text)
    return element


_sub = partial(sub_element, NS)


def _date(parent, tag, value, qualified=False):
    wrapper = _sub(parent, tag)
    _sub(wrapper, "qdt:DateTimeString" if qualified else "udt:DateTimeString", value.strftime("%Y%m%d"), format="102")


def _note(parent, content, subject=None):
    note = _sub(parent, "ram:IncludedNote")
    _sub(note, "ram:Content", content)
    if subject:
        _sub(note, "ram:SubjectCode", subject)


def _address(parent, address):
    postal = _sub(parent, "ram:PostalTradeAddress")
    if address.zip:
        _sub(postal, "ram:PostcodeCode", address.zip)
    if address.line1:
        _sub(postal, "ram:LineOne", address.line1)
    if address.line2:
        _sub(postal, "ram:LineTwo", address.line2)
    if address.city:
        _sub(postal, "ram:CityName", address.city)
    _sub(postal, "ram:CountryID", address.country_code)


def _party(parent, tag, party: Party, rank, with_legal=True):
    node = _sub(parent, tag)
    if party.siret and with_legal:
        _sub(node, "ram:GlobalID", party.siret, schemeID="0009")
    _sub(node, "ram:Name", party.name)
    if with_legal and (party.siren or party.trading_name):
        legal = _sub(node, "ram:SpecifiedLegalOrganization")
        if party.siren:
            _sub(legal, "ram:ID", party.siren, schemeID=SIREN_SCHEME)
        if party.trading_name:
            _sub(legal, "ram:TradingBusinessName", party.trading_name)
    if with_legal and party.email and rank >= PROFILE_RANK["en16931"]:
        contact = _sub(node, "ram:DefinedTradeContact")
        email = _sub(contact, "ram:EmailURIUniversalCommunication")
        _sub(email, "ram:URIID", party.email)
    _address(node, party.address)
    if with_legal and party.electronic_address:
        uri = _sub(node, "ram:URIUniversalCommunication")
        _sub(uri, "ram:URIID", party.electronic_address, schemeID=ELECTRONIC_ADDRESS_SCHEME)
    if with_legal and party.vat:
        registration = _sub(node, "ram:SpecifiedTaxRegistration")
        _sub(registration, "ram:ID", party.vat, schemeID="VA")
    return node


def _line(parent, line, rank):
    item = _sub(parent, "ram:IncludedSupplyChainTradeLineItem")
    _sub(_sub(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.line_id)
    product = _sub(item, "ram:SpecifiedTradeProduct")
    if line.seller_reference and rank >= PROFILE_RANK["en16931"]:
        _sub(product, "ram:SellerAssignedID", line.seller_reference)
    _sub(product, "ram:Name", line.name)
    if line.description and rank >= PROFILE_RANK["en16931"]:
        _sub(product, "ram:Description", line.description)
    agreement = _sub(item, "ram:SpecifiedLineTradeAgreement")
    if line.gross_price is not None and line.gross_price != line.net_price:
        gross = _sub(agreement, "ram:GrossPriceProductTradePrice")
        _sub(gross, "ram:ChargeAmount", format_decimal(line.gross_price))
        allowance = _sub(gross, "ram:AppliedTradeAllowanceCharge")
        _sub(_sub(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
        _sub(allowance, "ram:ActualAmount", format_decimal(line.gross_price - line.net_price))
    _sub(_sub(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", format_decimal(line.net_price))
    _sub(_sub(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", format_decimal(line.quantity),
         unitCode=line.unit_code)  # fmt: skip
    settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    # EXTENDED repeats the exemption of the breakdown on each line (BT-X-591/592, BR-FXEXT-*-08rev).
    extended = rank >= PROFILE_RANK["extended"]
    if extended and line.tax.exemption_reason:
        _sub(tax, "ram:ExemptionReason", line.tax.exemption_reason)
    _sub(tax, "ram:CategoryCode", line.tax.category)
    if extended and line.tax.exemption_code:
        _sub(tax, "ram:ExemptionReasonCode", line.tax.exemption_code)
    if line.tax.category != "O":
        _sub(tax, "ram:RateApplicablePercent", format_decimal(line.tax.rate))
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", format_decimal(line.total))


def build_cii(invoice: Invoice, profile="en16931"):
    """Return the Factur-X CII XML of `invoice` at `profile` (basic, en16931, extended) as UTF-8 bytes."""
    rank = PROFILE_RANK[profile]
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    _sub(_sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", business_process(invoice))
    _sub(_sub(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE_IDS[profile])

    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", invoice.number)
    _sub(document, "ram:TypeCode", invoice.type_code)
    _date(document, "ram:IssueDateTime", invoice.issue_date)
    for content in invoice.notes:
        _note(document, content)
    if invoice.vat_on_debits:
        _note(document, VAT_ON_DEBITS_MENTION)
    for content, subject in (
        (invoice.penalty_note, "PMD"),
        (invoice.recovery_fee_note, "PMT"),
        (invoice.discount_note, "AAB"),
    ):
        if content:
            _note(document, content, subject)
    if invoice.b2b_domestic:
        _note(document, "B2B", "BAR")

    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for line in invoice.lines:
        _line(transaction, line, rank)

    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.buyer_reference:
        _sub(agreement, "ram:BuyerReference", invoice.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", invoice.seller, rank)
    _party(agreement, "ram:BuyerTradeParty", invoice.buyer, rank)
    if invoice.order_reference:
        _sub(_sub(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", invoice.order_reference)
    if invoice.contract_reference:
        _sub(_sub(agreement, "ram:ContractReferencedDocument"), "ram:IssuerAssignedID", invoice.contract_reference)

    delivery = _sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    if invoice.delivery:
        _party(delivery, "ram:ShipToTradeParty", invoice.delivery, rank, with_legal=False)
    # Without a known delivery date, the supply is dated by the invoice (an empty block is a PEPPOL warning).
    event = _sub(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", invoice.delivery_date or invoice.issue_date)

    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    if invoice.payment_reference:
        _sub(settlement, "ram:PaymentReference", invoice.payment_reference)
    if invoice.currency != invoice.accounting_currency:
        _sub(settlement, "ram:TaxCurrencyCode", invoice.accounting_currency)
    _sub(settlement, "ram:InvoiceCurrencyCode", invoice.currency)
    if invoice.payee:
        # BG-10: the factor the invoice is assigned to is paid, not the seller (BT-59 name, BT-61 SIREN).
        payee = _sub(settlement, "ram:PayeeTradeParty")
        _sub(payee, "ram:Name", invoice.payee.name)
        if invoice.payee.siren:
            legal = _sub(payee, "ram:SpecifiedLegalOrganization")
            _sub(legal, "ram:ID", invoice.payee.siren, schemeID=SIREN_SCHEME)
    if invoice.iban or invoice.payment_means_code != "30":
        means = _sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _sub(means, "ram:TypeCode", invoice.payment_means_code)
        if invoice.iban:
            _sub(_sub(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", invoice.iban)
        if invoice.bic and rank >= PROFILE_RANK["en16931"]:
            _sub(_sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", invoice.bic)
    due_code = vat_due_date_code(invoice)
    for block in invoice.tax_blocks:
        tax = _sub(settlement, "ram:ApplicableTradeTax")
        _sub(tax, "ram:CalculatedAmount", format_decimal(block.amount))
        _sub(tax, "ram:TypeCode", "VAT")
        if block.tax.exemption_reason:
            _sub(tax, "ram:ExemptionReason", block.tax.exemption_reason)
        _sub(tax, "ram:BasisAmount", format_decimal(block.basis))
        _sub(tax, "ram:CategoryCode", block.tax.category)
        if block.tax.exemption_code:
            _sub(tax, "ram:ExemptionReasonCode", block.tax.exemption_code)
        if due_code:
            _sub(tax, "ram:DueDateTypeCode", due_code)
        if block.tax.category != "O":
            _sub(tax, "ram:RateApplicablePercent", format_decimal(block.tax.rate))
    if len(invoice.instalments) > 1 and rank >= PROFILE_RANK["extended"]:
        # EXTENDED states each instalment (BT-9 and its amount); the other profiles keep one term block whose
        # description lists them all.
        for index, (due_date, amount) in enumerate(invoice.instalments):
            terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
            if index == 0 and invoice.payment_terms:
                _sub(terms, "ram:Description", invoice.payment_terms)
            _date(terms, "ram:DueDateDateTime", due_date)
            _sub(terms, "ram:PartialPaymentAmount", format_decimal(amount))
    elif invoice.payment_terms or invoice.due_date:
        terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
        if invoice.payment_terms:
            _sub(terms, "ram:Description", invoice.payment_terms)
        if invoice.due_date:
            _date(terms, "ram:DueDateDateTime", invoice.due_date)
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", format_decimal(invoice.line_total))
    _sub(summation, "ram:TaxBasisTotalAmount", format_decimal(invoice.tax_basis_total))
    _sub(summation, "ram:TaxTotalAmount", format_decimal(invoice.tax_total), currencyID=invoice.currency)
    if invoice.currency != invoice.accounting_currency and invoice.tax_total_accounting is not None:
        _sub(summation, "ram:TaxTotalAmount", format_decimal(invoice.tax_total_accounting),
             currencyID=invoice.accounting_currency)  # fmt: skip
    if invoice.rounding_amount and rank >= PROFILE_RANK["en16931"]:
        _sub(summation, "ram:RoundingAmount", format_decimal(invoice.rounding_amount))
    _sub(summation, "ram:GrandTotalAmount", format_decimal(invoice.grand_total))
    _sub(summation, "ram:TotalPrepaidAmount", format_decimal(invoice.prepaid_amount))
    _sub(summation, "ram:DuePayableAmount", format_decimal(invoice.due_amount))
    preceding = list(invoice.down_payment_invoices)
    if invoice.preceding_invoice_number:
        preceding.insert(0, (invoice.preceding_invoice_number, invoice.preceding_invoice_date))
    for number, issued in preceding:
        # EN 16931 BT-25: the invoice a credit note corrects, or the prepayment invoices a final invoice deducts.
        reference = _sub(settlement, "ram:InvoiceReferencedDocument")
        _sub(reference, "ram:IssuerAssignedID", number)
        if issued:
            _date(reference, "ram:FormattedIssueDateTime", issued, qualified=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
