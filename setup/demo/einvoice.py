"""Demo e-invoicing: French customers with SIREN and e-invoicing address (from the base), a services invoice
paid and cashed (212), one refused by the customer (210), others along the platform's lifecycle, and a draft
invoice whose checks before issue fail (customer without SIREN who requires a PO number)."""

from datetime import timedelta

from odoo import Command, fields


def _pay(env, invoice, when):
    env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
        {"payment_date": when}
    )._create_payments()


def load(env, base):
    """Add the e-invoicing demo content to the base company."""
    company = base.company
    env = env(context=dict(env.context, tracking_disable=True))
    company.write(
        {"o2c_einvoice_enabled": True, "o2c_einvoice_profile": "en16931", "o2c_einvoice_check_mode": "warning"}
    )
    if not company.o2c_einvoice_address:
        company.o2c_einvoice_address = company.partner_id._o2c_einvoice_siren()
    invoices = base.invoices.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")
    today = base.today
    bank = company.partner_id.bank_ids[:1]

    # A services invoice, paid: VAT on services is due on receipt, so 212 Encaissée follows the payment.
    service = base.products_services[:1]
    customer = base.customers[0]
    services_invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": today - timedelta(days=20),
            "partner_bank_id": bank.id,
            "invoice_payment_term_id": env.ref("account.account_payment_term_30days").id,
            "invoice_line_ids": [Command.create({"product_id": service.id, "quantity": 3, "price_unit": 450.0})],
        }
    )
    services_invoice.action_post()
    _pay(env, services_invoice, today - timedelta(days=2))

    # Along the lifecycle of the platform: submitted, received, approved; one refused with its reason.
    unpaid = invoices.filtered(lambda move: move.payment_state == "not_paid").sorted("invoice_date")
    for invoice in unpaid[:6]:
        moment = fields.Datetime.to_datetime(invoice.invoice_date)
        invoice._o2c_einvoice_add_status("200", date=moment, source="import", message_ref=f"DEMO-{invoice.id}-200")
        invoice._o2c_einvoice_add_status("202", date=moment + timedelta(hours=2), source="import")
    for invoice in unpaid[:3]:
        invoice._o2c_einvoice_add_status(
            "205", date=fields.Datetime.to_datetime(invoice.invoice_date + timedelta(days=3))
        )
    refused = unpaid[3:4]
    refused._o2c_einvoice_add_status(
        "210",
        reason_code="TX_TVA_ERR",
        note="Le client conteste le taux de TVA appliqué sur la prestation.",
        date=fields.Datetime.to_datetime(refused.invoice_date + timedelta(days=4)),
        source="import",
    )

    # A draft invoice whose checks before issue fail: new customer without SIREN, who requires its PO number.
    newcomer = env["res.partner"].create(
        {
            "name": "Nouvelle Enseigne SAS",
            "is_company": True,
            "street": "8 rue des Lilas",
            "zip": "33000",
            "city": "Bordeaux",
            "country_id": env.ref("base.fr").id,
            "email": "factures@nouvelle-enseigne.example",
            "o2c_einvoice_po_required": True,
        }
    )
    env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": newcomer.id,
            "invoice_date": today,
            "partner_bank_id": bank.id,
            "invoice_payment_term_id": env.ref("account.account_payment_term_30days").id,
            "invoice_line_ids": [
                Command.create({"product_id": base.products_goods[:1].id, "quantity": 2, "price_unit": 380.0})
            ],
        }
    )
