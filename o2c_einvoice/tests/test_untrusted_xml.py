"""The CDAR status import, the e-invoicing upload that reads a platform's XML, refuses hostile or broken files
with a clear error and writes nothing."""

import base64

from odoo.addons.o2c_base.tests.xml_bombs import with_billion_laughs
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EinvoiceCase


@tagged("post_install", "-at_install")
class TestUntrustedXml(EinvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.move = cls.make_invoice(post=True)
        status = cls.move._o2c_einvoice_add_status("207", reason_code="QTE_ERR", note="Quantité livrée")
        cls.cdar = status._o2c_cdar_xml()
        status.unlink()

    def _import(self, data, filename):
        wizard = self.env["o2c.einvoice.cdar.import"].create({"file": base64.b64encode(data), "filename": filename})
        return wizard.action_import()

    def _statuses(self):
        return self.env["o2c.einvoice.status"].search_count([("move_id", "=", self.move.id)])

    def test_cdar_import_refuses_a_billion_laughs_file_and_writes_no_status(self):
        bomb = with_billion_laughs(self.cdar, "Quantité livrée".encode())
        self.assertIn(b"<!ENTITY lol9", bomb)
        with self.assertRaisesRegex(UserError, r"statuts-piege\.xml declares a DTD or XML entities"):
            self._import(bomb, "statuts-piege.xml")
        self.assertEqual(self._statuses(), 0)
        self._import(self.cdar, "statuts.xml")
        self.assertEqual(self._statuses(), 1)

    def test_cdar_import_refuses_an_oversized_or_broken_file_naming_it(self):
        padded = self.cdar.replace(b"</rsm:CrossDomainAcknowledgementAndResponse>", b" " * (11 * 1024 * 1024))
        padded += b"</rsm:CrossDomainAcknowledgementAndResponse>"
        with self.assertRaisesRegex(UserError, r"gros\.xml weighs 11\.\d MB, more than the 10\.0 MB allowed"):
            self._import(padded, "gros.xml")
        with self.assertRaisesRegex(UserError, r"coupe\.xml is not well-formed XML"):
            self._import(self.cdar[:-60], "coupe.xml")
        self.assertEqual(self._statuses(), 0)
