#!/usr/bin/env bash
# ./setup/screenshots.sh — the README's walkthrough screenshots (docs/screenshots/*.png), taken by headless
# Chromium over the demo database built by ./setup/run.sh, logged in as the demo's named users.
#   O2C_DB (default o2c_demo), O2C_PORT (default 8069): the demo database and the port it is (or gets) served on.
source "$(dirname "$0")/bootstrap.sh"
bootstrap

DB="${O2C_DB:-o2c_demo}"
PORT="${O2C_PORT:-8069}"
URL="http://127.0.0.1:$PORT"
cd "$O2C_ROOT"
psql -d "$DB" -tAc "select value from ir_config_parameter where key = 'o2c.demo_loaded'" 2>/dev/null | grep -q size= \
    || die "database $DB has no demo data: build it first with ./setup/run.sh --no-serve."

SERVER=""
stop_server() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; fi; }
trap stop_server EXIT
if curl -sf -o /dev/null "$URL/web/health"; then
    say "using the Odoo server already answering on $URL (it must serve $DB)"
else
    write_odoo_config "$DB" "$PORT"
    say "serving $DB on $URL for the screenshots"
    "$O2C_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$O2C_CONF" -d "$DB" --max-cron-threads=0 \
        >"$O2C_ROOT/.o2c-screenshots-$DB.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 120); do curl -sf -o /dev/null "$URL/web/health" && break; sleep 1; done
    curl -sf -o /dev/null "$URL/web/health" || die "the Odoo server of $DB did not answer on $URL (log: .o2c-screenshots-$DB.log)."
fi
"$O2C_VENV/bin/python" "$O2C_ROOT/setup/screenshots.py" "$URL" "$DB" "$O2C_ROOT/docs/screenshots" \
    || die "the screenshots could not all be taken (see the sentence above)."
say "screenshots written to docs/screenshots/"
