"""Demo content of o2c_cashmatch: a camt.053 statement of the company's bank, imported and matched.

The statement pays open invoices of the demo company in every way the matcher knows: exact
numbers, RF references, several invoices at once, partial payments, bank fees, typos, another
payer, amount and name only, and lines it cannot decide (twin amounts, unknown payer, a return),
which wait in the review screen.
"""

from decimal import Decimal

from .base import addon_test_helper


def _payer(rng, partner):
    partner = partner.commercial_partner_id
    return rng.choice([partner.name.upper(), partner.name, " ".join(partner.name.split()[:-1]).upper()])[:35]


def load(env, base):
    """Import one camt.053 file into the company's bank journal and let the matcher work on it."""
    GenLine = addon_test_helper("o2c_cashmatch", "labelled_set").GenLine
    camt053 = addon_test_helper("o2c_cashmatch", "camt_writer").camt053
    rng = base.rng
    company = base.company
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    iban = journal.bank_account_id.sanitized_acc_number
    if not iban:
        return
    open_invoices = base.invoices.filtered(
        lambda inv: inv.payment_state in ("not_paid", "partial") and inv.move_type == "out_invoice"
    ).sorted("id")
    pool = list(open_invoices)
    rng.shuffle(pool)
    lines = []

    def add(amount, remittance="", partner=None, payer=None, structured="", charges=0, return_reason="", iban=""):
        lines.append(
            GenLine(
                index=len(lines),
                label="demo",
                amount=Decimal(str(round(amount, 2))),
                booking_date=base.today,
                remittance=remittance,
                structured_reference=structured,
                payer_name=payer if payer is not None else _payer(rng, partner),
                payer_iban=iban,
                charges=Decimal(str(charges)),
                return_reason=return_reason,
            )
        )

    def take():
        return pool.pop()

    if len(pool) >= 30:  # a small company (a test's) gets the story's lines only
        for _ in range(8):  # exact invoice number in the remittance text
            inv = take()
            add(
                inv.amount_residual,
                rng.choice([inv.name, f"Facture {inv.name}", f"REGLEMENT {inv.name}"]),
                inv.partner_id,
            )
        for _ in range(2):  # number in the structured reference field
            inv = take()
            add(inv.amount_residual, "VIR SEPA", inv.partner_id, structured=inv.name.replace("/", ""))
        first, second = take(), None
        second = next((i for i in pool if i.partner_id == first.partner_id), None)
        if second:
            pool.remove(second)
            add(
                first.amount_residual + second.amount_residual, f"Factures {first.name} {second.name}", first.partner_id
            )
        inv = take()  # partial payment
        add(round(inv.amount_residual * 0.4, 2), f"Acompte {inv.name}", inv.partner_id)
        inv = take()  # bank fees
        add(inv.amount_residual - 6.5, inv.name, inv.partner_id, charges=6.5)
        for _ in range(2):  # typos and lost separators
            inv = take()
            add(inv.amount_residual, f"FACT {inv.name.replace('/', '').replace('0', 'O', 1)}", inv.partner_id)
        inv = take()  # factoring company paying for the customer
        add(inv.amount_residual, inv.name, payer="EUROFACTOR SA")
        inv = take()  # amount and name only
        add(inv.amount_residual, "VIREMENT SEPA RECU", inv.partner_id)
        inv = take()  # right amount, unknown payer: waits for review
        add(inv.amount_residual, "VIR INST", payer="M OU MME DUVAL")
        inv = take()  # a mistyped number from an unknown payer: the amount fits, a person confirms
        add(inv.amount_residual, f"FACT {inv.name[:-1]}{(int(inv.name[-1]) + 1) % 10}", payer="SCI DES LILAS")
        add(1234.56, "REMBOURSEMENT DEPOT", payer="SCI LES TILLEULS")  # nothing to match
        inv = take()  # a direct debit returned by the customer's bank
        add(-inv.amount_residual, f"RETOUR PRLV {inv.name}", inv.partner_id, return_reason="AC04")

    for line in base.bank_lines:  # the story's: a customer paying the rest of its invoice
        add(line["amount"], line["remittance"], line["partner"])
    if not lines:
        return
    company.o2c_cashmatch_fee_account_id = company._o2c_fee_account()
    data = camt053(lines, iban, statement_id=f"DEMO-{base.today:%Y%m%d}", day=base.today, bank_ref="DEMO")
    journal.o2c_import_statement(data, f"releve-{base.today:%Y%m%d}.xml")
