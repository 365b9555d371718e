#!/usr/bin/env bash
# ./setup/lint.sh [ADDON...] — the suite's lint, the same in test.sh, pre-commit and CI: ruff (lint + format)
# and pylint-odoo's Odoo checks (configured in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${O2C_VENV:-.venv}"
ADDONS=("$@")
PATHS=("$@")  # one addon's run lints that addon; the whole run lints the whole repository
[ ${#ADDONS[@]} -gt 0 ] || { ADDONS=(o2c_*/ tests/o2c_suite_tests); PATHS=(.); }
"$VENV/bin/ruff" check "${PATHS[@]}" || { echo "o2c lint: ruff check found problems (run: $VENV/bin/ruff check --fix .)." >&2; exit 1; }
"$VENV/bin/ruff" format --check "${PATHS[@]}" >/dev/null || { echo "o2c lint: ruff format would change files (run: $VENV/bin/ruff format .)." >&2; exit 1; }
# OCA-only rules are left out here rather than in pyproject.toml, where "disable" cannot follow "enable".
"$VENV/bin/pylint" --rcfile=pyproject.toml --score=n \
    --disable=manifest-required-author,manifest-maintainers-list,prefer-env-translation,invalid-commit \
    "${ADDONS[@]%/}" || { echo "o2c lint: pylint-odoo found problems (above)." >&2; exit 1; }
