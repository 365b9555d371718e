#!/usr/bin/env bash
# ./setup/run.sh [--no-serve] — bootstrap, create or update the demo database with the suite's addons,
# l10n_fr_account and the demo French SME, then serve Odoo on http://127.0.0.1:$O2C_PORT.
#   O2C_DB (default o2c_demo), O2C_PORT (default 8069)
source "$(dirname "$0")/bootstrap.sh"
SERVE=1
for arg in "$@"; do
    case "$arg" in
        --no-serve) SERVE=0 ;;
        *) die "unknown argument $arg (only --no-serve is known)." ;;
    esac
done
bootstrap

DB="${O2C_DB:-o2c_demo}"
PORT="${O2C_PORT:-8069}"
ADDONS="o2c_credit,o2c_dunning,o2c_disputes,o2c_einvoice,o2c_cashmatch,o2c_cockpit"
write_odoo_config "$DB" "$PORT"
cd "$O2C_ROOT"

if psql -d "$DB" -tAc "select 1 from ir_module_module limit 1" >/dev/null 2>&1; then
    say "updating the addons of database $DB (and installing those it lacks)"
    odoo_bin -d "$DB" -i "$ADDONS" -u "$ADDONS" --stop-after-init >"$O2C_ROOT/.o2c-run-$DB.log" 2>&1 \
        || { tail -30 "$O2C_ROOT/.o2c-run-$DB.log"; die "updating $DB failed (log: .o2c-run-$DB.log)."; }
else
    say "creating database $DB (French company) with the suite's addons"
    dropdb --if-exists "$DB"
    "$O2C_VENV/bin/python" "$O2C_ROOT/setup/o2c_db.py" "$O2C_CONF" "$DB" FR fr_FR || die "could not create database $DB."
    odoo_bin -d "$DB" -i "sale_management,l10n_fr_account,$ADDONS" --stop-after-init >"$O2C_ROOT/.o2c-run-$DB.log" 2>&1 \
        || { tail -30 "$O2C_ROOT/.o2c-run-$DB.log"; die "installing the addons into $DB failed (log: .o2c-run-$DB.log)."; }
fi
say "loading the demo data (once)"
"$O2C_VENV/bin/python" -m setup.demo "$O2C_CONF" "$DB" demo || die "loading the demo data into $DB failed."

if [ "$SERVE" = 1 ]; then
    say "serving $DB on http://127.0.0.1:$PORT — log in as admin / admin (Ctrl-C stops)"
    exec "$O2C_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$O2C_CONF" -d "$DB" --log-level=info
fi
say "database $DB is ready (serve it with ./setup/run.sh)"
