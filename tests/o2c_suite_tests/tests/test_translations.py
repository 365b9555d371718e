from pathlib import Path

import polib

from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestFrenchTranslations(TransactionCase):
    def _suite_addons(self):
        """Return the installed addons of the suite (glue addons included), test addon excepted."""
        modules = self.env["ir.module.module"].search([("name", "=like", "o2c_%"), ("state", "=", "installed")])
        return [name for name in modules.mapped("name") if name != "o2c_suite_tests"]

    def test_every_term_of_every_addon_is_translated_in_fr_po(self):
        addons = self._suite_addons()
        self.assertGreaterEqual(len(addons), 5)
        for addon in addons:
            with self.subTest(addon=addon):
                po_path = Path(get_module_path(addon)) / "i18n" / "fr.po"
                self.assertTrue(po_path.exists(), f"{addon} has no i18n/fr.po")
                translated = {entry.msgid for entry in polib.pofile(str(po_path)) if entry.msgstr.strip()}
                terms = {term[4] for term in TranslationModuleReader(self.env.cr, modules=[addon])}
                missing = sorted(terms - translated)
                if missing:
                    self.fail(f"{addon}/i18n/fr.po lacks French for {len(missing)} terms, e.g. {missing[:10]}")

    def test_french_user_sees_french_menus(self):
        menu = self.env.ref("o2c_dunning.menu_dunning_root").with_context(lang="fr_FR")
        self.assertNotEqual(menu.name, "Collection", "the French user must not see the English menu name")
