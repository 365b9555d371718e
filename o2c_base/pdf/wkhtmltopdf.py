"""What the installed wkhtmltopdf can do (no Odoo import)."""

import shutil

from . import version_output


def wkhtmltopdf_version():
    """The first line of `wkhtmltopdf --version` ("wkhtmltopdf 0.12.6 (with patched qt)"), or "" when
    wkhtmltopdf is missing or does not answer."""
    executable = shutil.which("wkhtmltopdf")
    output = version_output(executable) if executable else ""
    return output.splitlines()[0] if output else ""


def has_patched_qt():
    """Whether wkhtmltopdf is built with Odoo's patched Qt: only that build prints headers, footers and
    page numbers and keeps the text of the PDF searchable."""
    return "with patched qt" in wkhtmltopdf_version().lower()
