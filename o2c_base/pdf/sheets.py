"""Odoo's report header and footer laid on every page of a PDF printed by a browser.

Odoo renders a report as HTML bodies (one per record) plus one header and one footer document holding
the header and footer of every record, which the patched wkhtmltopdf repeats on each page with the page
numbers filled in. Here the same happens in two steps: `sheets_document` writes one HTML document with
one sheet per printed page (the record's header at the top, its footer at the bottom, `page`/`topage`
filled in), the browser prints it, and `stamp_pages` lays each sheet under its page of the bodies.
"""

import copy
import io

import lxml.html
from lxml import etree

from odoo.tools.pdf import PdfReader, PdfWriter, generic

SHEET_NAME = "/O2cSheet"
SHEET_STYLE = """
html, body {{ height: auto !important; overflow: visible !important; }}
.o2c_sheet {{ position: relative; height: {height}mm; overflow: hidden; break-after: page; }}
.o2c_sheet:last-child {{ break-after: auto; }}
.o2c_sheet_header {{ position: absolute; top: 0; left: 0; right: 0; max-height: {top}mm; overflow: hidden; }}
.o2c_sheet_footer {{ position: absolute; bottom: 0; left: 0; right: 0; max-height: {bottom}mm; overflow: hidden; }}
.o2c_sheet :has(> .topage) {{ white-space: nowrap; }}
"""
# What lets a body flow over several printed pages: Odoo's minimal layout gives the html a zero height
# and the body a hidden overflow, harmless for wkhtmltopdf but clipping everything in a browser. A title
# stays with what follows it, a table row is never cut in two.
BODY_STYLE = (
    "html, body { height: auto !important; overflow: visible !important; }"
    " h1, h2, h3, h4, h5, h6 { break-after: avoid; } tr { break-inside: avoid; }"
)


def _record_blocks(document, container_id):
    """The per-record header (or footer) blocks of Odoo's header (or footer) document, in record order."""
    if document is None:
        return []
    found = document.xpath(f'//*[@id="{container_id}"]')
    return list(found[0]) if found else []


def _fill_page_numbers(block, page, pages):
    """Odoo's layouts show the page number in `.page` and the number of pages in `.topage`."""
    for css_class, value in (("page", page), ("topage", pages)):
        for node in block.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {css_class} ")]'):
            for child in list(node):
                node.remove(child)
            node.text = str(value)


def add_body_style(html):
    """A report body (one HTML document of Odoo's minimal layout) that flows over as many pages as needed."""
    html = str(html)
    position = html.find("</head>")
    if position < 0:
        return f"<style>{BODY_STYLE}</style>{html}"
    return f"{html[:position]}<style>{BODY_STYLE}</style>{html[position:]}"


def sheets_document(header_html, footer_html, page_counts, page_height_mm, margin_top_mm, margin_bottom_mm):
    """One HTML document of sum(page_counts) sheets of `page_height_mm` each: for record i, page_counts[i]
    sheets with record i's header in the top margin and its footer in the bottom margin, page numbers
    filled in. Returns None when the report has neither header nor footer."""
    header = lxml.html.document_fromstring(header_html) if header_html else None
    footer = lxml.html.document_fromstring(footer_html) if footer_html else None
    headers = _record_blocks(header, "minimal_layout_report_headers")
    footers = _record_blocks(footer, "minimal_layout_report_footers")
    if not headers and not footers:
        return None
    document = header if header is not None else footer
    for script in document.xpath("//script"):
        script.getparent().remove(script)
    body = document.body
    body.attrib.pop("onload", None)
    for child in list(body):
        body.remove(child)
    style = etree.SubElement(document.head, "style")
    # a hair shorter than the page, so that rounding never pushes a sheet onto a page of its own
    style.text = SHEET_STYLE.format(height=page_height_mm - 0.5, top=margin_top_mm, bottom=margin_bottom_mm)
    for index, pages in enumerate(page_counts):
        for page in range(1, pages + 1):
            sheet = etree.SubElement(body, "div", {"class": "o2c_sheet"})
            for blocks, css_class in ((headers, "o2c_sheet_header"), (footers, "o2c_sheet_footer")):
                if index < len(blocks):
                    block = copy.deepcopy(blocks[index])
                    _fill_page_numbers(block, page, pages)
                    etree.SubElement(sheet, "div", {"class": css_class}).append(block)
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def page_count(pdf_bytes):
    """Number of pages of a PDF."""
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


