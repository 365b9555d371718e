"""The untrusted-XML reader refuses entity bombs, DTDs, external entities, oversized and broken files, and reads
ordinary XML as lxml does."""

import contextlib
import socket
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_base.tools.safe_xml import DEFAULT_MAX_BYTES, XmlRefused, parse_untrusted_xml
from odoo.tests import BaseCase

from .xml_bombs import billion_laughs

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), max_size=200)


class TestParseUntrustedXml(BaseCase):
    """The reader of untrusted XML refuses bombs, network access and oversized files."""

    def test_ordinary_xml_is_read_with_its_namespaces_and_text(self):
        root = parse_untrusted_xml(
            b'<?xml version="1.0" encoding="UTF-8"?><r:doc xmlns:r="urn:x"><r:id>42 &amp; 43</r:id></r:doc>'
        )
        assert root.tag == "{urn:x}doc"
        assert root.findtext("{urn:x}id") == "42 & 43"

    def test_billion_laughs_is_refused_at_once_without_expansion(self):
        bomb = billion_laughs()
        assert len(bomb) < 1000
        started = time.monotonic()
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(bomb)
        assert refused.value.reason == "dtd"
        assert "DTD" in str(refused.value)
        assert time.monotonic() - started < 1

    def test_external_entity_reading_a_server_file_is_refused(self):
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]><x>&secret;</x>')
        assert refused.value.reason == "dtd"
        assert "root:" not in str(refused.value)

    def test_external_dtd_is_refused_without_any_network_access(self):
        connections = []
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(2)

        def accept():
            with contextlib.suppress(TimeoutError):  # no connection within the timeout is the expected outcome
                connection, _address = server.accept()
                connections.append(connection)

        listener = threading.Thread(target=accept)
        listener.start()
        port = server.getsockname()[1]
        try:
            with pytest.raises(XmlRefused) as refused:
                parse_untrusted_xml(b'<!DOCTYPE x SYSTEM "http://127.0.0.1:%d/evil.dtd"><x/>' % port)
            listener.join()
        finally:
            server.close()
        assert refused.value.reason == "dtd"
        assert connections == []

    def test_entity_declaration_in_utf16_is_refused_too(self):
        data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'.encode("utf-16")
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(data)
        assert refused.value.reason == "dtd"

    def test_file_over_the_cap_is_refused_before_parsing(self):
        data = b"<a>" + b"x" * 2000 + b"</a>"
        assert parse_untrusted_xml(data, max_bytes=len(data)).text == "x" * 2000
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(data, max_bytes=len(data) - 1)
        assert (refused.value.reason, refused.value.size, refused.value.limit) == ("too_large", 2007, 2006)
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(b"<a>" + b" " * DEFAULT_MAX_BYTES + b"</a>")
        assert refused.value.reason == "too_large"

    def test_empty_broken_and_too_deep_files_are_refused_with_the_parser_s_reason(self):
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(b" \n")
        assert refused.value.reason == "empty"
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(b"<a><b></a>")
        assert refused.value.reason == "syntax"
        assert "mismatch" in refused.value.detail
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(b"<a>&undeclared;</a>")
        assert refused.value.reason == "syntax"
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(b"<a>" * 10_000 + b"</a>" * 10_000)
        assert refused.value.reason == "syntax"
        assert "depth" in refused.value.detail

    def test_text_is_not_taken_for_xml(self):
        with pytest.raises(TypeError):
            parse_untrusted_xml("<a/>")

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(TEXT, st.lists(st.sampled_from(["a", "b", "ligne", "Montant"]), min_size=1, max_size=20))
    def test_well_formed_documents_read_back_their_text_and_with_a_doctype_are_refused(self, text, tags):
        body = "".join(f"<{tag}>" for tag in tags)
        body += text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body += "".join(f"</{tag}>" for tag in reversed(tags))
        root = parse_untrusted_xml(body.encode())
        deepest = root
        for _tag in tags[1:]:
            deepest = deepest[0]
        assert (deepest.text or "") == text
        with pytest.raises(XmlRefused) as refused:
            parse_untrusted_xml(f"<!DOCTYPE {tags[0]}>{body}".encode())
        assert refused.value.reason == "dtd"
