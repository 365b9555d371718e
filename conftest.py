"""Suite-wide pytest hooks: a skipped test proves nothing, so it counts as a failure.

Odoo's tours skip themselves when `websocket-client` or Chromium is missing, and pytest-odoo
skips every HttpCase run without `--odoo-http`; both must turn the run red, not green.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped test counted as a failure: {reason}"


@pytest.fixture(scope="session", autouse=True)
def odoo_test_mode():
    """Run in Odoo's test mode, as Odoo's own test loader does (pytest-odoo does not): no real SMTP
    connection, and no commit of the test transaction by the mail queue."""
    from odoo.http import root
    from odoo.modules import module

    module.current_test = True
    # Parse every addon's manifest now, in one thread: with CPython 3.11.7, ast.parse can fail when two
    # server threads parse manifests at once for the first static file a tour asks for.
    root.statics  # noqa: B018 (a lazy property: reading it does the work)
    yield
    module.current_test = False
