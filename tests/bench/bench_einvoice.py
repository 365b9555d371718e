"""Benchmark of the Factur-X generation of o2c_einvoice against Odoo 18's native CII export and OCA.

One database with o2c_einvoice and OCA account_invoice_facturx 18.0 (French company, 20 French B2B customers
with SIREN and VAT, goods and services). 100 posted invoices of 1 to 5 lines. For each invoice, after a
warm-up (stylesheets compiled once): our XML build + XSD + Factur-X and BR-FR schematrons
(`_o2c_einvoice_prepare`, ORM read and checks included; the core alone too),
Odoo's `account.edi.xml.cii._export_invoice` (no validation)
and OCA's `generate_facturx_xml` (XSD only); every XML is then run through the same validators (XSD and
Factur-X schematron of the level it declares, BR-FR rules) and counted as passing only with no blocking
violation. Then the full PDF/A-3 chain (wkhtmltopdf + Ghostscript + embedding + read-back) on 5 invoices.

    .venv/bin/python tests/bench/bench_einvoice.py --json OUT.json
"""

import random
import statistics
from collections import Counter

import facturx
from benchlib import arguments, environment, median_ms, new_database, table, timer, write_results
from lxml import etree
from stdnum import luhn

from odoo import Command

DB = "o2c_bench_einvoice"
INVOICES = 100
PDF_RUNS = 5
CUSTOMERS = 20


def _siren(number):
    """A valid SIREN (Luhn key) built from an 8-digit `number`."""
    return f"{number:08d}{luhn.calc_check_digit(f'{number:08d}')}"


def _vat(siren):
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _setup(env):
    """Company data, customers, products and the posted invoices; returns the invoice ids."""
    env = env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True})
    rng = random.Random(2026)
    company = env.company
    company.write(
        {"name": "Atelier Bench SAS", "company_registry": "732829320", "vat": "FR44732829320",
         "street": "12 rue de la République", "zip": "69002", "city": "Lyon", "email": "compta@bench.example",
         "country_id": env.ref("base.fr").id}
    )  # fmt: skip
    company.o2c_einvoice_address = "732829320"
    bank = env["res.partner.bank"].create(
        {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id}
    )
    customers = env["res.partner"].create(
        [
            {"name": f"Client Bench {index:02d} SAS", "is_company": True, "company_registry": siren,
             "vat": _vat(siren), "street": f"{index} avenue Foch", "zip": "75016", "city": "Paris",
             "country_id": env.ref("base.fr").id, "email": f"client{index}@bench.example"}
            for index, siren in enumerate((_siren(44306184 + 7 * i) for i in range(CUSTOMERS)), start=1)
        ]
    )  # fmt: skip
    tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20),
         ("amount_type", "=", "percent"), ("price_include", "=", False)], limit=1
    )  # fmt: skip
    # OCA reads the UNECE type and category of each tax.
    tax.write({"unece_type_id": env.ref("account_tax_unece.tax_type_vat").id,
               "unece_categ_id": env.ref("account_tax_unece.tax_categ_s").id})  # fmt: skip
    products = env["product.product"].create(
        [{"name": f"Article {i}", "type": "consu", "list_price": 10 + 7 * i, "taxes_id": [Command.set(tax.ids)]}
         for i in range(5)]
        + [{"name": f"Prestation {i}", "type": "service", "list_price": 90 + 15 * i,
            "taxes_id": [Command.set(tax.ids)]} for i in range(5)]
    )  # fmt: skip
    term = env.ref("account.account_payment_term_30days")
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": rng.choice(customers).id,
                "invoice_date": "2026-09-15",
                "invoice_payment_term_id": term.id,
                "partner_bank_id": bank.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": rng.randint(1, 9),
                                    "price_unit": product.list_price})
                    for product in rng.sample(list(products), rng.randint(1, 5))
                ],
            }
            for _index in range(INVOICES)
        ]
    )  # fmt: skip
    invoices.action_post()
    return invoices.ids


