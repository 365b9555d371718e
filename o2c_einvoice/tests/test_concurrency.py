"""Two Factur-X runs at once, each on its own committed cursor (as two Odoo workers): the same invoices
queued in two batches get one Factur-X each, and neither batch reports a failure."""

import threading

from odoo import Command
from odoo.addons.o2c_base.tests.concurrency import env_on_cursor
from odoo.tests import TransactionCase, tagged

COMPANY_VALUES = {
    "company_registry": "732829320",
    "vat": "FR44732829320",
    "street": "12 rue de la République",
    "zip": "69002",
    "city": "Lyon",
    "email": "compta@atelier-durand.fr",
    "o2c_einvoice_enabled": True,
    "o2c_einvoice_check_mode": "warning",
    "o2c_einvoice_address": "732829320",
}


@tagged("post_install", "-at_install")
class TestConcurrentBatches(TransactionCase):
    def _committed_batches(self, invoice_count):
        """Two batches of the same `invoice_count` posted invoices, committed; returns (batch ids, move ids)."""
        with self.registry.cursor() as cr:
            env = env_on_cursor(self.registry, cr, {"tracking_disable": True, "mail_create_nolog": True})
            company = env.company
            saved = {name: company[name] for name in COMPANY_VALUES}
            saved["country_id"] = company.country_id.id
            company.write({**COMPANY_VALUES, "country_id": env.ref("base.fr").id})
            bank = env["res.partner.bank"].create(
                {"acc_number": "FR7630004000031234567890143", "partner_id": company.partner_id.id}
            )
            customer = env["res.partner"].create(
                {"name": "Fromagerie Concurrente SARL", "is_company": True, "company_registry": "552100554",
                 "vat": "FR96552100554", "street": "5 avenue Foch", "zip": "75016", "city": "Paris",
                 "country_id": env.ref("base.fr").id, "email": "compta@fromagerie.example"}
            )  # fmt: skip
            # A tax of its own: the database's company may hold any chart (Odoo's generic one on a database made
            # by `odoo-bin -i l10n_fr_account,o2c_einvoice`), and the test must not depend on it.
            tax = env["account.tax"].create(
                {"name": "TVA 20 % (test de concurrence)", "amount": 20.0, "amount_type": "percent",
                 "type_tax_use": "sale", "company_id": company.id}
            )  # fmt: skip
            product = env["product.product"].create(
                {"name": "Affinage", "type": "service", "list_price": 300.0, "taxes_id": [Command.set(tax.ids)]}
            )
            # Invoiced in euros, whatever the company's currency (USD on a database made by odoo-bin).
            euro = env.ref("base.EUR")
            saved_euro_active = euro.active
            euro.active = True
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": "2026-09-15",
                        "partner_bank_id": bank.id,
                        "currency_id": euro.id,
                        "invoice_payment_term_id": env.ref("account.account_payment_term_30days").id,
                        "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1 + index})],
                    }
                    for index in range(invoice_count)
                ]
            )
            moves.action_post()
            Batch = env["o2c.einvoice.batch"]
            batch_ids = [Batch._o2c_create_for(moves)["res_id"], Batch._o2c_create_for(moves)["res_id"]]
            move_ids = moves.ids
            cleanup = (
                company.id,
                saved,
                saved_euro_active,
                batch_ids,
                move_ids,
                product.product_tmpl_id.id,
                tax.id,
                bank.id,
                customer.id,
            )
        self.addCleanup(self._delete, *cleanup)
        return batch_ids, move_ids

    def _delete(
        self, company_id, saved, saved_euro_active, batch_ids, move_ids, template_id, tax_id, bank_id, customer_id
    ):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM o2c_einvoice_batch WHERE id = ANY(%s)", [batch_ids])
            cr.execute("DELETE FROM ir_attachment WHERE res_model = 'account.move' AND res_id = ANY(%s)", [move_ids])
            cr.execute("DELETE FROM account_move WHERE id = ANY(%s)", [move_ids])
            env = env_on_cursor(self.registry, cr, {})
            env["product.template"].browse(template_id).unlink()
            env["account.tax"].browse(tax_id).unlink()
            env["res.partner.bank"].browse(bank_id).unlink()
            env["res.partner"].browse(customer_id).unlink()
            env["res.company"].browse(company_id).write(saved)
            env.ref("base.EUR").active = saved_euro_active

    def _run(self):
        """One run of the cron on a cursor of its own, committed when it ends (as an Odoo worker's)."""
        with self.registry.cursor() as cr:
            env = env_on_cursor(self.registry, cr, {"force_report_rendering": True})  # real PDFs
            env["o2c.einvoice.batch"]._cron_process()

    def test_same_invoices_in_two_batches_run_at_once_get_one_facturx_each(self):
        batch_ids, move_ids = self._committed_batches(3)
        barrier = threading.Barrier(2)
        errors = []

        def run():
            try:
                barrier.wait(10)
                self._run()
            except Exception as error:  # reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=run) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        self.assertFalse(errors)
        for _again in range(3):  # the batch left aside while the other run issued its invoices, as the cron's trigger
            self._run()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT b.id, b.state, array_agg(l.state ORDER BY l.state), string_agg(l.message, ' | ') "
                "FROM o2c_einvoice_batch b LEFT JOIN o2c_einvoice_batch_line l ON l.batch_id = b.id "
                "WHERE b.id = ANY(%s) GROUP BY b.id",
                [batch_ids],
            )
            results = {batch_id: (state, lines, messages) for batch_id, state, lines, messages in cr.fetchall()}
            cr.execute(
                "SELECT res_id, count(*) FROM ir_attachment WHERE res_model = 'account.move' "
                "AND res_field = 'invoice_pdf_report_file' AND res_id = ANY(%s) GROUP BY res_id",
                [move_ids],
            )
            facturx_counts = dict(cr.fetchall())
        messages = [messages for _state, _lines, messages in results.values() if messages]
        self.assertEqual([state for state, _lines, _messages in results.values()], ["done", "done"],
                         f"both batches finish: {messages}")  # fmt: skip
        lines = sorted(state for _state, batch_lines, _messages in results.values() for state in batch_lines)
        self.assertEqual(
            lines,
            ["done"] * 3 + ["skipped"] * 3,
            f"each invoice issued by one batch and found issued by the other, whichever ran first; none failed: "
            f"{messages}",
        )
        self.assertEqual(facturx_counts, dict.fromkeys(move_ids, 1), "one Factur-X per invoice")
