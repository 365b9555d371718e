#!/usr/bin/env bash
# ./setup/test.sh [ADDON...] — bootstrap, fresh test database with the five addons installed once,
# the whole pytest-odoo suite (browser tours in headless Chromium), Odoo's own account and sale tests on a
# database with the suite installed, then the lint (ruff, pylint-odoo). Non-zero on any failure.
#   ./setup/test.sh tests/odoo_regression   only Odoo's own tests (list: tests/odoo_regression/expected_failures.txt)
#   O2C_TEST_DB (default o2c_test)       test database; templates get this name as prefix
#   O2C_REUSE_BASE=1                      keep the template of Odoo's own modules from an earlier run
#   O2C_BASE_DB (default ${O2C_TEST_DB}_base_fr)  name of that template, so several test databases can share one
#   O2C_TEST_PORT (default 8069)          HTTP port of the test server (tours; the second half takes the next one)
#   O2C_INSTALL_MATRIX=0                  skip the "each addon alone, with and without l10n_fr" installs
source "$(dirname "$0")/bootstrap.sh"
bootstrap

ALL_ADDONS=(o2c_credit o2c_dunning o2c_disputes o2c_einvoice o2c_cashmatch o2c_cockpit)
# Odoo's own tests run beside the suite (README: "Standard Odoo beside the suite"), from $ODOO_SRC/addons,
# in two halves of about the same length that run side by side, each on its own copy of the database.
ODOO_TEST_HALVES=(
    "account/tests/test_account_move_out_invoice.py account/tests/test_account_move_out_refund.py
     account/tests/test_portal_invoice.py account/tests/test_portal_attachment.py
     sale/tests/test_credit_limit.py sale/tests/test_access_rights.py"
    "account/tests/test_account_move_reconcile.py account/tests/test_account_payment_register.py
     sale/tests/test_sale_order.py sale/tests/test_sale_to_invoice.py"
)
# The whole suite also runs in two halves side by side (the machine CI runs on has two cores), each on its own
# copy of the test database and its own HTTP port: the targets below make the first half (20 and 16 minutes for
# the two halves in the run of 3 December), every other target the second, so a new addon is never left out.
SUITE_FIRST_HALF=(o2c_einvoice o2c_einvoice_chorus_pro o2c_einvoice_sale o2c_dunning_einvoice o2c_disputes_einvoice o2c_dunning o2c_disputes o2c_base)
ODOO_EXPECTED=tests/odoo_regression/expected_failures.txt
DB="${O2C_TEST_DB:-o2c_test}"
SELECTED=()
ODOO_REGRESSION=0
[ $# -eq 0 ] && ODOO_REGRESSION=1
for addon in "$@"; do
    if [ "${addon%/}" = tests/odoo_regression ]; then ODOO_REGRESSION=1; continue; fi
    [ -f "$O2C_ROOT/$addon/__manifest__.py" ] || die "$addon is not an addon of the suite (give o2c_credit, ..., tests/o2c_suite_tests or tests/odoo_regression)."
    SELECTED+=("$addon")
done
cd "$O2C_ROOT"
export PATH="$O2C_VENV/bin:$PATH"


write_odoo_config "$DB" "${O2C_TEST_PORT:-8069}"
sed -i "s|^addons_path = .*|&,$O2C_ROOT/tests|" "$O2C_CONF"
FILESTORE="$O2C_CACHE/data/filestore"

drop_db() {
    dropdb --if-exists --force "$1" || die "could not drop database $1."
    rm -rf "${FILESTORE:?}/$1"
}
new_db() {  # new_db NAME COUNTRY|-
    drop_db "$1"
    "$O2C_VENV/bin/python" "$O2C_ROOT/setup/o2c_db.py" "$O2C_CONF" "$1" "$2" en_US \
        || die "could not create database $1."
}
copy_db() {  # copy_db TEMPLATE NAME
    drop_db "$2"
    createdb -T "$1" "$2" || die "could not copy database $1 to $2."
    [ -d "$FILESTORE/$1" ] && cp -a "$FILESTORE/$1" "$FILESTORE/$2"
    return 0
}
install() {  # install DB MODULES [extra odoo args]
    local db="$1" mods="$2"; shift 2
    say "installing $mods into $db"
    odoo_bin -d "$db" -i "$mods" --stop-after-init --log-level=warn "$@" >"$O2C_ROOT/.o2c-install-$db.log" 2>&1 \
        || { tail -40 "$O2C_ROOT/.o2c-install-$db.log"; die "installing $mods into $db failed (log: .o2c-install-$db.log)."; }
    if grep -E " (ERROR|CRITICAL) " "$O2C_ROOT/.o2c-install-$db.log" >/dev/null; then
        grep -E " (ERROR|CRITICAL) " -A15 "$O2C_ROOT/.o2c-install-$db.log" | head -60
        die "installing $mods into $db logged errors (log: .o2c-install-$db.log)."
    fi
}

# A template with Odoo's own modules (French company, French chart) is built once per run and
# copied for every install check: each addon alone, then all five for the suite.
BASE="${O2C_BASE_DB:-${DB}_base_fr}"
if [ "${O2C_REUSE_BASE:-0}" = 1 ] && psql -d "$BASE" -tAc "select 1" >/dev/null 2>&1; then
    say "reusing the template database $BASE (O2C_REUSE_BASE=1)"
else
    new_db "$BASE" FR
    install "$BASE" sale_management,account,mail,portal,l10n_fr_account --load-language=fr_FR
fi

if [ $# -eq 0 ] && [ "${O2C_INSTALL_MATRIX:-1}" != 0 ]; then
    for addon in "${ALL_ADDONS[@]}"; do
        copy_db "$BASE" "${DB}_alone"
        install "${DB}_alone" "$addon"
    done
    drop_db "${DB}_alone"
    new_db "${DB}_nofr" -
    install "${DB}_nofr" "$(IFS=,; echo "${ALL_ADDONS[*]}")"
    drop_db "${DB}_nofr"
fi

if [ $# -eq 0 ]; then
    # The five addons, the glue addons joining two of them (o2c_<a>_<b>), the cross-module tests.
    TARGETS=("${ALL_ADDONS[@]}")
    for manifest in o2c_*/__manifest__.py; do
        addon="$(dirname "$manifest")"
        [[ " ${ALL_ADDONS[*]} " == *" $addon "* ]] || TARGETS+=("$addon")
    done
    TARGETS+=(tests/o2c_suite_tests)
else
    TARGETS=("${SELECTED[@]}")
fi
status=0
if [ ${#TARGETS[@]} -gt 0 ]; then
    # Only what is tested gets installed: one addon's tests run on that addon and its dependencies.
    MODULES=()
    for target in "${TARGETS[@]}"; do MODULES+=("$(basename "$target")"); done
    # The portal payment tour of o2c_dunning pays with Odoo's demo provider: a test-only module, never a dependency.
    MODULES+=(payment_demo)
    copy_db "$BASE" "$DB"
    install "$DB" "$(IFS=,; echo "${MODULES[*]}")"

    HALVES=("${TARGETS[*]}")
    if [ $# -eq 0 ]; then
        first=() second=()
        for target in "${TARGETS[@]}"; do
            if [[ " ${SUITE_FIRST_HALF[*]} " == *" $target "* ]]; then first+=("$target"); else second+=("$target"); fi
        done
        HALVES=()
        for half in "${first[*]}" "${second[*]}"; do [ -n "$half" ] && HALVES+=("$half"); done
    fi
    started=$SECONDS
    confs=() dbs=() logs=() pids=()
    for half in "${!HALVES[@]}"; do
        half_db="$DB"
        if [ "$half" -gt 0 ]; then half_db="${DB}_$((half + 1))"; copy_db "$DB" "$half_db"; fi
        write_odoo_config "$half_db" "$(( ${O2C_TEST_PORT:-8069} + half ))"
        sed -i "s|^addons_path = .*|&,$O2C_ROOT/tests|" "$O2C_CONF"
        confs+=("$O2C_CONF") dbs+=("$half_db") logs+=("$O2C_ROOT/.o2c-tests-$half_db.log")
    done
    run_half() {  # run_half INDEX: pytest over that half's targets, on its own database and port
        # shellcheck disable=SC2206  # a half is a list of addon folders, which hold no spaces
        local targets=(${HALVES[$1]})
        python -m pytest -p no:cacheprovider --odoo-config="${confs[$1]}" --odoo-database="${dbs[$1]}" \
            --odoo-http --odoo-log-level=warn "${targets[@]}"
    }
    set +e
    if [ ${#HALVES[@]} -eq 1 ]; then
        say "running the tests of ${HALVES[0]}"
        run_half 0
        status=$?
        [ $status -eq 5 ] && die "no test was collected in ${HALVES[0]}."
    else
        for half in "${!HALVES[@]}"; do
            say "running the tests of ${HALVES[$half]} on ${dbs[$half]} (log: ${logs[$half]##*/})"
            run_half "$half" >"${logs[$half]}" 2>&1 &
            pids+=($!)
        done
        empty=()
        for half in "${!HALVES[@]}"; do  # every half is waited for, so none is left running when one fails
            wait "${pids[$half]}"
            half_status=$?
            cat "${logs[$half]}"
            [ $half_status -eq 5 ] && empty+=("${HALVES[$half]}")
            [ $half_status -eq 0 ] || status=$half_status
        done
        [ ${#empty[@]} -eq 0 ] || die "no test was collected in ${empty[*]}."
    fi
    set -e
    [ ${#HALVES[@]} -eq 1 ] || say "the suite's tests took $((SECONDS - started)) s in ${#HALVES[@]} halves side by side"
    O2C_CONF="${confs[0]}"
fi

odoo_status=0
if [ $ODOO_REGRESSION = 1 ]; then
    # Standard Odoo keeps working with the suite installed: Odoo's own tests on a database holding every addon
    # of the suite (not the suite's test module), as a customer's would. They live outside the repository, so
    # the suite's conftest (skips fail, the list of deliberate differences) is loaded as a plugin.
    ODOO_DB="${DB}_odoo"
    started=$SECONDS
    SUITE_ADDONS=()
    for manifest in o2c_*/__manifest__.py; do SUITE_ADDONS+=("$(dirname "$manifest")"); done
    copy_db "$BASE" "$ODOO_DB"
    write_odoo_config "$ODOO_DB" "${O2C_TEST_PORT:-8069}"
    install "$ODOO_DB" "$(IFS=,; echo "${SUITE_ADDONS[*]}")"
    say "running Odoo's own tests beside the suite (deliberate differences: $ODOO_EXPECTED)"
    installed=$SECONDS
    pids=() logs=()
    for half in "${!ODOO_TEST_HALVES[@]}"; do
        half_db="${ODOO_DB}_$((half + 1))"
        copy_db "$ODOO_DB" "$half_db"
        write_odoo_config "$half_db" "${O2C_TEST_PORT:-8069}"
        files=()
        for file in ${ODOO_TEST_HALVES[$half]}; do files+=("$ODOO_SRC/addons/$file"); done
        logs+=("$O2C_ROOT/.o2c-odoo-tests-$half_db.log")
        python -m pytest -p no:cacheprovider -p conftest -c pyproject.toml --rootdir="$ODOO_SRC/addons" \
            --o2c-expected-failures="$ODOO_EXPECTED" --odoo-config="$O2C_CONF" --odoo-database="$half_db" \
            --odoo-http --odoo-log-level=warn "${files[@]}" >"${logs[$half]}" 2>&1 &
        pids+=($!)
    done
    for half in "${!pids[@]}"; do
        wait "${pids[$half]}" || odoo_status=$?
        cat "${logs[$half]}"
    done
    say "Odoo's own tests took $((SECONDS - installed)) s, after $((installed - started)) s to install the suite"
fi

lint=0
if [ ${#TARGETS[@]} -gt 0 ]; then
    say "lint (ruff, pylint-odoo)"
    "$O2C_ROOT/setup/lint.sh" "${SELECTED[@]}" || lint=1
fi
[ $status -eq 0 ] || die "the test suite failed (pytest exit code $status)."
[ $odoo_status -eq 0 ] || die "Odoo's own tests failed beside the suite (pytest exit code $odoo_status): fix the addon, or list a deliberate difference in $ODOO_EXPECTED."
[ $lint -eq 0 ] || die "the tests passed but the lint failed (./setup/lint.sh ${SELECTED[*]})."
