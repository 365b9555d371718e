"""The ISO 20022 schema a camt file names, and how its validation errors are weighed (plain Python and lxml).

The camt.052, .053 and .054 schemas of versions .001.01 to .001.08 ship in the addon's data/xsd (see its README
for their source and licence). A file is validated while it streams (`camt.read_camt`); its errors are then sorted
into the deviations real banks are known to send, which pass with a warning, and breaks of the structure (a
mandatory element missing, an unknown element), which refuse the file.
"""

import os
import re
import threading
from dataclasses import dataclass, field

from lxml import etree

XSD_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "xsd")
SCHEMA_NAME = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3}\.\d{3}\.\d{2})")
ELEMENT = re.compile(r"Element '(?:\{[^}]*\})?([A-Za-z]+)'")
COUNTRY_ELEMENTS = {"Ctry", "CtryOfRes", "CtryOfBirth", "CtryOfIncorp"}


@dataclass(frozen=True)
class SchemaViolation:
    """A camt file that breaks its schema's structure: `schema` is the schema's name, `detail` its first error."""

    schema: str
    detail: str


@dataclass
class SchemaCheck:
    """What the schema check of a file found: the schema's `name` ('' when the file names none), whether it is
    `shipped`, the structural `violation` (None when there is none) and the known bank `deviations`
    ({code: [values]}: 'bic_for_bicfi' the BIC elements, 'country_code' the country codes off the pattern)."""

    name: str = ""
    shipped: bool = False
    violation: SchemaViolation | None = None
    deviations: dict = field(default_factory=dict)


def schema_name(data):
    """The camt schema the file `data` (bytes) names in its first bytes, '' when it names none."""
    match = SCHEMA_NAME.search(data[:4096])
    return match.group(1).decode() if match else ""


_cache = threading.local()


def load_schema(name, xsd_dir=None):
    """The `etree.XMLSchema` of schema `name` from `xsd_dir` (by default the addon's data/xsd), None when it is not
    there. Built once per thread (about 25 ms each): lxml schemas are not shared between threads, and a parse reads
    its own errors from its parser's log, not from the schema's."""
    if not name:
        return None
    path = os.path.join(xsd_dir or XSD_DIR, f"{name}.xsd")
    schemas = _cache.__dict__.setdefault("schemas", {})
    if path not in schemas:
        if not os.path.exists(path):
            return None
        # The shipped XSDs are trusted files of the addon; still read without entities nor network.
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        schemas[path] = etree.XMLSchema(etree.parse(path, parser=parser))
    return schemas[path]


def weigh_errors(name, errors):
    """The `SchemaCheck` of schema `name` given lxml's validation `errors` of a file."""
    check = SchemaCheck(name=name, shipped=True)
    for error in errors:
        element = ELEMENT.match(error.message)
        local = element.group(1) if element else ""
        if local == "BIC" and error.type_name == "SCHEMAV_ELEMENT_CONTENT" and "BICFI" in error.message:
            check.deviations.setdefault("bic_for_bicfi", []).append("BIC")
            continue
        if local in COUNTRY_ELEMENTS and error.type_name.startswith("SCHEMAV_CVC_"):
            value = re.search(r"value '([^']*)'", error.message)
            values = check.deviations.setdefault("country_code", [])
            if value and value.group(1) not in values:
                values.append(value.group(1))
            continue
        if check.violation is None:
            line = f" (line {error.line})" if error.line else ""
            check.violation = SchemaViolation(schema=name, detail=f"{error.message}{line}")
    return check
