"""Validate Factur-X CII XML locally: the profile's XSD (lxml) and the official schematrons compiled to XSLT
(Factur-X/EN 16931 and, for French B2B, BR-FR Flux 2) run with Saxon-HE (`saxonche`).

Stylesheets and schemas are compiled once per process and reused; `facturx.xml_check_schematron` is never
used because without a Saxon server it returns True without checking anything.

Saxon-HE for Python is a GraalVM native image that reserves 32 GB of address space: it cannot start under the
address-space limit Odoo servers set (`limit_memory_hard`), and its virtual size would make prefork workers
recycle after every request. So `check_xsd`/`check_schematron` run in one long-lived helper process per Odoo
process (`saxon_worker.py`), which compiles each stylesheet once and answers over a pipe. The `local_*`
functions are the same checks in the current process, for the helper itself and for scripts.
"""

import atexit
import base64
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
_FACTURX_DIR = Path(str(resources.files("facturx"))) / "xsd_and_schematron"
XSD_FILES = {
    "basic": _FACTURX_DIR / "facturx-basic/Factur-X_BASIC.xsd",
    "en16931": _FACTURX_DIR / "facturx-en16931/Factur-X_EN16931.xsd",
    "extended": _FACTURX_DIR / "facturx-extended/Factur-X_EXTENDED.xsd",
}
SCHEMATRON_FILES = {
    "basic": _FACTURX_DIR / "facturx-basic/Factur-X_1.09_BASIC.xsl",
    "en16931": _FACTURX_DIR / "facturx-en16931/FACTUR-X_EN16931.xslt",
    "extended": _FACTURX_DIR / "facturx-extended/FACTUR-X_EXTENDED.xslt",
    "br-fr": _FACTURX_DIR / "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
}


