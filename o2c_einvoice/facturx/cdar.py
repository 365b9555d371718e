"""CDAR (UN/CEFACT CrossDomainAcknowledgementAndResponse D22B) lifecycle status messages of the French
reform: build the message a seller sends (e.g. 212 Encaissée) and read the ones a platform sends back."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from lxml import etree

from odoo.addons.o2c_base.tools.errors import CoreError
from odoo.addons.o2c_base.tools.safe_xml import parse_untrusted_xml

from .cii import format_decimal, sub_element

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}

_sub = partial(sub_element, NS)
GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:invoice"


class CdarError(CoreError):
    """The file is not a CDAR status message this reader understands."""


@dataclass(frozen=True)
class PaidAmount:
    """MDG-43 `MEN` characteristic: amount received at one VAT rate (212 Encaissée)."""

    amount: Decimal
    vat_rate: Decimal


@dataclass(frozen=True)
class StatusMessage:
    """One lifecycle status about one invoice."""

    message_id: str
    issued_at: datetime
    invoice_number: str
    invoice_date: date | None
    invoice_type_code: str
    status_code: str
    seller_siren: str
    sender_role: str = "SE"
    recipient_siren: str = ""
    recipient_address: str = ""
    recipient_role: str = "BY"
    reason_code: str = ""
    reason: str = ""
    status_date: date | None = None
    paid_amounts: tuple[PaidAmount, ...] = field(default_factory=tuple)
    currency: str = "EUR"


def _party(parent, tag, siren, role, address=""):
    party = _sub(parent, tag)
    if siren:
        _sub(party, "ram:GlobalID", siren, schemeID="0002")
    _sub(party, "ram:RoleCode", role)
    if address:
        _sub(_sub(party, "ram:URIUniversalCommunication"), "ram:URIID", address, schemeID="0225")
    return party


def build_cdar(message: StatusMessage):
    """Return the CDAR XML (UTF-8 bytes) of one status message."""
    root = etree.Element(f"{{{NS['rsm']}}}CrossDomainAcknowledgementAndResponse", nsmap=NS)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    _sub(_sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", "REGULATED")
    _sub(_sub(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", message.message_id)
    _sub(document, "ram:Name", "Statut de facture")
    issued = _sub(document, "ram:IssueDateTime")
    _sub(issued, "udt:DateTimeString", message.issued_at.strftime("%Y%m%d%H%M%S"), format="204")
    _party(document, "ram:SenderTradeParty", "", message.sender_role)
    _party(document, "ram:IssuerTradeParty", message.seller_siren, message.sender_role)
    _party(document, "ram:RecipientTradeParty", message.recipient_siren, message.recipient_role,
           message.recipient_address)  # fmt: skip
    acknowledgement = _sub(root, "rsm:AcknowledgementDocument")
    _sub(acknowledgement, "ram:TypeCode", "23")
    issued = _sub(acknowledgement, "ram:IssueDateTime")
    _sub(issued, "udt:DateTimeString", message.issued_at.strftime("%Y%m%d%H%M%S"), format="204")
    reference = _sub(acknowledgement, "ram:ReferenceReferencedDocument")
    _sub(reference, "ram:IssuerAssignedID", message.invoice_number)
    _sub(reference, "ram:TypeCode", message.invoice_type_code)
    if message.invoice_date:
        formatted = _sub(reference, "ram:FormattedIssueDateTime")
        _sub(formatted, "qdt:DateTimeString", message.invoice_date.strftime("%Y%m%d"), format="102")
    _sub(reference, "ram:ProcessConditionCode", message.status_code)
    _party(reference, "ram:IssuerTradeParty", message.seller_siren, "SE")
    status = _sub(reference, "ram:SpecifiedDocumentStatus")
    if message.status_date:
        when = _sub(status, "ram:ReferenceDateTime")
        _sub(when, "udt:DateTimeString", message.status_date.strftime("%Y%m%d"), format="102")
    if message.reason_code:
        _sub(status, "ram:ReasonCode", message.reason_code)
    if message.reason:
        _sub(status, "ram:Reason", message.reason)
    _sub(status, "ram:SequenceNumeric", "1")
    for paid in message.paid_amounts:
        characteristic = _sub(status, "ram:SpecifiedDocumentCharacteristic")
        _sub(characteristic, "ram:TypeCode", "MEN")
        _sub(characteristic, "ram:ValueAmount", format_decimal(paid.amount), currencyID=message.currency)
        _sub(characteristic, "ram:ValuePercent", format_decimal(paid.vat_rate))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(node, path):
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _parse_date(text):
    return datetime.strptime(text[:8], "%Y%m%d").date() if text else None


def parse_cdar(xml_bytes):
    """Read every status of a CDAR message; returns a list of `StatusMessage`. Raises `XmlRefused` for a file
    that is not safe, well-formed XML (a DTD, entities, too large), `CdarError` for XML that is not CDAR."""
    root = parse_untrusted_xml(xml_bytes)
    if root.tag != f"{{{NS['rsm']}}}CrossDomainAcknowledgementAndResponse":
        raise CdarError("not_cdar", "not a CrossDomainAcknowledgementAndResponse (CDAR) message")
    message_id = _text(root, "rsm:ExchangedDocument/ram:ID")
    issued_text = _text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")
    try:
        issued_at = datetime.strptime(issued_text[:14].ljust(14, "0"), "%Y%m%d%H%M%S") if issued_text else None
    except ValueError as error:
        raise CdarError("bad_date", "bad issue date %(date)s", date=issued_text) from error
    sender_role = _text(root, "rsm:ExchangedDocument/ram:SenderTradeParty/ram:RoleCode")
    statuses = []
    for reference in root.iterfind("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument", NS):
        status_code = _text(reference, "ram:ProcessConditionCode")
        if not status_code:
            raise CdarError("no_status_code", "a referenced invoice has no status code (ProcessConditionCode)")
        status = reference.find("ram:SpecifiedDocumentStatus", NS)
        paid = ()
        if status is not None:
            paid = tuple(
                PaidAmount(Decimal(_text(item, "ram:ValueAmount") or 0), Decimal(_text(item, "ram:ValuePercent") or 0))
                for item in status.iterfind("ram:SpecifiedDocumentCharacteristic", NS)
                if _text(item, "ram:TypeCode") == "MEN"
            )
        statuses.append(
            StatusMessage(
                message_id=message_id,
                issued_at=issued_at,
                invoice_number=_text(reference, "ram:IssuerAssignedID"),
                invoice_date=_parse_date(_text(reference, "ram:FormattedIssueDateTime/qdt:DateTimeString")),
                invoice_type_code=_text(reference, "ram:TypeCode"),
                status_code=status_code,
                seller_siren=_text(reference, "ram:IssuerTradeParty/ram:GlobalID"),
                sender_role=sender_role,
                reason_code=_text(status, "ram:ReasonCode") if status is not None else "",
                reason=_text(status, "ram:Reason") if status is not None else "",
                status_date=_parse_date(_text(status, "ram:ReferenceDateTime/udt:DateTimeString"))
                if status is not None
                else None,
                paid_amounts=paid,
            )
        )
    if not statuses:
        raise CdarError("no_invoice", "the message references no invoice")
    return statuses
