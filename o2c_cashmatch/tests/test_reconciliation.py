"""Matching in Odoo: sure lines reconciled through Odoo's own lettrage, the others reviewed by a person."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CashmatchCase


@tagged("post_install", "-at_install")
class TestReconciliation(CashmatchCase):
    def _reconciled_with(self, invoice, st_line):
        """True when the invoice's receivable is lettered with a journal item of the statement line's entry."""
        receivable = self._receivable(invoice)
        partials = receivable.matched_debit_ids | receivable.matched_credit_ids
        counterparts = partials.debit_move_id | partials.credit_move_id
        return bool(counterparts & st_line.move_id.line_ids)

    def test_exact_reference_is_reconciled_automatically_with_odoo_lettrage(self):
        invoice = self._invoice(self.dupont, 480.0)
        result = self._import([self._line(1, 480.0, remittance=f"Facture {invoice.name}", payer="DUPONT")])
        st_line = self._st_lines(result)
        self.assertEqual(result["auto"], 1)
        self.assertEqual(st_line.o2c_match_state, "auto")
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertTrue(self._receivable(invoice).full_reconcile_id, "a full reconciliation, Odoo's lettrage")
        self.assertTrue(self._reconciled_with(invoice, st_line))
        self.assertEqual(st_line.partner_id, self.dupont)

    def test_reference_in_structured_field_and_other_payer_is_reconciled(self):
        invoice = self._invoice(self.martin, 1250.0)
        line = self._line(1, 1250.0, structured=invoice.name.replace("/", ""), payer="EUROFACTOR")
        st_line = self._st_lines(self._import([line]))
        self.assertEqual(st_line.o2c_match_state, "auto")
        self.assertEqual(invoice.payment_state, "paid")

    def test_several_invoices_in_one_payment(self):
        first = self._invoice(self.leroy, 100.0)
        second = self._invoice(self.leroy, 250.5)
        line = self._line(1, 350.5, remittance=f"{first.name} {second.name}", payer="MENUISERIE LEROY")
        st_line = self._st_lines(self._import([line]))
        self.assertEqual(st_line.o2c_match_state, "auto")
        self.assertEqual((first + second).mapped("payment_state"), ["paid", "paid"])

    def test_partial_payment_is_applied_without_write_off(self):
        invoice = self._invoice(self.dupont, 1000.0)
        st_line = self._st_lines(self._import([self._line(1, 400.0, remittance=invoice.name, payer="Dupont")]))
        self.assertEqual(st_line.o2c_match_state, "auto")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertAlmostEqual(invoice.amount_residual, 600.0)
        self.assertFalse(st_line.move_id.line_ids.filtered(lambda aml: aml.account_id == self.fee_account))

    def test_bank_fees_within_the_limit_are_written_off_to_the_fees_account(self):
        invoice = self._invoice(self.martin, 730.0)
        line = self._line(1, 722.5, remittance=invoice.name, payer="TRANSPORTS MARTIN", charges=7.5)
        st_line = self._st_lines(self._import([line]))
        self.assertEqual(invoice.payment_state, "paid")
        fees = st_line.move_id.line_ids.filtered(lambda aml: aml.account_id == self.fee_account)
        self.assertAlmostEqual(fees.balance, 7.5)

    def test_shortfall_above_the_fee_limit_is_a_partial_payment(self):
        invoice = self._invoice(self.martin, 730.0)
        self._import([self._line(1, 700.0, remittance=invoice.name, payer="TRANSPORTS MARTIN")])
        self.assertEqual(invoice.payment_state, "partial")

    def test_early_payment_discount_of_the_payment_terms_is_taken(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30 jours, escompte 2% à 10 jours",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        invoice = self._invoice(self.leroy, 1000.0, payment_term=term, invoice_date=date(2025, 6, 25))
        st_line = self._st_lines(
            self._import([self._line(1, 980.0, remittance=invoice.name, payer="LEROY", day=date(2025, 6, 30))])
        )
        self.assertEqual(st_line.o2c_match_state, "auto")
        self.assertEqual(invoice.payment_state, "paid")
        loss = self.company.account_journal_early_pay_discount_loss_account_id
        self.assertAlmostEqual(st_line.move_id.line_ids.filtered(lambda aml: aml.account_id == loss).balance, 20.0)

    def test_credit_note_is_netted(self):
        invoice = self._invoice(self.dupont, 800.0)
        refund = self._invoice(self.dupont, 150.0, move_type="out_refund")
        self._import([self._line(1, 650.0, remittance=f"{invoice.name} moins avoir", payer="DUPONT")])
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(refund.payment_state, "paid")

    def test_typo_confirmed_by_amount_and_customer_is_reconciled(self):
        invoice = self._invoice(self.leroy, 615.4)
        typo = invoice.name.replace("/", "").replace("0", "O", 1)
        st_line = self._st_lines(self._import([self._line(1, 615.4, remittance=f"FACT {typo}", payer="Leroy")]))
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(st_line.o2c_match_state, "auto")

    def test_amount_and_payer_name_without_reference(self):
        invoice = self._invoice(self.martin, 4321.09)
        self._import([self._line(1, 4321.09, remittance="VIREMENT SEPA", payer="TRANSPORTS MARTIN")])
        self.assertEqual(invoice.payment_state, "paid")

    def test_two_equally_good_candidates_wait_for_a_person(self):
        first = self._invoice(self.dupont, 99.0)
        second = self._invoice(self.dupont, 99.0)
        st_line = self._st_lines(self._import([self._line(1, 99.0, remittance="VIREMENT", payer="DUPONT")]))
        self.assertEqual(st_line.o2c_match_state, "proposed")
        self.assertFalse(st_line.is_reconciled)
        self.assertEqual(set(st_line.o2c_proposal_ids.move_ids.ids), {first.id, second.id})
        self.assertTrue(all(p.score < 0.9 for p in st_line.o2c_proposal_ids))
        self.assertIn("just as good", st_line.o2c_proposal_ids[0].reasons)

    def test_accepting_a_proposal_reconciles_and_learns_the_payer_iban(self):
        self._invoice(self.dupont, 99.0)
        second = self._invoice(self.dupont, 99.0)
        iban = "FR1420041010050500013M02606"
        st_line = self._st_lines(self._import([self._line(1, 99.0, remittance="VIREMENT", payer="DUPONT", iban=iban)]))
        proposal = st_line.o2c_proposal_ids.filtered(lambda p: p.move_ids == second)
        proposal.action_accept()
        self.assertEqual(st_line.o2c_match_state, "accepted")
        self.assertEqual(second.payment_state, "paid")
        self.assertEqual(proposal.state, "accepted")
        self.assertEqual((st_line.o2c_proposal_ids - proposal).mapped("state"), ["rejected"])
        bank = self.env["res.partner.bank"].search([("sanitized_acc_number", "=", iban)])
        self.assertEqual(bank.partner_id, self.dupont, "the payer's IBAN is now known for the customer")
        # Next time the same account pays, the customer is recognised by it.
        third = self._invoice(self.dupont, 55.5)
        self._import([self._line(2, 55.5, remittance="VIREMENT", payer="M OU MME X", iban=iban)], "TEST-2")
        self.assertEqual(third.payment_state, "paid")

    def test_rejecting_leaves_the_line_open_and_the_matcher_leaves_it_alone(self):
        self._invoice(self.dupont, 99.0)
        self._invoice(self.dupont, 99.0)
        st_line = self._st_lines(self._import([self._line(1, 99.0, remittance="VIREMENT", payer="DUPONT")]))
        st_line.action_o2c_reject()
        self.assertEqual(st_line.o2c_match_state, "rejected")
        self.assertEqual(set(st_line.o2c_proposal_ids.mapped("state")), {"rejected"})
        st_line._o2c_run_matching()
        self.assertEqual(st_line.o2c_match_state, "rejected")
        self.assertFalse(st_line.is_reconciled)

    def test_picking_another_invoice_by_search(self):
        wanted = self._invoice(self.leroy, 70.0)
        st_line = self._st_lines(self._import([self._line(1, 70.0, remittance="DIVERS", payer="INCONNU")]))
        self.assertNotEqual(st_line.o2c_match_state, "auto")
        action = st_line.action_o2c_pick()
        wizard_form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard_form.move_line_ids.add(self._receivable(wanted))
        wizard_form.save().action_confirm()
        self.assertEqual(wanted.payment_state, "paid")
        self.assertEqual(st_line.o2c_match_state, "accepted")

    def test_a_picked_credit_note_adds_to_the_line_and_the_oldest_invoice_is_paid_first(self):
        older = self._invoice(self.leroy, 100.0, invoice_date=date(2025, 5, 1))
        newer = self._invoice(self.leroy, 200.0, invoice_date=date(2025, 6, 1))
        credit_note = self._invoice(self.leroy, 50.0, move_type="out_refund", invoice_date=date(2025, 6, 10))
        st_line = self._st_lines(self._import([self._line(1, 180.0, remittance="DIVERS", payer="INCONNU")]))
        action = st_line.action_o2c_pick()
        wizard_form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        for move in (newer, credit_note, older):
            wizard_form.move_line_ids.add(self._receivable(move))
        wizard_form.save().action_confirm()
        # 180 received + 50 credited: the May invoice in full, 130 of the June one.
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertEqual(older.payment_state, "paid")
        self.assertEqual(newer.payment_state, "partial")
        self.assertAlmostEqual(newer.amount_residual, 70.0)
        self.assertTrue(st_line.is_reconciled)

    def test_undo_reconciliation_reopens_the_invoice_and_returns_the_line_to_review(self):
        invoice = self._invoice(self.martin, 300.0)
        st_line = self._st_lines(self._import([self._line(1, 300.0, remittance=invoice.name, payer="MARTIN")]))
        self.assertEqual(invoice.payment_state, "paid")
        st_line.action_undo_reconciliation()
        self.assertFalse(st_line.is_reconciled)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(st_line.o2c_match_state, "proposed")
        st_line.o2c_best_proposal_id.action_accept()
        self.assertEqual(invoice.payment_state, "paid")

    def test_running_the_matcher_twice_changes_nothing(self):
        invoice = self._invoice(self.martin, 300.0)
        self._invoice(self.dupont, 99.0)
        self._invoice(self.dupont, 99.0)
        result = self._import(
            [
                self._line(1, 300.0, remittance=invoice.name, payer="MARTIN"),
                self._line(2, 99.0, remittance="VIREMENT", payer="DUPONT"),
            ]
        )
        lines = self._st_lines(result)
        before = [(ln.o2c_match_state, ln.is_reconciled, ln.move_id.line_ids.ids) for ln in lines]
        proposals = lines.o2c_proposal_ids.mapped(lambda p: (p.statement_line_id.id, p.move_ids.ids, p.score))
        counts = lines._o2c_run_matching()
        self.assertEqual(counts["auto"], 0)
        self.assertEqual(before, [(ln.o2c_match_state, ln.is_reconciled, ln.move_id.line_ids.ids) for ln in lines])
        self.assertEqual(
            proposals, lines.o2c_proposal_ids.mapped(lambda p: (p.statement_line_id.id, p.move_ids.ids, p.score))
        )

    def test_line_reconciled_by_hand_meanwhile_is_not_reconciled_twice(self):
        invoice = self._invoice(self.martin, 300.0)
        other = self._invoice(self.leroy, 300.0)
        result = self._import([self._line(1, 300.0, remittance=invoice.name, payer="MARTIN")], match=False)
        st_line = self._st_lines(result)
        # The matcher has read the line and computed its proposal...
        st_line._o2c_run_matching(auto_apply=False)
        proposal = st_line.o2c_best_proposal_id
        # ...while an accountant reconciles it by hand with another invoice.
        manual = self.env["o2c.cashmatch.proposal"].create(
            {
                "statement_line_id": st_line.id,
                "kind": "manual",
                "score": 1.0,
                "partner_id": self.leroy.id,
                "allocation_ids": [Command.create({"move_line_id": self._receivable(other).id, "amount": 300.0})],
            }
        )
        manual.action_accept()
        applied = proposal._o2c_apply(state="auto")
        self.assertFalse(applied, "the matcher's proposal is not applied on a line reconciled meanwhile")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(other.payment_state, "paid")
        with self.assertRaises(UserError):
            proposal.action_accept()

    def test_returned_payment_is_never_matched(self):
        invoice = self._invoice(self.dupont, 150.0)
        line = self._line(1, -150.0, remittance=f"RETOUR {invoice.name}", payer="DUPONT", return_reason="AC04")
        st_line = self._st_lines(self._import([line]))
        self.assertEqual(st_line.o2c_match_state, "return")
        self.assertFalse(st_line.o2c_proposal_ids)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_cron_matches_the_lines_imported_without_matching(self):
        invoice = self._invoice(self.martin, 310.0)
        st_line = self._st_lines(
            self._import([self._line(1, 310.0, remittance=invoice.name, payer="MARTIN")], match=False)
        )
        self.assertEqual(st_line.o2c_match_state, "new")
        self.env["account.bank.statement.line"]._cron_o2c_match(batch_size=10, commit=False)
        self.assertEqual(st_line.o2c_match_state, "auto")
        self.assertEqual(invoice.payment_state, "paid")

    def test_unknown_payment_gets_no_proposal(self):
        st_line = self._st_lines(self._import([self._line(1, 12345.67, remittance="DEPOT", payer="PERSONNE")]))
        self.assertEqual(st_line.o2c_match_state, "unmatched")

    def test_threshold_in_settings_decides_what_is_automatic(self):
        self.company.o2c_cashmatch_auto_threshold = 1.0
        invoice = self._invoice(self.martin, 300.0)
        st_line = self._st_lines(self._import([self._line(1, 300.0, remittance=invoice.name, payer="MARTIN")]))
        self.assertEqual(st_line.o2c_match_state, "proposed")
        self.assertGreaterEqual(st_line.o2c_match_score, 0.9)

    def test_rf_creditor_reference_on_invoices_when_the_company_chooses_it(self):
        self.company.o2c_cashmatch_rf_reference = True
        invoice = self._invoice(self.leroy, 420.0)
        self.assertTrue(invoice.payment_reference.startswith("RF"))
        from stdnum import iso11649

        self.assertTrue(iso11649.is_valid(invoice.payment_reference))
        st_line = self._st_lines(self._import([self._line(1, 420.0, structured=invoice.payment_reference, payer="X")]))
        self.assertTrue(st_line.o2c_creditor_reference_valid)
        self.assertEqual(invoice.payment_state, "paid")
        self.company.o2c_cashmatch_rf_reference = False
        self.assertFalse(self._invoice(self.leroy, 1.0).payment_reference.startswith("RF"))

    def test_figures_count_auto_proposed_and_left_by_day_and_journal(self):
        invoice = self._invoice(self.martin, 300.0)
        self._invoice(self.dupont, 99.0)
        self._invoice(self.dupont, 99.0)
        self._import(
            [
                self._line(1, 300.0, remittance=invoice.name, payer="MARTIN"),
                self._line(2, 99.0, remittance="VIREMENT", payer="DUPONT"),
                self._line(3, 5.0, remittance="?", payer="?"),
            ]
        )
        self.env.flush_all()
        groups = self.env["o2c.cashmatch.report"]._read_group(
            [("journal_id", "=", self.journal.id)],
            ["date:day", "journal_id"],
            ["line_count:sum", "auto_count:sum", "proposed_count:sum", "left_count:sum", "auto_share:avg"],
        )
        self.assertEqual(len(groups), 1)
        _day, journal, lines, auto, proposed, left, share = groups[0]
        self.assertEqual((journal, lines, auto, proposed, left), (self.journal, 3, 1, 1, 1))
        self.assertAlmostEqual(share, 100 / 3, places=3)

    def test_candidate_retrieval_costs_the_same_queries_for_more_open_invoices(self):
        def queries_for(count, index):
            for i in range(count):
                self._invoice(self.leroy, 10.0 + i)
            result = self._import([self._line(index, 1.23, remittance="VIREMENT", payer="X")], f"Q{index}", match=False)
            lines = self._st_lines(result)
            lines.invalidate_recordset()
            before = self.cr.sql_log_count
            lines._o2c_run_matching()
            return self.cr.sql_log_count - before

        queries_for(1, 0)  # the first matching of the class also fills Odoo's caches (company, currency, sequences)
        small = queries_for(3, 1)
        large = queries_for(40, 2)
        self.assertEqual(small, large)
