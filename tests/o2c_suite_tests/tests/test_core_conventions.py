"""The pure cores of the suite share one way to refuse: a subclass of o2c_base's `CoreError`, which carries a
code and its figures for the Odoo side to word in the user's language."""

import ast
from pathlib import Path

from odoo.tests import BaseCase

REPOSITORY = Path(__file__).resolve().parents[3]
CORES = (
    "o2c_base/tools",
    "o2c_base/pdf",
    "o2c_cashmatch/matching",
    "o2c_cashmatch/parsers",
    "o2c_credit/core",
    "o2c_cockpit/core",
    "o2c_disputes/core",
    "o2c_dunning/core",
    "o2c_einvoice/facturx",
)
BUILTIN_EXCEPTIONS = {"Exception", "ValueError", "RuntimeError", "TypeError", "KeyError", "LookupError", "OSError"}


def core_classes():
    """Return {class name: (file, base names)} of every class defined in the cores."""
    classes = {}
    for core in CORES:
        for path in sorted((REPOSITORY / core).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef):
                    bases = [
                        base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases
                    ]
                    classes[node.name] = (path.relative_to(REPOSITORY), bases)
    return classes


def lineage(name, classes):
    """Return the set of names `name` derives from, following the cores' own classes."""
    seen, todo = set(), [name]
    while todo:
        for base in classes.get(todo.pop(), (None, []))[1]:
            if base not in seen:
                seen.add(base)
                todo.append(base)
    return seen


class TestCoreConventions(BaseCase):
    """Conventions every core follows, read from the source."""

    def test_every_exception_a_core_defines_is_a_core_error(self):
        classes = core_classes()
        exceptions = {name for name in classes if lineage(name, classes) & (BUILTIN_EXCEPTIONS | {"CoreError"})}
        self.assertGreaterEqual(
            exceptions - {"CoreError"},
            {"XmlRefused", "ChromiumError", "StatementParseError", "CdarError", "FacturxPdfError"},
        )
        strays = sorted(
            f"{classes[name][0]}: {name}"
            for name in exceptions - {"CoreError"}
            if "CoreError" not in lineage(name, classes)
        )
        self.assertEqual(strays, [], "a core refuses with a subclass of o2c_base.tools.errors.CoreError")
