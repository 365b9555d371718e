"""Every test of the suite also runs under Odoo's own runner (``odoo-bin --test-enable``).

Odoo's loader only runs the modules that an addon's ``tests/__init__.py`` imports, and in them
only the unittest classes that carry ``test_tags`` (subclasses of ``odoo.tests.BaseCase``): a
module left out, or a plain pytest function, would pass under pytest and never run in an
integrator's CI.
"""

import ast
import tempfile
from pathlib import Path

from odoo.tests import BaseCase

REPOSITORY = Path(__file__).resolve().parents[3]


def suite_addons(root):
    """Return the folders of the addons under ``root`` (itself and ``tests/``) that have tests."""
    candidates = [*root.iterdir(), *(root / "tests").iterdir()] if (root / "tests").is_dir() else [*root.iterdir()]
    return sorted(
        folder
        for folder in candidates
        if (folder / "__manifest__.py").is_file() and (folder / "tests").is_dir() and folder.name.startswith("o2c_")
    )


def runner_gaps(addon):
    """Return what Odoo's runner would miss in ``addon``: unimported modules and plain test functions."""
    tests = addon / "tests"
    init = tests / "__init__.py"
    imported = set()
    if init.is_file():
        for node in ast.parse(init.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
                imported.update(alias.name for alias in node.names)
    gaps = []
    for module in sorted(tests.glob("test_*.py")):
        if module.stem not in imported:
            gaps.append(f"{addon.name}/tests/{module.name} is not imported by tests/__init__.py")
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                gaps.append(f"{addon.name}/tests/{module.name}::{node.name} is a plain function, not a BaseCase method")
    return gaps


class TestOdooRunner(BaseCase):
    def test_every_test_module_of_every_addon_is_imported_by_its_tests_package(self):
        addons = suite_addons(REPOSITORY)
        names = {addon.name for addon in addons}
        self.assertLessEqual(
            {"o2c_base", "o2c_credit", "o2c_dunning", "o2c_disputes", "o2c_einvoice", "o2c_cashmatch"}, names
        )
        self.assertIn("o2c_suite_tests", names)
        gaps = [gap for addon in addons for gap in runner_gaps(addon)]
        self.assertEqual(gaps, [], "Odoo's runner (odoo-bin --test-enable) would not run these tests")

    def test_a_forgotten_module_and_a_plain_test_function_are_reported(self):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            tests = root / "o2c_sample" / "tests"
            tests.mkdir(parents=True)
            (root / "o2c_sample" / "__manifest__.py").write_text("{'name': 'Sample'}\n")
            (tests / "__init__.py").write_text("from . import test_listed\n")
            listed = (
                "from odoo.tests import BaseCase\n\n\n"
                "class TestListed(BaseCase):\n    def test_a(self):\n        pass\n"
            )
            (tests / "test_listed.py").write_text(listed)
            (tests / "test_forgotten.py").write_text("def test_b():\n    pass\n")
            addons = suite_addons(root)
            self.assertEqual([addon.name for addon in addons], ["o2c_sample"])
            self.assertEqual(
                runner_gaps(addons[0]),
                [
                    "o2c_sample/tests/test_forgotten.py is not imported by tests/__init__.py",
                    "o2c_sample/tests/test_forgotten.py::test_b is a plain function, not a BaseCase method",
                ],
            )
