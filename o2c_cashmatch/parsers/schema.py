"""Validation of a camt file against the ISO 20022 schema its namespace names, when that schema is at hand (no Odoo
import). No schema is shipped (see the README): validation runs for the ones placed in the addon's data/xsd."""

import os
import re
from dataclasses import dataclass

from lxml import etree

XSD_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "xsd")
SCHEMA_NAME = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3}\.\d{3}\.\d{2})")


@dataclass(frozen=True)
class SchemaViolation:
    """A camt file that does not validate: `schema` is the schema's name, `detail` its first error and line."""

    schema: str
    detail: str


def schema_violation(data, xsd_dir=None, read_xml=None):
    """How the camt file `data` breaks the schema its namespace names (a `SchemaViolation`); None when it validates,
    names no camt schema, or when that schema is not in `xsd_dir` (by default the addon's data/xsd).

    `read_xml` turns the file's bytes into the tree the schema checks: the Odoo shell gives the suite's one reader
    of untrusted XML (o2c_base), which this pure core cannot import; by default lxml's, entities, DTD and network
    refused.
    """
    match = SCHEMA_NAME.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode()
    path = os.path.join(xsd_dir or XSD_DIR, f"{name}.xsd")
    if not os.path.exists(path):
        return None
    schema = etree.XMLSchema(etree.parse(path, parser=etree.XMLParser(resolve_entities=False, no_network=True)))
    # The file has passed the strict reader already (no DTD, well-formed): this second reading builds the
    # tree the schema checks, which the streaming reader never holds whole.
    document = (read_xml or _read_xml)(data)
    if schema.validate(document):
        return None
    first = schema.error_log.filter_from_errors()[:1]
    detail = f"{first[0].message} (line {first[0].line})" if first else ""
    return SchemaViolation(schema=name, detail=detail)


def _read_xml(data):
    """The root element of `data`, read by lxml without entities, DTD, network or huge trees."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)
