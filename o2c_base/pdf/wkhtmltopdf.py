"""What the installed wkhtmltopdf can do (no Odoo import)."""

import shutil
import subprocess

_versions = {}


def wkhtmltopdf_version():
    """The first line of `wkhtmltopdf --version` ("wkhtmltopdf 0.12.6 (with patched qt)"), or "" when
    wkhtmltopdf is missing or does not answer."""
    executable = shutil.which("wkhtmltopdf")
    if not executable:
        return ""
    if executable not in _versions:
        try:
            output = subprocess.run(
                [executable, "--version"], capture_output=True, timeout=30, check=False, text=True
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            output = ""
        _versions[executable] = output.strip().splitlines()[0] if output.strip() else ""
    return _versions[executable]


def has_patched_qt():
    """Whether wkhtmltopdf is built with Odoo's patched Qt: only that build prints headers, footers and
    page numbers and keeps the text of the PDF searchable."""
    return "with patched qt" in wkhtmltopdf_version().lower()
