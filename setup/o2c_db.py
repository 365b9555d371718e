"""Create an empty Odoo database the way Odoo's database manager does (company country and
language set before any module is installed, so that `account` picks the right chart).

Usage: python setup/o2c_db.py CONFIG DBNAME COUNTRY_CODE|- LANG
"""

import sys

import odoo
from odoo.service import db as db_service


def main(config, name, country, lang):
    """Create database `name`; exits non-zero with one sentence when it cannot."""
    odoo.tools.config.parse_config(["-c", config])
    if db_service.exp_db_exist(name):
        sys.exit(f"o2c setup: database {name} already exists.")
    db_service._create_empty_database(name)
    db_service._initialize_db(
        None, name, False, lang, "admin", login="admin", country_code=None if country == "-" else country
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
