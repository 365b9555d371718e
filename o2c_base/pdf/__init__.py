"""Printing QWeb PDF reports without Odoo's patched wkhtmltopdf: plain Python, no Odoo import."""

import functools
import subprocess


@functools.cache
def version_output(executable):
    """What `executable --version` prints, stripped, or "" when the program does not answer (asked once per
    executable: the answer cannot change while the server runs)."""
    try:
        completed = subprocess.run([executable, "--version"], capture_output=True, timeout=30, check=False, text=True)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return completed.stdout.strip()
