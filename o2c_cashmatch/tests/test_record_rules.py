"""Each cash-matching record rule keeps a company's bank matching to the users of that company: a cash-matching
user of company A sees A's proposals, their invoice allocations and the matching figures, none of company B's."""

from odoo import Command
from odoo.addons.o2c_base.tests.multi_company import create_second_company
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .camt_writer import camt053
from .common import IBAN, CashmatchCase

IBAN_B = "FR7610107001011234567890129"


@tagged("post_install", "-at_install")
class TestCashmatchRecordRules(CashmatchCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = create_second_company(cls.env, cls.currency)
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        cls.journal_b = env_b["account.journal"].create(
            {"name": "Banque Lyon", "code": "BLYO", "type": "bank", "bank_acc_number": IBAN_B}
        )
        groups = "o2c_cashmatch.group_o2c_cashmatch_user"
        cls.user_a = new_test_user(cls.env, login="o2c_cash_a", groups=groups, company_id=cls.company.id)
        cls.user_b = new_test_user(cls.env, login="o2c_cash_b", groups=groups, company_id=cls.company_b.id)
        cls.proposal_a = cls._proposal(cls.env, cls.journal, IBAN)
        cls.proposal_b = cls._proposal(env_b, cls.journal_b, IBAN_B)

    @classmethod
    def _proposal(cls, env, journal, iban):
        """An imported bank line of `journal` with a proposal settling an invoice of the journal's company."""
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.dupont.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [Command.create({"name": "Prestation", "price_unit": 240.0, "tax_ids": []})],
            }
        )
        invoice.action_post()
        data = camt053([cls._line(1, 240, payer="BOULANGERIE DUPONT")], iban, statement_id=f"RULES-{journal.code}")
        result = journal.with_env(env).o2c_import_statement(data, "rules.xml", match=False)
        line = env["account.bank.statement.line"].search([("statement_id", "in", result["statement_ids"])])
        receivable = invoice.line_ids.filtered(lambda item: item.account_id.account_type == "asset_receivable")
        return env["o2c.cashmatch.proposal"].create(
            {
                "statement_line_id": line.id,
                "partner_id": cls.dupont.id,
                "score": 0.8,
                "allocation_ids": [Command.create({"move_line_id": receivable.id, "amount": 240.0})],
            }
        )

    def test_proposals_and_allocations_of_the_other_company_are_invisible_and_unreadable(self):
        self.assertEqual(self.proposal_a.company_id, self.company)
        self.assertEqual(self.proposal_b.company_id, self.company_b)
        for model, record_a, record_b in (
            ("o2c.cashmatch.proposal", self.proposal_a, self.proposal_b),
            ("o2c.cashmatch.allocation", self.proposal_a.allocation_ids, self.proposal_b.allocation_ids),
        ):
            with self.subTest(model=model):
                domain = [("id", "in", (record_a | record_b).ids)]
                self.assertEqual(self.env[model].with_user(self.user_a).search(domain), record_a)
                self.assertEqual(self.env[model].with_user(self.user_b).search(domain), record_b)
                with self.assertRaises(AccessError):
                    record_b.with_user(self.user_a).read(["company_id"])

    def test_matching_figures_count_only_the_user_s_companies(self):
        lines = self.proposal_a.statement_line_id | self.proposal_b.statement_line_id
        domain = [("id", "in", lines.ids)]
        Report = self.env["o2c.cashmatch.report"]
        self.assertEqual(len(Report.search(domain)), 2)
        self.assertEqual(Report.with_user(self.user_a).search(domain).journal_id, self.journal)
        self.assertEqual(Report.with_user(self.user_b).search(domain).journal_id, self.journal_b)
