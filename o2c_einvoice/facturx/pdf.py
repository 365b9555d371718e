"""Turn a rendered invoice PDF into a Factur-X PDF/A-3b: Ghostscript converts it to PDF/A-3 (sRGB output
intent, embedded fonts), the `factur-x` library embeds the XML and writes the Factur-X XMP, and the result is
read back before anyone may send it."""

import hashlib
import io
import os
import shutil
import subprocess
import tempfile

import facturx
from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from odoo.addons.o2c_base.tools.errors import CoreError

from .document import PROFILES

XMP_LEVEL = {"basic": "BASIC", "en16931": "EN 16931", "extended": "EXTENDED"}
_PDFA_DEF = """%!
/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1)
  /RegistryName (http://www.color.org) >> /PUT pdfmark
[{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] >> /PUT pdfmark
"""


class FacturxPdfError(CoreError):
    """The Factur-X PDF could not be produced or does not read back as expected."""


def ghostscript():
    """Path of the Ghostscript executable, or None."""
    return shutil.which("gs")


def to_pdfa3(pdf_bytes, icc_profile_path, timeout=120):
    """Convert `pdf_bytes` to PDF/A-3b with Ghostscript (sRGB output intent from `icc_profile_path`)."""
    return _ghostscript_pdfa3([pdf_bytes], icc_profile_path, timeout)


