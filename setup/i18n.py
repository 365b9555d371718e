"""Export an addon's translatable terms and merge them into its i18n/fr.po.

Usage: python setup/i18n.py CONFIG DB ADDON
Writes i18n/ADDON.pot, keeps every French translation fr.po already has, adds the new terms
with an empty msgstr, drops the terms the addon no longer has, and lists what is left to translate.
"""

import io
import sys
from pathlib import Path

import polib

import odoo
from odoo.modules.registry import Registry
from odoo.tools.translate import trans_export


def main(config, dbname, addon):
    """Refresh ADDON's pot and fr.po from database `dbname`; print the untranslated terms."""
    odoo.tools.config.parse_config(["-c", config, "-d", dbname])
    i18n = Path(odoo.modules.get_module_path(addon)) / "i18n"
    i18n.mkdir(exist_ok=True)
    with Registry(dbname).cursor() as cr:
        buffer = io.BytesIO()
        trans_export(False, [addon], buffer, "po", cr)
    pot_path = i18n / f"{addon}.pot"
    pot_path.write_bytes(buffer.getvalue())
    template = polib.pofile(str(pot_path))
    fr_path = i18n / "fr.po"
    known = {}
    if fr_path.exists():
        known = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(fr_path)) if e.msgstr}
    template.metadata["Language"] = "fr"
    template.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    untranslated = []
    for entry in template:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
        if not entry.msgstr:
            untranslated.append(entry.msgid)
    template.save(str(fr_path))
    print(f"{fr_path}: {len(template)} terms, {len(untranslated)} to translate")
    for msgid in untranslated:
        print(f"  - {msgid!r}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
