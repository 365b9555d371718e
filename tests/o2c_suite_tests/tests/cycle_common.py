"""One French company living the whole order-to-cash cycle, for the cycle test and the cycle tour: its
customer over its credit limit, the users of each step, the local approved platform (AFNOR API), a local SMTP
server, the demo payment provider and a bank journal; helpers to read the cockpit and to write the bank's
CAMT.053 file."""

import re
from datetime import timedelta

from lxml import etree

import odoo
from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.o2c_dunning.tests.common import SmtpSink
from odoo.addons.o2c_einvoice.tests.afnor_server import LocalPlatform
from odoo.tests import new_test_user
from odoo.tools.misc import file_path

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
# A real CAMT.053 (.001.02) of a bank, from the OCA's test files (AGPL-3, licence beside it).
CAMT_SAMPLE = "o2c_cashmatch/tests/data/camt/oca/test-camt053"
COMPANY_IBAN = "FR7630006000011234567890189"
CUSTOMER_IBAN = "FR7630004000031234567890143"
SELLER_SIREN, BUYER_SIREN = "732829320", "552100554"


class CycleCase(AccountTestInvoicingCommon):
    """The company (Odoo's French accounting test company, its own figures untouched by other data), its
    customer Boulangerie Dupont SARL (credit limit 5,000.00) and the users of the cycle."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = company = cls.company_data["company"]
        cls.today = fields.Date.context_today(env.user)
        company.write(
            {
                "name": "Atelier Durand SAS",
                "company_registry": SELLER_SIREN,
                "vat": "FR44732829320",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "email": "compta@atelier-durand.example.fr",
                "account_use_credit_limit": True,
                "o2c_credit_hold_orders": True,
                "o2c_einvoice_check_mode": "blocking",
                "o2c_dunning_auto_send": True,
                "o2c_dispute_portal_enabled": True,
            }
        )
        company.o2c_einvoice_address = SELLER_SIREN
        cls.bank_account = env["res.partner.bank"].create(
            {"acc_number": COMPANY_IBAN, "partner_id": company.partner_id.id}
        )
        cls.bank_journal = env["account.journal"].create(
            {"name": "Banque Durand", "code": "BDUR", "type": "bank", "bank_account_id": cls.bank_account.id}
        )
        france = env.ref("base.fr")
        cls.customer = env["res.partner"].create(
            {
                "name": "Boulangerie Dupont SARL",
                "is_company": True,
                "company_registry": BUYER_SIREN,
                "vat": "FR96552100554",
                "street": "5 avenue Foch",
                "zip": "75016",
                "city": "Paris",
                "country_id": france.id,
                "email": "compta@boulangerie-dupont.example.fr",
                "property_payment_term_id": env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.customer.credit_limit = 5000.0
        # Services of the French chart are taxed on receipt: the cashed invoice owes the buyer a 212.
        cls.tax_services = env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20),
             ("amount_type", "=", "percent"), ("price_include", "=", False), ("tax_exigibility", "=", "on_payment")],
            limit=1,
        )  # fmt: skip
        cls.service = env["product.product"].create(
            {"name": "Installation du fournil", "type": "service", "list_price": 6000.0,
             "taxes_id": [Command.set(cls.tax_services.ids)]}
        )  # fmt: skip
        cls.env["o2c.credit.rule"].create(
            {
                "name": "Exposure over the credit limit",
                "company_id": company.id,
                "action": "approval",
                "approval_group_id": env.ref("o2c_credit.group_o2c_credit_manager").id,
                "approval_level": 1,
                "use_over_limit": True,
                "over_limit_mode": "percent",
            }
        )
        cls._cycle_users()
        cls._cycle_outside_world()

    @classmethod
    def get_default_groups(cls):
        """The test's own user sets up and runs every addon besides the accounting (credit policy, dunning,
        disputes, bank matching, e-invoicing)."""
        return (
            super().get_default_groups()
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("o2c_credit.group_o2c_credit_director")
            | cls.env.ref("o2c_dunning.group_o2c_dunning_manager")
            | cls.env.ref("o2c_disputes.group_o2c_dispute_manager")
            | cls.env.ref("o2c_cashmatch.group_o2c_cashmatch_user")
            | cls.env.ref("o2c_einvoice.group_o2c_einvoice_manager")
        )

    @classmethod
    def _cycle_users(cls):
        in_company = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.salesman = new_test_user(
            cls.env, "cycle_sales", "sales_team.group_sale_salesman", name="Sam Sales", **in_company
        )
        cls.credit_manager = new_test_user(
            cls.env, "cycle_credit", "o2c_credit.group_o2c_credit_manager,sales_team.group_sale_salesman",
            name="Claire Credit", **in_company,
        )  # fmt: skip
        cls.collector = new_test_user(
            cls.env, "cycle_collector", "o2c_dunning.group_o2c_dunning_collector", name="Colin Collector",
            email="colin@atelier-durand.example.fr", **in_company,
        )  # fmt: skip
        cls.handler = new_test_user(
            cls.env, "cycle_handler", "o2c_disputes.group_o2c_dispute_user", name="Hélène Handler", **in_company
        )
        cls.portal_user = new_test_user(
            cls.env, "cycle_portal", "base.group_portal", name="Paul Dupont",
            email="paul@boulangerie-dupont.example.fr", **in_company,
        )  # fmt: skip
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.customer.o2c_dunning_collector_id = cls.collector

    @classmethod
    def _cycle_outside_world(cls):
        """The approved platform, the mail server and the card payments, each a real local service."""
        cls.pa = LocalPlatform()
        cls.addClassCleanup(cls.pa.stop)
        cls.pa.register(BUYER_SIREN, cls.customer.name)
        cls.platform = cls.env["o2c.einvoice.platform"].create(cls.pa.connection_values())
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.stop)
        cls.env["ir.mail_server"].search([]).active = False
        cls.env["ir.mail_server"].create(
            {"name": "Local SMTP", "smtp_host": "127.0.0.1", "smtp_port": cls.smtp.port, "smtp_encryption": "none"}
        )
        # sudo: the provider is the main company's until moved here (as an administrator would).
        cls.demo_provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.demo_provider.write(
            {"state": "test", "is_published": True, "company_id": cls.company.id, "journal_id": cls.bank_journal.id}
        )

    # ------------------------------------------------------------------ the cycle's own steps

    @classmethod
    def _order(cls):
        """The quotation: one installation at 6,000.00 excluding VAT, 7,200.00 with it, over the 5,000.00 limit."""
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
                "client_order_ref": "BC-DUPONT-2026-17",
                "order_line": [Command.create({"product_id": cls.service.id, "product_uom_qty": 1})],
            }
        )

    def send_to_platform(self):
        """Run the platform's sending cron as if its next attempt were due (real Factur-X PDFs)."""
        queued = self.env["account.move"].search([("o2c_pa_state", "in", ("to_send", "sending"))])
        queued.write({"o2c_pa_next_try": fields.Datetime.now() - timedelta(seconds=1)})
        self.env["account.move"].with_context(force_report_rendering=True)._cron_o2c_pa_send()

    def dunning_run(self, day):
        """The daily dunning run of the company as it runs on `day`; returns its communications. Its emails
        really leave through SMTP to the local server: Odoo's runner short-circuits SMTP while `current_test` is
        set (see o2c_dunning's tests); only during the run, as the platform's crons would commit without it."""
        previous = odoo.modules.module.current_test
        odoo.modules.module.current_test = None
        try:
            return self.env["o2c.dunning.communication"]._o2c_run(companies=self.company, run_date=day)["created"]
        finally:
            odoo.modules.module.current_test = previous

    def aged(self, day):
        """The customer's row of the aged balance at `day` (an empty dict when it owes nothing)."""
        balance = self.env["o2c.cockpit.aged.balance"].create({"date_at": day})
        balance._o2c_compute()
        return next((row for row in balance._o2c_customers() if row["partner"] == self.customer), {})

    def figures(self, day):
        """The dashboard's figures of the month of `day`, refreshed as the daily cron does that day."""
        Figure = self.env["o2c.cockpit.figure"]
        Figure._o2c_refresh(self.company, today=day)
        return Figure.search([("company_id", "=", self.company.id), ("month", "=", day.replace(day=1))])

    def health_check(self):
        """A health check of today, its questionnaire answered, measured."""
        practices = ("terms_clauses", "credit_policy", "invoice_on_delivery", "customer_po", "graduated_reminders",
                     "automatic_matching")  # fmt: skip
        answers = {f"q_{key}": "yes" for key in practices}
        check = self.env["o2c.cockpit.health.check"].create(
            {"company_id": self.company.id, "q_aged_balance_review": "weekly", "q_bank_accounts": 1, **answers}
        )
        check.action_measure()
        return check

    def csrf(self, url):
        """Open `url` in the session and return the CSRF token of its form."""
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return CSRF.search(page.text).group(1)

    def camt053(self, amount, reference, day, statement_id):
        """The bank's CAMT.053 of `day`: the real sample's credit transfer, with this company's IBAN, the customer
        paying `amount` with `reference` in the remittance information, and balances that add up."""
        tree = etree.parse(file_path(CAMT_SAMPLE))
        ns = {"c": CAMT_NS}

        def set_text(node, path, text):
            node.find(path, ns).text = text

        statement = tree.find(".//c:Stmt", ns)
        set_text(tree.getroot(), ".//c:GrpHdr/c:MsgId", f"DURAND/{statement_id}")
        set_text(statement, "c:Id", statement_id)
        set_text(statement, "c:Acct/c:Id/c:IBAN", COMPANY_IBAN)
        set_text(statement, "c:FrToDt/c:FrDtTm", f"{day}T00:00:00.000Z")
        set_text(statement, "c:FrToDt/c:ToDtTm", f"{day}T23:59:59.999Z")
        opening, closing = statement.findall("c:Bal", ns)
        for balance, value in ((opening, 10000.0), (closing, 10000.0 + amount)):
            set_text(balance, "c:Amt", f"{value:.2f}")
            set_text(balance, "c:Dt/c:Dt", str(day))
        *debits, entry = statement.findall("c:Ntry", ns)
        for debit in debits:
            statement.remove(debit)
        for path in ("c:Amt", "c:NtryDtls/c:TxDtls/c:AmtDtls/c:TxAmt/c:Amt"):
            set_text(entry, path, f"{amount:.2f}")
        set_text(entry, "c:BookgDt/c:Dt", str(day))
        set_text(entry, "c:ValDt/c:Dt", str(day))
        details = entry.find("c:NtryDtls/c:TxDtls", ns)
        set_text(details, "c:Refs/c:EndToEndId", reference)
        set_text(details, "c:RltdPties/c:Dbtr/c:Nm", self.customer.name.upper())
        set_text(details, "c:RltdPties/c:DbtrAcct/c:Id/c:IBAN", CUSTOMER_IBAN)
        remittance = etree.Element(f"{{{CAMT_NS}}}RmtInf")
        etree.SubElement(remittance, f"{{{CAMT_NS}}}Ustrd").text = f"FACTURE {reference}"
        details.find("c:RltdAgts", ns).addnext(remittance)
        set_text(details, "c:AddtlTxInf", f"VIR SEPA {self.customer.name.upper()} {reference}")
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