def _ghostscript_pdfa3(pdfs, icc_profile_path, timeout):
    """One PDF/A-3b of the pages of every PDF of `pdfs`, in order, by one Ghostscript run (which reads each
    file after the other)."""
    executable = ghostscript()
    if not executable:
        raise FacturxPdfError("no_ghostscript", "Ghostscript (gs) is not installed: it is needed to produce PDF/A-3.")
    with tempfile.TemporaryDirectory(prefix="o2c-pdfa-") as folder:
        target, definition = (os.path.join(folder, name) for name in ("out.pdf", "pdfa.ps"))
        sources = []
        for index, pdf in enumerate(pdfs):
            sources.append(os.path.join(folder, f"in{index}.pdf"))
            with open(sources[-1], "wb") as handle:
                handle.write(pdf)
        with open(definition, "w", encoding="ascii") as handle:
            handle.write(_PDFA_DEF.format(icc=icc_profile_path))
        command = [
            executable, "-q", "-dPDFA=3", "-dBATCH", "-dNOPAUSE", "-dNOOUTERSAVE", "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB", "-sDEVICE=pdfwrite", f"--permit-file-read={icc_profile_path}",
            f"-sOutputFile={target}", definition, *sources,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        if result.returncode != 0 or not os.path.exists(target):
            raise FacturxPdfError(
                "pdfa_conversion",
                "Ghostscript could not convert the PDF to PDF/A-3: %(output)r",
                output=result.stderr[-500:],
            )
        with open(target, "rb") as handle:
            return handle.read()


def to_pdfa3_many(pdfs, icc_profile_path, timeout=300):
    """The PDF/A-3b of each PDF of `pdfs`, in order, converted by one Ghostscript run over them all (starting
    Ghostscript costs more than converting an invoice's page; it reads the files one after the other, so they
    are never merged here first), then cut back into one PDF per input, each with the PDF/A output intent of
    the run."""
    if len(pdfs) <= 1:
        return [to_pdfa3(pdf, icc_profile_path) for pdf in pdfs]
    page_counts = [len(PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs]
    converted = PdfReader(io.BytesIO(_ghostscript_pdfa3(pdfs, icc_profile_path, timeout)))
    if len(converted.pages) != sum(page_counts):
        raise FacturxPdfError("pdfa_conversion", "Ghostscript did not keep the pages of the PDFs it converted")
    intents = converted.trailer["/Root"].get("/OutputIntents")
    pieces, first = [], 0
    for count in page_counts:
        writer = PdfWriter()
        for page in converted.pages[first : first + count]:
            writer.add_page(page)
        first += count
        if intents is not None:
            writer._root_object[NameObject("/OutputIntents")] = intents.get_object().clone(writer)
        output = io.BytesIO()
        writer.write(output)
        pieces.append(output.getvalue())
    return pieces


def embed_xml(pdfa_bytes, xml_bytes, profile, title="", author="", subject="", lang="fr-FR", attachments=None):
    """Embed the Factur-X XML into a PDF/A-3 with the `factur-x` library (XMP level = `profile`)."""
    if profile not in PROFILES:
        raise FacturxPdfError("unknown_profile", "unknown Factur-X profile %(profile)s", profile=profile)
    metadata = {"author": author, "keywords": "Factur-X, Invoice", "title": title, "subject": subject}
    return facturx.generate_from_binary(
        pdfa_bytes,
        xml_bytes,
        flavor="factur-x",
        level=profile,
        check_xsd=False,  # validated before, with the schematrons
        pdf_metadata=metadata,
        lang=lang,
        attachments=attachments or None,
    )


def describe_pdf(pdf_bytes):
    """Read what a Factur-X PDF declares: embedded files (name, relationship, subtype, checksum, size),
    XMP PDF/A part and Factur-X conformance level, output intents, fonts without an embedded file."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    root = reader.trailer["/Root"]
    files = []
    names = root.get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    for index in range(0, len(names), 2):
        spec = names[index + 1].get_object()
        stream = spec["/EF"]["/F"].get_object()
        params = stream.get("/Params", {})
        checksum = params.get("/CheckSum")
        if checksum is not None:
            checksum = checksum.original_bytes if hasattr(checksum, "original_bytes") else bytes(checksum)
        data = stream.get_data()
        files.append(
            {
                "name": str(names[index]),
                "afrelationship": str(spec.get("/AFRelationship", "")),
                "subtype": str(stream.get("/Subtype", "")),
                "checksum_length": len(checksum) if checksum is not None else 0,
                "checksum_ok": checksum == hashlib.md5(data).digest(),
                "size": params.get("/Size"),
                "data": data,
            }
        )
    xmp = root["/Metadata"].get_object().get_data() if "/Metadata" in root else b""
    xmp_tree = etree.fromstring(xmp) if xmp else None

    def xmp_value(local_name):
        if xmp_tree is None:
            return ""
        for element in xmp_tree.iter():
            if isinstance(element.tag, str) and etree.QName(element).localname == local_name:
                return (element.text or "").strip()
            for attribute, value in element.attrib.items():
                if etree.QName(attribute).localname == local_name:
                    return value
        return ""

    unembedded = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [child.get_object().get("/FontDescriptor") for child in font.get("/DescendantFonts", [])]
            descriptors = [d.get_object() for d in descriptors if d is not None]
            if not any(key in d for d in descriptors for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(str(font.get("/BaseFont")))
    return {
        "files": files,
        "pdfa_part": xmp_value("part"),
        "pdfa_conformance": xmp_value("conformance"),
        "conformance_level": xmp_value("ConformanceLevel"),
        "output_intents": [str(intent.get_object().get("/S")) for intent in root.get("/OutputIntents", [])],
        "unembedded_fonts": sorted(unembedded),
    }


def verify_facturx_pdf(pdf_bytes, xml_bytes, profile):
    """Raise `FacturxPdfError` unless `factur-x` reads back exactly `xml_bytes` at `profile` from the PDF."""
    try:
        filename, extracted = facturx.get_facturx_xml_from_pdf(pdf_bytes, check_xsd=False)
    except Exception as error:  # the library raises bare Exceptions on unreadable PDFs
        raise FacturxPdfError(
            "not_extractable", "the Factur-X XML cannot be extracted from the PDF: %(error)s", error=error
        ) from error
    if filename != "factur-x.xml" or extracted != xml_bytes:
        raise FacturxPdfError("xml_differs", "the XML extracted from the PDF differs from the validated XML")
    level = facturx.get_level(etree.fromstring(extracted))
    if level != profile:
        raise FacturxPdfError(
            "wrong_level", "the PDF declares level %(level)s, expected %(profile)s", level=level, profile=profile
        )
    described = describe_pdf(pdf_bytes)
    if described["conformance_level"] != XMP_LEVEL[profile] or described["pdfa_part"] != "3":
        raise FacturxPdfError("no_metadata", "the PDF/A-3 metadata do not declare the Factur-X profile")
    return True


def make_facturx_pdf(pdf_bytes, xml_bytes, profile, icc_profile_path, already_pdfa=False, **metadata):
    """Full chain: PDF/A-3 conversion (unless `already_pdfa`: converted by `to_pdfa3_many`), XML embedding,
    read-back check. Returns the Factur-X PDF bytes."""
    pdfa = pdf_bytes if already_pdfa else to_pdfa3(pdf_bytes, icc_profile_path)
    result = embed_xml(pdfa, xml_bytes, profile, **metadata)
    verify_facturx_pdf(result, xml_bytes, profile)
    return result