def _page_as_form(writer, page):
    """A form XObject (added to `writer`) drawing `page` as it is, with its own resources: laid under
    another page, its fonts and images never clash with that page's."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        streams = []
    elif isinstance(contents, generic.ArrayObject):
        streams = [stream.get_object() for stream in contents]
    else:
        streams = [contents]
    form = generic.DecodedStreamObject()
    form.set_data(b"\n".join(stream.get_data() for stream in streams))
    form.update(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject([generic.FloatObject(value) for value in page.mediabox]),
            generic.NameObject("/Resources"): page.get("/Resources") or generic.DictionaryObject(),
        }
    )
    return writer._add_object(form)


def _lay_under(writer, page, sheet_form):
    """Draw `sheet_form` first on `page`: its own copy of the resources, one more content stream."""
    resources = page.get("/Resources")
    resources = generic.DictionaryObject(resources.get_object() if resources is not None else {})
    xobjects = resources.get("/XObject")
    xobjects = generic.DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    xobjects[generic.NameObject(SHEET_NAME)] = sheet_form
    resources[generic.NameObject("/XObject")] = xobjects
    page[generic.NameObject("/Resources")] = resources
    prefix = generic.DecodedStreamObject()
    prefix.set_data(f"q {SHEET_NAME} Do Q\n".encode())
    contents = page.get("/Contents")
    streams = [writer._add_object(prefix)]
    if contents is not None:
        if isinstance(contents.get_object(), generic.ArrayObject):
            streams += list(contents.get_object())
        else:
            streams.append(contents)
    page[generic.NameObject("/Contents")] = generic.ArrayObject(streams)


def _add_record_outlines(writer, first_pages):
    """One top-level outline entry per record at its first page, with the named destinations (page
    indexes) that Odoo's ir.actions.report reads to split a print of several records into one PDF each."""
    destinations = generic.DictionaryObject()
    outline = generic.DictionaryObject({generic.NameObject("/Type"): generic.NameObject("/Outlines")})
    outline_ref = writer._add_object(outline)
    items = []
    for index, first_page in enumerate(first_pages):
        name = generic.NameObject(f"/o2c_record_{index}")
        destinations[name] = generic.ArrayObject(
            [generic.NumberObject(first_page), generic.NameObject("/XYZ"), generic.NullObject(),
             generic.NullObject(), generic.NullObject()]
        )  # fmt: skip
        item = generic.DictionaryObject(
            {
                generic.NameObject("/Title"): generic.create_string_object(str(index + 1)),
                generic.NameObject("/Parent"): outline_ref,
                generic.NameObject("/Dest"): name,
            }
        )
        items.append((item, writer._add_object(item)))
    for position, (item, _ref) in enumerate(items):
        if position:
            item[generic.NameObject("/Prev")] = items[position - 1][1]
        if position + 1 < len(items):
            item[generic.NameObject("/Next")] = items[position + 1][1]
    outline[generic.NameObject("/First")] = items[0][1]
    outline[generic.NameObject("/Last")] = items[-1][1]
    outline[generic.NameObject("/Count")] = generic.NumberObject(len(items))
    root = writer._root_object
    root[generic.NameObject("/Outlines")] = outline_ref
    root[generic.NameObject("/Dests")] = writer._add_object(destinations)


def stamp_pages(body_pdfs, sheets_pdf=None):
    """One PDF of the pages of `body_pdfs` (one PDF per record, in order), each with its sheet of
    `sheets_pdf` (the pages of `sheets_document`, same order) laid under it. With several records, each
    gets an outline entry at its first page. Returns the PDF bytes."""
    writer = PdfWriter()
    sheets = PdfReader(io.BytesIO(sheets_pdf)).pages if sheets_pdf else []
    first_pages, position = [], 0
    for body_pdf in body_pdfs:
        first_pages.append(position)
        for page in PdfReader(io.BytesIO(body_pdf)).pages:
            writer.add_page(page)
            if position < len(sheets):
                added = writer.pages[position]
                _lay_under(writer, added, _page_as_form(writer, sheets[position]))
            position += 1
    if len(body_pdfs) > 1:
        _add_record_outlines(writer, first_pages)
    writer.add_metadata({"/Creator": "Odoo", "/Producer": "Chromium (Skia/PDF), O2C Base"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
