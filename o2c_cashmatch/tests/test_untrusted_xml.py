"""The bank file upload refuses a camt statement carrying an entity bomb with a clear error and creates nothing."""

import base64

from odoo.addons.o2c_base.tests.xml_bombs import with_billion_laughs
from odoo.exceptions import UserError
from odoo.tests import tagged

from .camt_writer import camt053
from .common import IBAN, CashmatchCase


@tagged("post_install", "-at_install")
class TestUntrustedXml(CashmatchCase):
    def _counts(self):
        return (
            self.env["account.bank.statement"].search_count([("journal_id", "=", self.journal.id)]),
            self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.journal.id)]),
            self.env["o2c.cashmatch.proposal"].search_count([("journal_id", "=", self.journal.id)]),
        )

    def _upload(self, data, filename):
        wizard = self.env["o2c.cashmatch.import.wizard"].create(
            {"journal_id": self.journal.id, "data_file": base64.b64encode(data), "filename": filename}
        )
        return wizard.action_import()

    def test_import_wizard_refuses_a_billion_laughs_statement_and_creates_nothing(self):
        self._invoice(self.dupont, 120.0, ref="F2025-0007")
        statement = camt053([self._line(1, 120, remittance="F2025-0007", payer="DUPONT")], IBAN, statement_id="LOL-1")
        bomb = with_billion_laughs(statement, b"F2025-0007")
        with self.assertRaisesRegex(UserError, r"releve-piege\.xml cannot be imported: .*DTD or XML entities"):
            self._upload(bomb, "releve-piege.xml")
        self.assertEqual(self._counts(), (0, 0, 0))
        self._upload(statement, "releve.xml")
        self.assertEqual(self._counts()[:2], (1, 1))
