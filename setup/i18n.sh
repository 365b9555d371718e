#!/usr/bin/env bash
# ./setup/i18n.sh ADDON [DB] — update ADDON in DB (default $O2C_TEST_DB or o2c_test), export its terms
# to i18n/ADDON.pot and merge them into i18n/fr.po, listing the terms still to translate.
source "$(dirname "$0")/bootstrap.sh"
ADDON="${1:?usage: ./setup/i18n.sh ADDON [DB]}"
DB="${2:-${O2C_TEST_DB:-o2c_test}}"
[ -f "$O2C_ROOT/$ADDON/__manifest__.py" ] || die "$ADDON is not an addon of the suite."
psql -d "$DB" -tAc "select 1" >/dev/null 2>&1 || die "database $DB does not exist: run ./setup/test.sh $ADDON first."
write_odoo_config "$DB"
sed -i "s|^addons_path = .*|&,$O2C_ROOT/tests|" "$O2C_CONF"
LOG="$O2C_ROOT/.o2c-i18n-$DB.log"
odoo_bin -d "$DB" -u "$ADDON" --stop-after-init >"$LOG" 2>&1 || { tail -20 "$LOG"; die "updating $ADDON in $DB failed (log: $LOG)."; }
"$O2C_VENV/bin/python" "$O2C_ROOT/setup/i18n.py" "$O2C_CONF" "$DB" "$ADDON"
