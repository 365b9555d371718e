"""Data shared by the database tests, on Odoo's accounting test company (a French one, its chart loaded): the
company made ready for Factur-X, a French B2B customer, French chart taxes and products."""

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon, AccountTestInvoicingHttpCommon


class EinvoiceDataMixin:
    """What every e-invoicing test needs: the test company with its SIREN, VAT number, address and bank
    account, a customer the Factur-X can name, goods taxed on invoice and services taxed on payment."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "name": "Atelier Durand SAS",
                "company_registry": "732829320",
                "vat": "FR44732829320",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "email": "compta@atelier-durand.fr",
                "o2c_einvoice_check_mode": "warning",
            }
        )
        cls.company.o2c_einvoice_address = "732829320"
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": cls.company.partner_id.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin SARL",
                "is_company": True,
                "company_registry": "552100554",
                "vat": "FR96552100554",
                "street": "5 avenue Foch",
                "zip": "75016",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
                "email": "compta@boulangerie-martin.fr",
                "lang": "fr_FR" if cls.env["res.lang"]._lang_get("fr_FR") else "en_US",
            }
        )
        cls.tax20 = cls.env["account.tax"].search(
            [("company_id", "=", cls.company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20),
             ("amount_type", "=", "percent"), ("price_include", "=", False)],
            limit=1,
        )  # fmt: skip
        cls.tax10 = cls.env["account.tax"].search(
            [("company_id", "=", cls.company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 10),
             ("amount_type", "=", "percent"), ("price_include", "=", False)],
            limit=1,
        )  # fmt: skip
        # Services of the French chart are taxed on payment (VAT due on receipt), goods on invoice.
        cls.tax20_services = cls.env["account.tax"].search(
            [("company_id", "=", cls.company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20),
             ("amount_type", "=", "percent"), ("price_include", "=", False), ("tax_exigibility", "=", "on_payment")],
            limit=1,
        )  # fmt: skip
        cls.goods = cls.env["product.product"].create(
            {"name": "Four à pain", "type": "consu", "list_price": 1200.0, "default_code": "FOUR-01",
             "taxes_id": [Command.set(cls.tax20.ids)]}
        )  # fmt: skip
        cls.service = cls.env["product.product"].create(
            {"name": "Maintenance annuelle", "type": "service", "list_price": 300.0,
             "taxes_id": [Command.set(cls.tax20_services.ids)]}
        )  # fmt: skip
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")

    @classmethod
    def get_default_groups(cls):
        """The test's own user is the accountant who is also the E-invoicing Manager: the tests connect the
        platform, send invoices and record statuses."""
        return super().get_default_groups() | cls.env.ref("o2c_einvoice.group_o2c_einvoice_manager")

    @classmethod
    def make_invoice(cls, products=None, partner=None, move_type="out_invoice", post=False, quantity=1, **values):
        """A customer invoice for `partner` with one line per product (`quantity` at list price)."""
        products = products if products is not None else cls.goods | cls.service
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": "2026-09-15",
                "invoice_payment_term_id": cls.term_30.id,
                "partner_bank_id": cls.bank_account.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": quantity, "price_unit": product.list_price})
                    for product in products
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move


class EinvoiceCase(EinvoiceDataMixin, AccountTestInvoicingCommon):
    """The e-invoicing data on Odoo's accounting test company."""


class EinvoiceHttpCase(EinvoiceDataMixin, AccountTestInvoicingHttpCommon):
    """The same data for the tests that go through the web server (tours, the portal, the platform's
    callback)."""
