import ast
import re
from pathlib import Path

from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_open
from odoo.tools.translate import (
    JAVASCRIPT_TRANSLATION_COMMENT,
    PYTHON_TRANSLATION_COMMENT,
    TranslationFileReader,
    TranslationModuleReader,
    code_translations,
)

# Calls whose text a user reads: Odoo's exceptions, chatter messages, activities.
EXCEPTIONS = {"UserError", "ValidationError", "AccessError", "RedirectWarning", "MissingError", "AccessDenied"}
MESSAGE_CALLS = {"message_post", "_message_log", "message_notify", "activity_schedule", "_message_log_batch"}
MESSAGE_KWARGS = {"body", "subject", "summary", "note"}
# Keys of values a user reads: stored reasons and notes, notifications' titles and messages.
USER_FACING_KEYS = {"reason", "reasons", "body", "summary", "note", "message", "title", "subject"}
TRANSLATORS = {"_", "_lt"}


def _is_words(text):
    """Whether a literal reads as words for a person (not a code, a field name, an xmlid or a tag)."""
    text = re.sub(r"<[^>]*>|%\(\w+\)s|%s|\{\w*\}", " ", text)
    return bool(re.search(r"[A-Za-z]{2,}", text)) and (" " in text.strip() or bool(re.match(r"[A-Z][a-z]", text)))


def _literal_text(node):
    """The literal text of a str constant, f-string or formatted str constant, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_text(node.func.value)
    return None


def _call_name(node):
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def untranslated_strings(source, filename="<string>"):
    """Return [(line, why, text)]: user-facing strings of Python ``source`` that no ``_()`` makes translatable.

    Finds texts given to exceptions, chatter messages and activities, or stored under a user-facing key
    (reasons, notes, notification titles) without ``_()``, and ``_()`` calls the translation export cannot
    read (an f-string, a formatted or concatenated string: the term is built before it is looked up).
    """
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in TRANSLATORS and node.args and not isinstance(node.args[0], ast.Constant):
                text = _literal_text(node.args[0])
                if text is not None:
                    found.append((node.lineno, f"{name}() of a built string, which no export can read", text))
            elif name in EXCEPTIONS and node.args:
                text = _literal_text(node.args[0])
                if text is not None and _is_words(text):
                    found.append((node.lineno, f"{name} message without _()", text))
            elif name in MESSAGE_CALLS:
                for keyword in node.keywords:
                    text = keyword.arg in MESSAGE_KWARGS and _literal_text(keyword.value)
                    if text and _is_words(text):
                        found.append((node.lineno, f"{name}({keyword.arg}=...) without _()", text))
            elif name == "Markup" and node.args:
                text = _literal_text(node.args[0])
                if text and _is_words(text):
                    found.append((node.lineno, "Markup() of words, which no export can read", text))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in USER_FACING_KEYS:
                    text = _literal_text(value)
                    if text and _is_words(text):
                        found.append((node.lineno, f"{key.value!r} value without _()", text))
    return found


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
                # Read as Odoo loads it: the addon's .pot, when there is one, is merged in and drops the terms
                # it lacks, so a French entry missing from the .pot never reaches the user.
                with file_open(str(po_path), mode="rb") as po_file:
                    translated = {
                        row["src"] for row in TranslationFileReader(po_file, fileformat="po") if row["value"].strip()
                    }
                terms = {term[4] for term in TranslationModuleReader(self.env.cr, modules=[addon])}
                missing = sorted(terms - translated)
                if missing:
                    self.fail(f"{addon}/i18n/fr.po lacks French for {len(missing)} terms, e.g. {missing[:10]}")

    def test_every_string_built_in_python_is_translated_in_fr_po(self):
        """What Python hands to a user reads in French: each ``_()`` term has the French Odoo loads at run time
        (an ``odoo-python`` entry of the addon's fr.po, where a mere field label of the same words is not
        enough), and no user-facing text escapes ``_()``."""
        addons = self._suite_addons()
        for addon in addons:
            with self.subTest(addon=addon):
                python_fr = code_translations.get_python_translations(addon, "fr_FR")
                web_fr = {
                    message["id"] for message in code_translations.get_web_translations(addon, "fr_FR")["messages"]
                }
                missing = set()
                for _module, kind, _name, _res_id, source, _value, comments in TranslationModuleReader(
                    self.env.cr, modules=[addon]
                ):
                    if kind != "code":
                        continue
                    if PYTHON_TRANSLATION_COMMENT in comments and source not in python_fr:
                        missing.add(source)
                    if JAVASCRIPT_TRANSLATION_COMMENT in comments and source not in web_fr:
                        missing.add(source)
                problems = []
                if missing:
                    problems.append(
                        f"{addon}/i18n/fr.po lacks the French Odoo uses for {len(missing)} strings built in code "
                        f"(entries marked '#. odoo-python' or '#. odoo-javascript', in the .pot too when there is "
                        f"one), e.g. {sorted(missing)[:10]}"
                    )
                root = Path(get_module_path(addon))
                escaped = [
                    f"{path.relative_to(root)}:{line}: {why}: {text!r}"
                    for path in sorted(root.rglob("*.py"))
                    if "tests" not in path.relative_to(root).parts
                    and re.search(r"^\s*(from|import) odoo\b", path.read_text(), re.MULTILINE)
                    for line, why, text in untranslated_strings(path.read_text(), str(path))
                ]
                if escaped:
                    problems.append(f"{addon} shows {len(escaped)} untranslatable strings:\n" + "\n".join(escaped[:20]))
                if problems:
                    self.fail("\n".join(problems))

    def test_the_string_finder_catches_what_a_user_would_read_in_english(self):
        source = """
from odoo import _
from odoo.exceptions import UserError

def act(self, partner):
    raise UserError("Nothing to do for " + partner.name)

def post(self, amount):
    self.message_post(body=f"Paid {amount}")
    self.write({"reasons": "Over the limit"})
    self.message_post(body=_(f"Paid {amount}"))
    return {"type": "ir.actions.client", "params": {"title": "Credit hold", "type": "warning"}}

def fine(self, amount):
    self.message_post(body=_("Paid %(amount)s", amount=amount))
    self.write({"state": "done", "reasons": _("Over the limit")})
    return {"type": "ir.actions.client", "tag": "display_notification", "params": {"type": "warning"}}
"""
        found = untranslated_strings(source)
        self.assertEqual(sorted(line for line, _why, _text in found), [6, 9, 10, 11, 12], found)

    def test_french_user_sees_french_menus(self):
        menu = self.env.ref("o2c_dunning.menu_dunning_root").with_context(lang="fr_FR")
        self.assertNotEqual(menu.name, "Collection", "the French user must not see the English menu name")