def _package_dir(name):
    """Return the folder of the installed package `name`, found without importing it: importing pyfrctc pulls
    in its HTTP, OAuth and DNS clients (about a second), while only its data files are read here."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the Python package {name} is not installed (see requirements-nodeps.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


# The French CDAR lifecycle status message (UN/CEFACT D22B) and its BR-FR-CDV rules, as pyfrctc ships them.
_PYFRCTC_DIR = _package_dir("pyfrctc")
CDAR_XSD_FILE = _PYFRCTC_DIR / "cdar-xsd/CrossDomainAcknowledgementAndResponse_100pD22B.xsd"
CDAR_SCHEMATRON_FILE = _PYFRCTC_DIR / "cdar-schematron/BR-FR-CDV-Schematron-CDAR.xslt"
_CODEDB_CALL = re.compile(r"document\('([A-Za-z0-9_.\-]+_codedb\.xml)'\)")
_STYLESHEET_TAG = re.compile(r"<xsl:stylesheet\b[^>]*>")
_RULE_IN_TEXT = re.compile(r"\[([A-Z][A-Za-z0-9_\-/.]+)\]")
_lock = threading.RLock()
_saxon = {}
_schemas = {}


@dataclass(frozen=True)
class Violation:
    """One failed rule: `source` is xsd, factur-x, br-fr or cdar; `blocking` False for warnings."""

    rule_id: str
    message: str
    source: str
    location: str = ""
    blocking: bool = True


def _processor():
    if "processor" not in _saxon:
        from saxonche import PySaxonProcessor  # imported lazily: a heavy JVM-less native library

        _saxon["processor"] = PySaxonProcessor(license=False)
        _saxon["xslt"] = _saxon["processor"].new_xslt30_processor()
    return _saxon["processor"]


def compiled_stylesheet(path):
    """Return the Saxon executable for the XSLT at `path`, compiled on first use only.

    The Factur-X schematrons read their code lists with `document('..._codedb.xml')` in every rule, so Saxon
    would parse that file again at each validation; the code list is parsed once instead and handed to the
    stylesheet as a parameter bound to the same file (the rules themselves are unchanged)."""
    path = str(path)
    with _lock:
        if path not in _saxon:
            processor = _processor()
            text = Path(path).read_text(encoding="utf-8")
            codedbs = sorted(set(_CODEDB_CALL.findall(text)))
            for index, name in enumerate(codedbs):
                text = text.replace(f"document('{name}')", f"$o2c_codedb_{index}")
            if codedbs:
                params = "".join(f'<xsl:param name="o2c_codedb_{i}"/>' for i in range(len(codedbs)))
                text = _STYLESHEET_TAG.sub(lambda match: match.group(0) + params, text, count=1)
                executable = _saxon["xslt"].compile_stylesheet(stylesheet_text=text, base_uri=Path(path).as_uri())
                for index, name in enumerate(codedbs):
                    codedb = processor.parse_xml(xml_file_name=str(Path(path).parent / name))
                    executable.set_parameter(f"o2c_codedb_{index}", codedb)
            else:
                executable = _saxon["xslt"].compile_stylesheet(stylesheet_file=path)
            _saxon[path] = executable
        return _saxon[path]


def compiled_schema(path):
    """Return the lxml XMLSchema at `path`, parsed on first use only."""
    path = str(path)
    with _lock:
        if path not in _schemas:
            _schemas[path] = etree.XMLSchema(etree.parse(path))
        return _schemas[path]


def local_check_xsd(xml_bytes, xsd_path, source="xsd"):
    """Return the XSD violations of `xml_bytes` against the schema at `xsd_path`."""
    try:
        tree = etree.fromstring(xml_bytes)
    except etree.XMLSyntaxError as error:
        return [Violation("XML-SYNTAX", str(error), source)]
    schema = compiled_schema(xsd_path)
    if schema.validate(tree):
        return []
    return [
        Violation("XSD", f"{error.message} (line {error.line})", source, location=error.path or "")
        for error in schema.error_log
    ]


def _rule_id(node, text):
    if node.get("id"):
        return node.get("id")
    match = _RULE_IN_TEXT.search(text)
    if match:
        return match.group(1)
    if "not used in the given context" in text:
        return "FX-NOT-IN-PROFILE"
    return "FX-RULE"


def local_check_schematron(xml_bytes, xslt_path, source, node=None):
    """Run the compiled schematron at `xslt_path` on `xml_bytes` (or on its Saxon `node` when already parsed);
    failed asserts and successful reports are violations (reports flagged `warning` or `information` do not
    block)."""
    with _lock:
        executable = compiled_stylesheet(xslt_path)
        if node is None:
            node = _processor().parse_xml(xml_text=xml_bytes.decode("utf-8").lstrip("\ufeff"))
        output = executable.transform_to_string(xdm_node=node)
    report = etree.fromstring(output.encode("utf-8"))
    violations = []
    for item in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        message = " ".join("".join(item.find(f"{{{SVRL}}}text").itertext()).split())
        flag = (item.get("flag") or "").lower()
        violations.append(
            Violation(
                _rule_id(item, message),
                message,
                source,
                location=item.get("location", ""),
                blocking=flag not in ("warning", "information", "info"),
            )
        )
    return violations


def local_validate_facturx(xml_bytes, profile, french_b2b=True):
    """`validate_facturx` in the current process: XSD, then both schematrons on one parse of the XML."""
    violations = local_check_xsd(xml_bytes, XSD_FILES[profile])
    if violations:
        return violations
    with _lock:
        node = _processor().parse_xml(xml_text=xml_bytes.decode("utf-8").lstrip("\ufeff"))
        violations = local_check_schematron(xml_bytes, SCHEMATRON_FILES[profile], "factur-x", node=node)
        if french_b2b:
            violations += local_check_schematron(xml_bytes, SCHEMATRON_FILES["br-fr"], "br-fr", node=node)
    return violations


class _Worker:
    """The helper process running the Saxon checks, started on first use and restarted if it died."""

    def __init__(self):
        self.process = None
        self.lock = threading.Lock()

    def _start(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "saxon_worker.py")
        self.process = subprocess.Popen(
            [sys.executable, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def call(self, method, xml_bytes, **arguments):
        request = {"method": method, "xml": base64.b64encode(xml_bytes).decode(), **arguments}
        with self.lock:
            for attempt in (1, 2):
                if self.process is None or self.process.poll() is not None:
                    self._start()
                try:
                    self.process.stdin.write(json.dumps(request).encode() + b"\n")
                    self.process.stdin.flush()
                    answer = self.process.stdout.readline()
                except (BrokenPipeError, OSError):
                    answer = b""
                if answer:
                    break
                self.process = None
                if attempt == 2:
                    raise RuntimeError("the Saxon validation helper process stopped unexpectedly")
        payload = json.loads(answer)
        if "error" in payload:
            raise RuntimeError(payload["error"])
        return [Violation(**item) for item in payload["violations"]]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


_worker = _Worker()
atexit.register(_worker.stop)


def check_xsd(xml_bytes, xsd_path, source="xsd"):
    """XSD violations of `xml_bytes` against the schema at `xsd_path` (in the helper process)."""
    return _worker.call("xsd", xml_bytes, xsd_path=str(xsd_path), source=source)


def check_schematron(xml_bytes, xslt_path, source):
    """Schematron violations of `xml_bytes` for the compiled XSLT at `xslt_path` (in the helper process)."""
    return _worker.call("schematron", xml_bytes, xslt_path=str(xslt_path), source=source)


def validate_facturx(xml_bytes, profile, french_b2b=True):
    """Return every violation of the Factur-X XML: XSD of `profile`, then (when the XSD passes) the Factur-X
    schematron of `profile` and, for French B2B, the BR-FR rules. An empty list means valid. One round trip
    to the helper process."""
    return _worker.call("facturx", xml_bytes, profile=profile, french_b2b=french_b2b)


def blocking(violations):
    """The violations that must stop the invoice from being issued."""
    return [violation for violation in violations if violation.blocking]
