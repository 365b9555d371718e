import ast
from pathlib import Path

from lxml import etree

from odoo.tests import tagged

from ..models.o2c_cashmatch_proposal import REASON_TEXTS
from .common import CashmatchCase


@tagged("post_install", "-at_install")
class TestFrenchDisplay(CashmatchCase):
    """What a French accountant reads on the review screens: scores in percent, reasons in French."""

    def _progressbar_fields(self, view_xmlid, subview=None):
        arch = etree.fromstring(self.env.ref(f"o2c_cashmatch.{view_xmlid}").arch)
        if subview:
            arch = arch.xpath(f"//field[@name='{subview}']")[0]
        return {node.get("name") for node in arch.iter("field") if node.get("widget") == "progressbar"}

    def test_scores_show_as_percent_of_a_full_bar(self):
        first = self._invoice(self.dupont, 99.0)
        self._invoice(self.dupont, 99.0)
        st_line = self._st_lines(self._import([self._line(1, 99.0, remittance="VIREMENT", payer="DUPONT")]))
        proposal = st_line.o2c_proposal_ids.filtered(lambda p: p.move_ids == first)
        self.assertTrue(0 < proposal.score < 1, proposal.score)
        self.assertEqual(proposal.score_percent, round(proposal.score * 100))
        self.assertEqual(st_line.o2c_match_score_percent, round(st_line.o2c_match_score * 100))
        self.assertGreater(st_line.o2c_match_score_percent, 1, "a 0.78 score must read 78 %, not 1 %")
        # The progress bars show a 0-100 value: never the 0-1 score itself.
        self.assertEqual(self._progressbar_fields("o2c_cashmatch_proposal_view_list"), {"score_percent"})
        self.assertEqual(self._progressbar_fields("o2c_cashmatch_proposal_view_form"), {"score_percent"})
        self.assertEqual(
            self._progressbar_fields("account_bank_statement_line_view_form", "o2c_proposal_ids"), {"score_percent"}
        )
        self.assertEqual(self._progressbar_fields("account_bank_statement_line_view_list"), {"o2c_match_score_percent"})
        french = proposal.with_context(lang="fr_FR")
        self.assertEqual(french.display_name, f"{first.name} (score {proposal.score_percent} %)")

    def test_reasons_are_read_in_the_reader_language_with_his_number_format(self):
        invoice = self._invoice(self.leroy, 1615.4, ref="RF18LEROY1")
        st_line = self._st_lines(
            self._import([self._line(1, 1300.0, remittance=f"Acompte {invoice.name}", payer="Menuiserie Leroy")])
        )
        proposal = st_line.o2c_proposal_ids.filtered(lambda p: p.kind == "partial")[:1]
        self.assertTrue(proposal, st_line.o2c_proposal_ids.mapped("kind"))
        self.assertIn("partial", [reason["code"] for reason in proposal.reason_data])
        english = proposal.with_context(lang="en_US").reasons
        self.assertIn("Partial payment: 1,300.00\xa0€ of 1,615.40\xa0€", english)
        french = proposal.with_context(lang="fr_FR").reasons
        lang = self.env["res.lang"]._lang_get("fr_FR")
        sep = lang.thousands_sep
        self.assertIn(f"Paiement partiel : 1{sep}300,00\xa0€ sur 1{sep}615,40\xa0€", french)
        self.assertNotIn("Partial", french)
        self.assertNotIn("1300.00", french)

    def test_every_engine_reason_has_french_words(self):
        first = self._invoice(self.dupont, 99.0)
        self._invoice(self.dupont, 99.0)
        st_line = self._st_lines(self._import([self._line(1, 99.0, remittance="VIREMENT", payer="BOULANGERIE DUPONT")]))
        french = st_line.o2c_proposal_ids.filtered(lambda p: p.move_ids == first).with_context(lang="fr_FR").reasons
        self.assertIn("Un autre candidat est tout aussi bon", french)
        self.assertNotIn("just as good", french)
        self.assertIn(" %)", french, "the name similarity reads '(92 %)' in French")

    def test_every_reason_code_of_the_engine_has_translatable_words(self):
        engine_dir = Path(__file__).resolve().parents[1] / "matching"
        codes = {
            node.args[0].value
            for path in engine_dir.glob("*.py")
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in ("make_reason", "_reason")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        }
        self.assertGreater(len(codes), 20)
        self.assertEqual(codes - set(REASON_TEXTS), set(), "these reasons would show the engine's English text")
