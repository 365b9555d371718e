"""Shared set-up of the Odoo tests, on Odoo's accounting test company: a bank journal with its IBAN, customers and
posted invoices."""

from datetime import date
from decimal import Decimal

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .camt_writer import camt053
from .labelled_set import GenLine

IBAN = "FR7630006000011234567890189"


class CashmatchCase(AccountTestInvoicingCommon):
    """Odoo's accounting test company, French with its chart loaded, plus a bank journal with our IBAN, a bank fees
    account and a few customers."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.journal = cls.env["account.journal"].create(
            {"name": "Banque O2C", "code": "BO2C", "type": "bank", "bank_acc_number": IBAN, "sequence": 1}
        )
        cls.fee_account = cls.env["account.account"].create(
            {"name": "Frais bancaires test", "code": "627900", "account_type": "expense"}
        )
        cls.company.o2c_cashmatch_fee_account_id = cls.fee_account
        cls.company.o2c_cashmatch_fee_limit = 15.0
        cls.company.o2c_cashmatch_auto_threshold = 0.9
        Partner = cls.env["res.partner"]
        cls.dupont = Partner.create({"name": "Boulangerie Dupont SARL", "is_company": True})
        cls.martin = Partner.create({"name": "Transports Martin SAS", "is_company": True})
        cls.leroy = Partner.create({"name": "Menuiserie Leroy EURL", "is_company": True})
        cls.today = date(2025, 6, 30)

    @classmethod
    def get_default_groups(cls):
        """The test's own user does the bank matching besides the accounting."""
        return super().get_default_groups() | cls.env.ref("o2c_cashmatch.group_o2c_cashmatch_user")

    @classmethod
    def _invoice(cls, partner, amount, ref=None, move_type="out_invoice", payment_term=None, invoice_date=None):
        vals = {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date or date(2025, 6, 1),
            "invoice_line_ids": [
                Command.create(
                    {"name": "Prestation", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                )
            ],
        }
        if payment_term:
            vals["invoice_payment_term_id"] = payment_term.id
        if ref:
            vals["payment_reference"] = ref
        move = cls.env["account.move"].create(vals)
        move.action_post()
        return move

    @staticmethod
    def _line(index, amount, remittance="", payer="", iban="", structured="", charges=0, return_reason="", day=None):
        return GenLine(
            index=index,
            label="test",
            amount=Decimal(str(amount)),
            booking_date=day or date(2025, 6, 30),
            remittance=remittance,
            structured_reference=structured,
            payer_name=payer,
            payer_iban=iban,
            charges=Decimal(str(charges)),
            return_reason=return_reason,
        )

    def _import(self, lines, statement_id="TEST-1", opening=Decimal(0), match=True, journal=None):
        data = camt053(lines, IBAN, statement_id=statement_id, opening=opening)
        return (journal or self.journal).o2c_import_statement(data, f"{statement_id}.xml", match=match)

    def _st_lines(self, result):
        return self.env["account.bank.statement.line"].search(
            [("statement_id", "in", result["statement_ids"])], order="id"
        )

    @staticmethod
    def _receivable(move):
        return move.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