def _verdict(xml):
    """(level, passes, blocking rule ids) of `xml` through our validators at the level it declares."""
    # odoo.addons is only importable once benchlib has read the configuration.
    from odoo.addons.o2c_einvoice.facturx.validation import blocking, validate_facturx

    level = facturx.get_level(etree.fromstring(xml))
    if level not in ("basic", "en16931", "extended"):
        return level, False, [f"level {level} not validated"]
    violations = blocking(validate_facturx(xml, level, french_b2b=True))
    return level, not violations, sorted({v.rule_id for v in violations})


def _measure(invoices, generate):
    times, verdicts = [], []
    for invoice in invoices:
        invoice.invalidate_recordset()
        with timer() as measure:
            xml = generate(invoice)
        times.append(measure.seconds)
        verdicts.append(_verdict(xml))
    return times, verdicts


def main():
    args = arguments(__doc__.splitlines()[0])
    new_database(DB, ["o2c_einvoice", "account_invoice_facturx"])
    with environment(DB) as env:
        invoices = env["account.move"].browse(_setup(env))
        invoices[:3]._o2c_einvoice_prepare()  # warm-up: helper process started, stylesheets compiled

        def ours(invoice):
            result = invoice._o2c_einvoice_prepare()[invoice]
            assert not result["errors"], result["errors"]
            return result["xml"]

        rows, results = [], {}
        for name, generate in (
            ("o2c_einvoice (build + XSD + Factur-X + BR-FR)", ours),
            ("Odoo 18 account.edi.xml.cii (no validation)", lambda inv: env["account.edi.xml.cii"]._export_invoice(inv)[0]),  # noqa: E501
            ("OCA account_invoice_facturx 18.0 (XSD only)", lambda inv: inv.generate_facturx_xml()),
        ):  # fmt: skip
            times, verdicts = _measure(invoices, generate)
            passing = sum(1 for _level, ok, _rules in verdicts if ok)
            failures = Counter(rule for _level, ok, rules in verdicts for rule in rules)
            levels = Counter(level for level, _ok, _rules in verdicts)
            results[name] = {"failures": dict(failures.most_common(12)), "levels": dict(levels)}
            rows.append(
                [name, median_ms(times), round(statistics.mean(times) * 1000, 1), f"{passing}/{len(invoices)}",
                 ", ".join(f"{level}" for level in levels), ", ".join(rule for rule, _n in failures.most_common(6))]
            )  # fmt: skip

        # The pure core alone on the same invoices (plain data already read): build + XSD + both schematrons.
        from odoo.addons.o2c_einvoice.facturx.cii import build_cii
        from odoo.addons.o2c_einvoice.facturx.validation import validate_facturx

        documents = invoices._o2c_einvoice_documents()
        core_times = []
        for invoice in invoices:
            document = documents[invoice][0]
            with timer() as measure:
                validate_facturx(build_cii(document, "en16931"), "en16931", french_b2b=document.b2b_domestic)
            core_times.append(measure.seconds)
        rows.insert(
            1,
            ["o2c_einvoice core only (plain data -> XML + validators)", median_ms(core_times),
             round(statistics.mean(core_times) * 1000, 1), f"{len(invoices)}/{len(invoices)}", "en16931", ""],
        )  # fmt: skip

        # Full chain on a few invoices: wkhtmltopdf render, PDF/A-3 (Ghostscript), embedding, read-back.
        pdf_times = []
        for invoice in invoices[:PDF_RUNS]:
            with timer() as measure:
                invoice._o2c_einvoice_generate()
            pdf_times.append(measure.seconds)
            assert facturx.get_facturx_xml_from_pdf(invoice.invoice_pdf_report_id.raw, check_xsd=False)[1]
        rows.append(
            [f"o2c_einvoice full Factur-X PDF/A-3 ({PDF_RUNS} invoices)", median_ms(pdf_times),
             round(statistics.mean(pdf_times) * 1000, 1), f"{PDF_RUNS}/{PDF_RUNS}", "en16931", ""]
        )  # fmt: skip
        env.cr.rollback()
    headers = ["generator", "median ms/invoice", "mean ms", "pass XSD+Factur-X+BR-FR", "level", "top failed rules"]
    table(rows, headers)
    write_results(
        args.json,
        "einvoice",
        [dict(zip(headers, row, strict=True)) for row in rows],
        failures=results,
        target_ms=60,
    )


if __name__ == "__main__":
    main()
