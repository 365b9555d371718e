"""Run the bank-file parsers in a child Python process, so that a crash of the parser (a signal, a corrupted heap)
fails the test that asked for it instead of killing the test runner."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
# The addons' packages are stood up without running their __init__ (which loads the Odoo models): the parsers are a
# plain core that only needs o2c_base's tools.
PRELUDE = f"""
import sys, types
import odoo.addons
for _name in ("o2c_base", "o2c_cashmatch"):
    _package = types.ModuleType("odoo.addons." + _name)
    _package.__path__ = [{str(REPOSITORY)!r} + "/" + _name]
    sys.modules["odoo.addons." + _name] = _package
"""


def run_child(script, timeout=600):
    """Run `script` (Python source, the parsers importable as odoo.addons.o2c_cashmatch.parsers) in a child
    process; return its completed process (returncode, stdout, stderr)."""
    source = PRELUDE + textwrap.dedent(script)
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=timeout, check=False)


def child_json(script, timeout=600):
    """The JSON the child `script` prints on its last line; AssertionError naming the signal or the error when the
    child died or failed."""
    done = run_child(script, timeout)
    if done.returncode != 0:
        raise AssertionError(f"the parser's child process ended with code {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
