from odoo.tests import Form

from .common import CashmatchCase


class TestNewRecordForms(CashmatchCase):
    """A bank line not saved yet, then saved and opened in the review form, waits for matching."""

    def test_new_bank_line_waits_for_matching(self):
        values = {
            "journal_id": self.journal.id,
            "date": self.today,
            "payment_ref": "VIR BOULANGERIE DUPONT FACTURE",
            "amount": 250.0,
        }
        draft = self.env["account.bank.statement.line"].new(values)
        self.assertEqual(draft.o2c_match_state, "new")
        self.assertEqual(draft.o2c_match_score_percent, 0)
        self.assertFalse(draft.o2c_best_reasons)
        self.assertFalse(draft.o2c_proposed_invoice_ids)
        line = self.env["account.bank.statement.line"].create(values)
        form = Form(line)
        self.assertEqual(form.o2c_match_state, "new")
        self.assertEqual(form.amount, 250.0)
        self.assertEqual(form.o2c_match_score_percent, 0)
        self.assertFalse(form.is_reconciled)
        self.assertFalse(line.o2c_proposal_ids)
