from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import float_repr

from ..facturx import checks as core_checks
from ..facturx import rules
from ..facturx.document import Address, Invoice, Line, Party, Tax, TaxBlock


def _decimal(value, digits):
    return Decimal(float_repr(value, digits))


class O2cEinvoiceFacturxMapping(models.AbstractModel):
    """How an Odoo invoice becomes the plain Factur-X document of the core (``facturx.document``): the
    invoice, its lines, taxes and parties are read in bulk; what kind of document it is comes from the
    rules of ``facturx.rules``. Like Odoo's ``account.edi.xml.cii``, a model of its own, so a localisation
    or a glue addon overrides one method of the mapping without touching ``account.move``."""

    _name = "o2c.einvoice.facturx.mapping"
    _description = "Factur-X mapping of invoices"

    @api.model
    def _o2c_party(self, partner, electronic_address, email=""):
        """The CII party (seller, buyer or deliver-to) of ``partner`` with its ``electronic_address``."""
        return Party(
            name=partner.name or "",
            address=Address(
                line1=partner.street or "",
                line2=partner.street2 or "",
                city=partner.city or "",
                zip=partner.zip or "",
                country_code=partner.country_id.code or "",
            ),
            siren=partner._o2c_einvoice_siren(),
            vat=(partner.vat or "").replace(" ", ""),
            electronic_address=electronic_address or "",
            email=email or "",
            is_company=partner.is_company,
        )

    @api.model
    def _o2c_documents(self, moves):
        """Return {move: (Invoice, CheckInputs)} for the customer invoices and credit notes ``moves``, read
        in bulk."""
        deposit_product_id = int(
            # sudo: system parameters are readable by administrators only.
            self.env["ir.config_parameter"].sudo().get_param("sale.default_deposit_product_id") or 0
        )
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        quantity_digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        eur = self.env.ref("base.EUR")
        result = {}
        for move in moves:
            company, buyer = move.company_id, move.commercial_partner_id
            currency = move.currency_id
            digits = currency.decimal_places
            lines, blocks, unknown_taxes, untaxed_lines = [], defaultdict(lambda: [Decimal(0), Decimal(0)]), set(), []
            tax_of_block = {}
            product_lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
            for index, line in enumerate(product_lines, start=1):
                vat_taxes = line.tax_ids.filtered(lambda tax: tax.amount_type != "group")
                if not line.tax_ids:
                    untaxed_lines.append(line.name or line.product_id.display_name or str(index))
                for tax in line.tax_ids.filtered(
                    lambda tax: tax.amount_type not in ("percent", "division") or not tax.o2c_einvoice_vat_category
                ):
                    unknown_taxes.add(tax.name)
                tax = vat_taxes[:1]
                category = tax.o2c_einvoice_vat_category or ""
                rate = _decimal(tax.amount, 2) if category not in ("O", "") else Decimal(0)
                core_tax = Tax(
                    category,
                    rate,
                    exemption_reason=tax.o2c_einvoice_exemption_reason or "",
                    exemption_code=tax.o2c_einvoice_exemption_code or "",
                )
                quantity, price = line.quantity, line.price_unit * (1 - (line.discount or 0.0) / 100)
                gross = line.price_unit
                if price < 0:
                    quantity, price, gross = -quantity, -price, -gross
                total = _decimal(line.price_subtotal, digits)
                lines.append(
                    Line(
                        line_id=str(index),
                        name=(line.product_id.name or line.name or "").strip() or str(index),
                        description=(line.name or "").strip() if line.product_id else "",
                        quantity=_decimal(quantity, quantity_digits),
                        net_price=_decimal(price, price_digits),
                        gross_price=_decimal(gross, price_digits) if line.discount else None,
                        total=total,
                        tax=core_tax,
                        is_service=line.product_id.type == "service" or not line.product_id,
                        seller_reference=line.product_id.default_code or "",
                        is_down_payment_deduction=rules.is_down_payment_deduction(
                            line.product_id.id, deposit_product_id, total
                        ),
                    )
                )
                key = (category, rate)
                tax_of_block[key] = core_tax
                blocks[key][0] += total
            tax_lines = move.line_ids.filtered(lambda line: line.display_type == "tax")
            for tax_line in tax_lines:
                tax = tax_line.tax_line_id
                category = tax.o2c_einvoice_vat_category or ""
                key = (category, _decimal(tax.amount, 2) if category not in ("O", "") else Decimal(0))
                blocks[key][1] += _decimal(tax_line.amount_currency * move.direction_sign, digits)
            tax_blocks = tuple(
                TaxBlock(tax_of_block.get(key) or Tax(*key), basis, amount) for key, (basis, amount) in blocks.items()
            )
            is_deposit_invoice = rules.is_deposit_invoice(
                [line.product_id.id for line in product_lines], deposit_product_id
            )
            origin = move.reversed_entry_id
            shipping = move.partner_shipping_id
            delivery = None
            if (
                shipping
                and shipping != move.partner_id
                and shipping != buyer
                and shipping._display_address() != (buyer._display_address())
            ):
                delivery = self._o2c_party(shipping, "")
            type_code = rules.type_code(move.move_type == "out_refund", is_deposit_invoice)
            amount_tax_eur = None
            if currency != eur and company.currency_id == eur:
                amount_tax_eur = _decimal(abs(move.amount_tax_signed), eur.decimal_places)
            invoice = Invoice(
                number=move.name or "",
                type_code=type_code,
                issue_date=move.invoice_date or fields.Date.context_today(move),
                currency=currency.name,
                seller=self._o2c_party(company.partner_id, company.o2c_einvoice_address, company.email),
                buyer=self._o2c_party(buyer, buyer.o2c_einvoice_address, buyer.email),
                lines=tuple(lines),
                tax_blocks=tax_blocks,
                line_total=sum((line.total for line in lines), Decimal(0)),
                tax_basis_total=_decimal(move.amount_untaxed, digits),
                tax_total=_decimal(move.amount_tax, digits),
                grand_total=_decimal(move.amount_total, digits),
                due_amount=_decimal(move.amount_total, digits),
                tax_total_accounting=amount_tax_eur,
                due_date=move.invoice_date_due if move.move_type == "out_invoice" else None,
                payment_terms=move.invoice_payment_term_id.name or "",
                order_reference=(move.ref or "").strip(),
                payment_reference=move.payment_reference or "",
                iban=(move.partner_bank_id.sanitized_acc_number or "") if move.move_type == "out_invoice" else "",
                bic=move.partner_bank_id.bank_bic or "" if move.move_type == "out_invoice" else "",
                delivery=delivery,
                preceding_invoice_number=origin.name or "" if origin else "",
                preceding_invoice_date=origin.invoice_date if origin else None,
                vat_on_debits=company.o2c_einvoice_vat_on_debits,
                b2b_domestic=rules.is_b2b_domestic(company.country_id.code, buyer.is_company, buyer.country_id.code),
                penalty_note=(company.o2c_einvoice_penalty_note or "").strip(),
                recovery_fee_note=(company.o2c_einvoice_recovery_fee_note or "").strip(),
                discount_note=(company.o2c_einvoice_discount_note or "").strip(),
                is_final_after_down_payment=rules.is_final_after_down_payment(lines),
            )
            inputs = core_checks.CheckInputs(
                po_required=buyer.o2c_einvoice_po_required,
                has_payment_term=bool(move.invoice_payment_term_id or move.invoice_date_due),
                has_bank_account=bool(move.partner_bank_id),
                unknown_taxes=tuple(sorted(unknown_taxes)),
                lines_without_tax=tuple(untaxed_lines),
                is_inbound_payment=move.move_type == "out_invoice",
            )
            result[move] = (invoice, inputs)
        return result
