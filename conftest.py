"""Suite-wide pytest hooks: a skipped test proves nothing, so it counts as a failure.

Odoo's tours skip themselves when `websocket-client` or Chromium is missing, and pytest-odoo
skips every HttpCase run without `--odoo-http`; both must turn the run red, not green.

Odoo's own tests, run beside the suite (`./setup/test.sh` loads this file with `-p conftest`, as they
live outside the repository), take `--o2c-expected-failures=FILE`: the tests the suite changes on
purpose (`changed`) or that fail on the template database alone (`template`) must fail (strict xfail:
their passing turns the run red, so the list stays true); a `not-run` test is deselected; a listed test
that no longer exists is an error.
"""

from pathlib import Path

import pytest

EXPECTED_KINDS = ("changed", "template", "not-run")


def pytest_addoption(parser):
    parser.addoption(
        "--o2c-expected-failures",
        metavar="FILE",
        help="list of Odoo tests whose result the suite changes on purpose: '<kind> <test id> <reason>' per line",
    )


def _read_expected(path):
    """Return {test id: (kind, reason)} read from the list file at ``path``."""
    expected = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, test_id, reason = ([*line.split(None, 2), "", ""])[:3]
        if kind not in EXPECTED_KINDS or "::" not in test_id or not reason:
            kinds = "|".join(EXPECTED_KINDS)
            raise pytest.UsageError(f"{path}:{number}: expected '<{kinds}> <file>::<class>::<test> <reason>'.")
        expected[test_id] = (kind, reason)
    return expected


def _test_id(item):
    """Return the id of ``item`` as the list file names it: <addon>/tests/<file>.py::<class>::<test>."""
    return "::".join(["/".join(item.path.parts[-3:]), *item.nodeid.split("::")[1:]])


def pytest_collection_modifyitems(config, items):
    path = config.getoption("--o2c-expected-failures")
    if not path:
        return
    expected = _read_expected(path)
    # A listed test of a file that ran must still exist (even when only some of the file's tests were asked).
    modules = {_test_id(item).split("::")[0]: item.module for item in items if getattr(item, "module", None)}
    missing = []
    for test_id in expected:
        file, class_name, test_name = [*test_id.split("::"), "", ""][:3]
        if file in modules and not hasattr(getattr(modules[file], class_name, None), test_name):
            missing.append(test_id)
    kept, deselected = [], []
    for item in items:
        kind, reason = expected.get(_test_id(item), (None, ""))
        if kind == "not-run":
            deselected.append(item)
            continue
        if kind in ("changed", "template"):
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"{kind}: {reason}"))
        kept.append(item)
    if missing:
        raise pytest.UsageError(f"{path} lists tests that no longer exist: {', '.join(missing)}.")
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # An expected failure is reported as a skip with `wasxfail`; it proves what the list says, so it stays.
    if report.skipped and not hasattr(report, "wasxfail"):
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
