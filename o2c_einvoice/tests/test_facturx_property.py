"""Property: whatever mix of goods, services and product-less lines, VAT rates, exemptions, prices with or
without VAT, discounts, cash rounding, instalments, early payment discounts and down payment deductions an
invoice posted through Odoo has, its Factur-X passes every validator and states Odoo's totals and VAT per rate
to the cent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import tagged

from .facts_common import FactsCase

TAXES = ("goods20", "goods10", "goods55", "goods20_included", "services20", "services10", "exempt_goods")
LINE = st.tuples(
    st.sampled_from(("goods", "service", None)),
    st.sampled_from(TAXES),
    st.integers(min_value=1, max_value=5),
    st.decimals(min_value="0.50", max_value="500", places=2),
    st.sampled_from((0, 5, 12.5)),
)


@tagged("post_install", "-at_install")
class TestFacturxProperty(FactsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        accounts = cls.env["account.account"].with_company(cls.company)
        profit = accounts.search([("code", "=like", "75%"), ("company_ids", "in", cls.company.id)], limit=1)
        loss = accounts.search([("code", "=like", "65%"), ("company_ids", "in", cls.company.id)], limit=1)
        cls.rounding = cls.env["account.cash.rounding"].create(
            {"name": "0,05", "rounding": 0.05, "strategy": "add_invoice_line", "rounding_method": "HALF-UP",
             "profit_account_id": profit.id,
             "loss_account_id": loss.id}
        )  # fmt: skip
        cls.terms = {
            "30 days": cls.term_30,
            "instalments": cls.env["account.payment.term"].create(
                {
                    "name": "40 % à 15 jours, solde à 45 jours",
                    "line_ids": [
                        Command.create({"value": "percent", "value_amount": 40, "nb_days": 15}),
                        Command.create({"value": "percent", "value_amount": 60, "nb_days": 45}),
                    ],
                }
            ),  # fmt: skip
            "early discount": cls.env["account.payment.term"].create(
                {
                    "name": "Escompte 3 % à 8 jours",
                    "early_discount": True,
                    "discount_percentage": 3,
                    "discount_days": 8,
                    "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
                }
            ),  # fmt: skip
        }

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(
        lines=st.lists(LINE, min_size=1, max_size=4),
        cash_rounding=st.booleans(),
        term=st.sampled_from(("30 days", "instalments", "early discount")),
        down_payment=st.booleans(),
    )
    def test_any_posted_invoice_mix_gives_odoo_totals_and_passes_every_validator(
        self, lines, cash_rounding, term, down_payment
    ):
        values = []
        for kind, tax, quantity, price, discount in lines:
            product = {"goods": self.goods, "service": self.service}.get(kind)
            values.append(
                self.line(getattr(self, tax), product, quantity, float(price), discount=discount, name="Ligne libre")
            )
        if down_payment:
            values.append(
                self.line(self.goods20, None, -1, 1.0, name="Acompte déduit", account_id=self.account("4191").id)
            )
        move = self.post(
            values,
            invoice_payment_term_id=self.terms[term].id,
            invoice_cash_rounding_id=self.rounding.id if cash_rounding else False,
        )
        profiles = ("en16931", "extended") if cash_rounding else ("basic", "en16931", "extended")
        self.assert_true_facturx(move, profiles=profiles)
