"""A core's refusal carries a code and its figures for the Odoo side, and an English sentence for logs."""

from odoo.addons.o2c_base.pdf.chromium import ChromiumError
from odoo.addons.o2c_base.tools.errors import CoreError
from odoo.addons.o2c_base.tools.safe_xml import XmlRefused, parse_untrusted_xml
from odoo.tests import BaseCase


class TestCoreError(BaseCase):
    """`CoreError` is the one shape of a core's refusal."""

    def test_code_and_params_fill_the_english_message(self):
        error = CoreError("missing_amount", "Entry %(index)s has no amount.", index=3)
        self.assertEqual(
            (error.code, error.params, str(error)), ("missing_amount", {"index": 3}, "Entry 3 has no amount.")
        )
        self.assertIsInstance(error, ValueError)

    def test_a_message_without_params_is_kept_as_is_even_with_a_percent_sign(self):
        self.assertEqual(str(CoreError("rate", "100% is not a rate")), "100% is not a rate")
        self.assertEqual(str(CoreError("bare")), "bare")

    def test_the_xml_reader_refuses_with_a_core_error_whose_code_is_the_reason(self):
        with self.assertRaises(CoreError) as caught:
            parse_untrusted_xml(b"x" * 2007, max_bytes=2006)
        self.assertIsInstance(caught.exception, XmlRefused)
        self.assertEqual(caught.exception.code, "too_large")
        self.assertEqual(caught.exception.params, {"detail": "", "size": 2007, "limit": 2006})

    def test_the_pdf_renderer_refuses_with_a_core_error_whose_code_is_the_kind(self):
        error = ChromiumError("timeout", "no page after 60 s")
        self.assertEqual((error.code, error.kind, error.reason), ("timeout", "timeout", "no page after 60 s"))
        self.assertEqual(str(error), "timeout: no page after 60 s")
