#!/usr/bin/env bash
# Shared bootstrap of the O2C suite, sourced by run.sh, test.sh and bench.sh.
# Installs what is missing (Debian packages, PostgreSQL, a virtualenv with Odoo 18.0 and the
# suite's requirements) and does nothing when everything is already there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

O2C_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
O2C_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/o2c"
ODOO_SRC="${ODOO_SRC:-$O2C_CACHE/odoo-18.0}"
O2C_VENV="${O2C_VENV:-$O2C_ROOT/.venv}"
O2C_PYTHON_BIN="${O2C_PYTHON_BIN:-python3.11}"
export O2C_ROOT ODOO_SRC O2C_VENV

die() { echo "o2c setup: $*" >&2; exit 1; }
say() { echo "o2c setup: $*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

# --- Debian packages -------------------------------------------------------------------
O2C_DEB_PACKAGES=(postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev
    wkhtmltopdf chromium ghostscript poppler-utils fonts-dejavu-core fonts-liberation2 git)

install_debian_packages() {
    local missing=() pkg
    for pkg in "${O2C_DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "the Debian packages ${missing[*]} are missing and apt-get is not available to install them."
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -q >/dev/null || die "apt-get update failed: check the network access to the Debian mirrors."
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get could not install ${missing[*]}."
}

# --- PostgreSQL --------------------------------------------------------------------------
start_postgresql() {
    if ! pg_isready -q 2>/dev/null; then
        command -v pg_lsclusters >/dev/null || die "PostgreSQL is not answering and pg_lsclusters is missing."
        if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
            local version
            version=$(ls /usr/lib/postgresql | sort -V | tail -1)
            say "creating a PostgreSQL $version cluster"
            $SUDO pg_createcluster "$version" main >/dev/null || die "pg_createcluster $version main failed."
        fi
        local version name
        read -r version name _ < <(pg_lsclusters -h | head -1)
        say "starting PostgreSQL $version/$name"
        $SUDO pg_ctlcluster "$version" "$name" start || die "PostgreSQL $version/$name would not start (see /var/log/postgresql)."
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 0.5; done
        pg_isready -q || die "PostgreSQL started but does not answer on its socket."
    fi
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        say "creating the PostgreSQL superuser role $me"
        (cd / && $SUDO su postgres -c "psql -q -c 'CREATE ROLE \"$me\" SUPERUSER LOGIN'") >/dev/null \
            || die "could not create the PostgreSQL role $me."
    fi
}

# --- Odoo source -------------------------------------------------------------------------
ensure_odoo_source() {
    if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        say "no Odoo source in $ODOO_SRC: cloning the official 18.0 branch"
        mkdir -p "$(dirname "$ODOO_SRC")"
        git clone -q --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
            || die "no Odoo 18.0 source in $ODOO_SRC and cloning it failed: set ODOO_SRC to an Odoo 18.0 checkout."
    fi
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC does not hold Odoo 18.0 (see odoo/release.py)."
}

# --- virtualenv --------------------------------------------------------------------------
ensure_virtualenv() {
    local stamp="$O2C_VENV/.o2c-stamp" want
    want=$(cat "$ODOO_SRC/requirements.txt" "$O2C_ROOT/requirements.txt" "$O2C_ROOT/requirements-nodeps.txt" | sha256sum | cut -c1-16)-$ODOO_SRC
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$O2C_VENV/bin/python" -c "import odoo, pytest_odoo" 2>/dev/null; then
        return 0
    fi
    command -v "$O2C_PYTHON_BIN" >/dev/null || die "$O2C_PYTHON_BIN is missing: Odoo 18 and its pinned requirements need Python 3.11."
    [ -x "$O2C_VENV/bin/python" ] || "$O2C_PYTHON_BIN" -m venv "$O2C_VENV" || die "could not create the virtualenv $O2C_VENV."
    local pip=("$O2C_VENV/bin/python" -m pip install -q)
    "${pip[@]}" --upgrade pip wheel "setuptools<70" || die "could not upgrade pip in $O2C_VENV."
    # Odoo 18 pins cbor2 5.4.2, whose build breaks with setuptools >= 70.
    local constraints="$O2C_VENV/.build-constraints.txt"
    echo "setuptools<70" >"$constraints"
    say "installing Odoo's requirements into $O2C_VENV (first run only)"
    "${pip[@]}" --build-constraint "$constraints" -r "$ODOO_SRC/requirements.txt" \
        || die "pip could not install Odoo's requirements.txt into $O2C_VENV."
    "${pip[@]}" -r "$O2C_ROOT/requirements.txt" || die "pip could not install the suite's requirements.txt."
    "${pip[@]}" --no-deps -r "$O2C_ROOT/requirements-nodeps.txt" \
        || die "pip could not install the suite's requirements-nodeps.txt."
    "${pip[@]}" --no-deps --no-build-isolation -e "$ODOO_SRC" --config-settings editable_mode=compat \
        || die "pip could not install Odoo from $ODOO_SRC."
    # OCA wheels create site-packages/odoo/addons without __init__.py; the source path first keeps `import odoo` working.
    local site
    site=$("$O2C_VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    echo "$ODOO_SRC" >"$site/000-o2c-odoo-src.pth"
    "$O2C_VENV/bin/python" -c "import odoo, pytest_odoo" || die "the virtualenv cannot import odoo and pytest_odoo."
    echo "$want" >"$stamp"
}

# --- Odoo configuration ------------------------------------------------------------------
write_odoo_config() {  # one configuration file per database, so parallel runs never share one
    local db="$1" port="${2:-8069}"
    O2C_CONF="$O2C_ROOT/.o2c-odoo-$db.conf"
    cat >"$O2C_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$O2C_ROOT
data_dir = $O2C_CACHE/data
db_name = $db
dbfilter = ^$db\$
http_port = $port
http_interface = 127.0.0.1
list_db = False
without_demo = all
log_level = warn
max_cron_threads = 1
CONF
}

odoo_bin() { "$O2C_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$O2C_CONF" "$@"; }

# --- PDF renderer --------------------------------------------------------------------------
say_pdf_renderer() {  # the same choice as o2c_base's ir.actions.report (o2c_base/pdf/wkhtmltopdf.py)
    local wk chromium_bin version
    wk=$(wkhtmltopdf --version 2>/dev/null | head -1 || true)
    if grep -qi "with patched qt" <<<"$wk"; then
        say "PDF renderer: $wk (Odoo's own path)"
        return 0
    fi
    chromium_bin=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
    [ -n "$chromium_bin" ] || die "no PDF renderer: ${wk:-wkhtmltopdf is missing} and Chromium is not installed."
    version=$("$chromium_bin" --version 2>/dev/null | grep -oE "[0-9]+" | head -1 || true)
    local why="wkhtmltopdf is missing"
    [ -z "$wk" ] || why="$wk lacks Odoo's patched Qt"
    say "PDF renderer: headless Chromium ${version:-?} ($why)"
}

bootstrap() {
    install_debian_packages
    start_postgresql
    ensure_odoo_source
    ensure_virtualenv
    say_pdf_renderer
}
