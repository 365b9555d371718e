"""Read XML that comes from outside the suite (a user's upload, a platform's message) without trusting it.

`parse_untrusted_xml` caps the size before parsing, refuses any document type declaration (no file a user
gives the suite needs one, and a DTD is how entity bombs such as "billion laughs" and external entities
that read the server's files or URLs get in), never loads anything from the network or the disk, and
keeps libxml2's limits on depth and text size (no `huge_tree`). A refusal raises `XmlRefused`, whose
`reason` lets the Odoo side word the error in the user's language (`user_message`). `iterparse_untrusted` streams
a large file (bank statements) under the same guards.
"""

import io

from lxml import etree

from .errors import CoreError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
REASONS = ("empty", "too_large", "dtd", "syntax")
_DECLARATIONS = ("<!DOCTYPE", "<!ENTITY")
_ENGLISH = {
    "empty": "the XML file is empty",
    "too_large": "the XML file has {size} bytes, more than the {limit} allowed",
    "dtd": "the XML file declares a DTD or XML entities, which an uploaded file may not do",
    "syntax": "the file is not well-formed XML: {detail}",
}


def size_in_mb(size):
    """Return `size` (bytes) in megabytes with one decimal, as a string: "12.5"."""
    return f"{size / (1024 * 1024):.1f}"


class XmlRefused(CoreError):
    """The XML was refused: `reason` is one of `REASONS`, `detail` what the parser said (syntax errors),
    `size` and `limit` the file's size and the cap (in bytes) when it was too large."""

    def __init__(self, reason, detail="", size=0, limit=0):
        assert reason in REASONS, reason
        super().__init__(reason, _ENGLISH[reason].format(detail=detail, size=size, limit=limit))
        self.params = {"detail": detail, "size": size, "limit": limit}
        self.reason = reason
        self.detail = detail
        self.size = size
        self.limit = limit


def _declares_dtd(data):
    """Whether `data` holds a DOCTYPE or ENTITY declaration, in UTF-8/ASCII or UTF-16 of either byte order."""
    for marker in _DECLARATIONS:
        for encoding in ("ascii", "utf-16-le", "utf-16-be"):
            if marker.encode(encoding) in data:
                return True
    return False


def _parser():
    # A parser per call: lxml parsers must not be shared between threads (Odoo serves requests in threads).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )


def parse_untrusted_xml(data, max_bytes=DEFAULT_MAX_BYTES):
    """Return the root element of the XML document `data` (bytes); raise `XmlRefused` when it is empty, larger
    than `max_bytes`, declares a DTD or entities, or is not well-formed."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"XML to parse must be bytes, not {type(data).__name__}")
    data = bytes(data)
    if max_bytes and len(data) > max_bytes:
        raise XmlRefused("too_large", size=len(data), limit=max_bytes)
    if not data.strip():
        raise XmlRefused("empty")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        if _declares_dtd(data):
            raise XmlRefused("dtd") from error
        raise XmlRefused("syntax", detail=str(error)) from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlRefused("dtd")
    return root


def iterparse_untrusted(data, max_bytes=DEFAULT_MAX_BYTES, **options):
    """Yield the (event, element) pairs of lxml's `iterparse` over `data` (bytes) under the guards of
    `parse_untrusted_xml`: size cap, no DTD nor entity declaration anywhere in the file, nothing loaded from the
    network or the disk, libxml2's limits kept. `options` go to `iterparse` (events, tag, schema).

    Raise `XmlRefused` for an empty, too large or DTD-declaring file; a malformed one (or, with a schema, an invalid
    one) raises lxml's `XMLSyntaxError`, whose `run_errors` are the errors of this parse. The caller may `clear()` an
    element it has read, keeping its tail, but never remove one from its parent: libxml2 may still write next to it.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"XML to parse must be bytes, not {type(data).__name__}")
    data = bytes(data)
    if max_bytes and len(data) > max_bytes:
        raise XmlRefused("too_large", size=len(data), limit=max_bytes)
    if not data.strip():
        raise XmlRefused("empty")
    if _declares_dtd(data):
        raise XmlRefused("dtd")
    checked = False
    parser = etree.iterparse(
        io.BytesIO(data),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
        **options,
    )
    try:
        for event, element in parser:
            if not checked:
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
                    raise XmlRefused("dtd")
                checked = True
            yield event, element
    except etree.XMLSyntaxError as error:
        # The exception's own log may also hold errors of earlier parses in this thread: `run_errors` has this one's.
        error.run_errors = list(parser.error_log)
        raise


def user_message(env, error, filename=""):
    """Return the refusal `error` (an `XmlRefused`) as a sentence for the user of `env`, in their language,
    naming the file `filename`."""
    name = filename or env._("(no name)")
    if error.reason == "empty":
        return env._("The XML file %(file)s is empty.", file=name)
    if error.reason == "too_large":
        return env._(
            "The XML file %(file)s weighs %(size)s MB, more than the %(limit)s MB allowed here: refused.",
            file=name,
            size=size_in_mb(error.size),
            limit=size_in_mb(error.limit),
        )
    if error.reason == "dtd":
        return env._(
            "The XML file %(file)s declares a DTD or XML entities (<!DOCTYPE …>), which an uploaded file may "
            "not do: entities can grow a small file into gigabytes or read the server's files. Refused; send "
            "the file without its DOCTYPE.",
            file=name,
        )
    return env._("The file %(file)s is not well-formed XML: %(detail)s", file=name, detail=error.detail)
