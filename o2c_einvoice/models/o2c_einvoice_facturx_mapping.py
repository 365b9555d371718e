import re
from collections import defaultdict
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.tools import float_repr

from ..facturx import checks as core_checks
from ..facturx import rules
from ..facturx.document import EXEMPTION_CATEGORIES, Address, Invoice, Line, Party, Tax, TaxBlock


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
            siret=self._o2c_party_siret(partner),
            vat=(partner.vat or "").replace(" ", ""),
            electronic_address=electronic_address or "",
            email=email or "",
            is_company=partner.is_company,
        )

    @api.model
    def _o2c_party_siret(self, partner):
        """SIRET of ``partner`` (BT-29 / BT-46, scheme 0009): its Company ID when that holds 14 digits, else empty
        (a localisation adds its own field, e.g. l10n_fr's ``siret``)."""
        digits = re.sub(r"\D", "", partner.company_registry or "")
        return digits if len(digits) == 14 else ""

    @api.model
    def _o2c_line_is_service(self, line, account_code):
        """Whether the invoice line ``line`` supplies services (see ``rules.line_is_service``)."""
        taxes = line.tax_ids
        return rules.line_is_service(
            line.product_id.type or "",
            any(tax.tax_exigibility == "on_payment" for tax in taxes),
            account_code,
            next((tax.tax_scope for tax in taxes if tax.tax_scope), ""),
            line.company_id.o2c_einvoice_default_supply,
        )

    @api.model
    def _o2c_is_down_payment_line(self, line, deposit_product_id, account_code):
        """Whether ``line`` invoices or deducts a down payment (a localisation or a glue addon adds its own
        signs, e.g. sale's ``is_downpayment``)."""
        return rules.is_down_payment_line(line.product_id.id, deposit_product_id, account_code)

    @api.model
    def _o2c_order_reference(self, move):
        """BT-13: the buyer's order reference, never Odoo's ``ref`` (which holds "Reversal of ..." on credit
        notes)."""
        return (move.o2c_einvoice_order_ref or "").strip()

    @api.model
    def _o2c_buyer_reference(self, move):
        """BT-10: the customer's reference (``ref`` of the customer, as Odoo's own Factur-X writes it); the
        place where a public buyer's service code (Chorus Pro) goes."""
        return (move.commercial_partner_id.ref or "").strip()

    @api.model
    def _o2c_contract_reference(self, move):
        """BT-12: the contract the invoice is issued under (a public buyer's contract number); none by default."""
        return ""

    @api.model
    def _o2c_public_buyer_facts(self, move):
        """What a public buyer (Chorus Pro) requires before its invoice is sent, as [(label, value written in the
        Factur-X)]: the service code (BT-10) and the commitment number (BT-13). A fact with an empty value is
        missing."""
        return [
            (_("the service code (Reference of the customer)"), self._o2c_buyer_reference(move)),
            (_("the commitment number (Customer order reference of the invoice)"), self._o2c_order_reference(move)),
        ]

    @api.model
    def _o2c_down_payment_invoices(self, move):
        """The posted down payment invoices whose deduction lines the final invoice ``move`` carries (BG-3); none
        by default, as a line on the down payment account does not say which invoice it deducts (a glue addon
        knows, e.g. sale's down payment lines)."""
        return self.env["account.move"]

    @api.model
    def _o2c_prepaid_amount(self, move, digits):
        """BT-113: what the customer paid before the invoice was issued (a quotation paid online, whose payment
        sale reconciles at posting; a payment received earlier and matched with it), in the invoice's currency.
        A payment dated after the invoice is not a fact of the invoice, so a later print states what was issued.
        Down payment invoices are deducted by their negative line with its VAT instead (README, down payments)."""
        if move.move_type != "out_invoice" or move.state != "posted":
            return Decimal(0)
        issued = move.invoice_date or move.date
        paid = sum(
            partial.debit_amount_currency
            for partial in move.line_ids.matched_credit_ids
            if (partial.credit_move_id.move_id.origin_payment_id or partial.credit_move_id.move_id.statement_line_id)
            and partial.credit_move_id.date <= issued
        )
        return _decimal(paid, digits)

    @api.model
    def _o2c_payee(self, move):
        """BG-10: the holder of the invoice's bank account when it is not the company (an invoice assigned to a
        factor is paid to the factor's account), else None."""
        holder = move.partner_bank_id.partner_id.commercial_partner_id
        if move.move_type != "out_invoice" or not holder or holder == move.company_id.partner_id.commercial_partner_id:
            return None
        return self._o2c_party(holder, "")

    @api.model
    def _o2c_discount_note(self, move):
        """AAB note: the early payment discount the payment terms grant, else the company's mention."""
        term = move.invoice_payment_term_id
        if term.early_discount and term.discount_percentage:
            return rules.early_discount_note(
                _decimal(term.discount_percentage, 2), term.discount_days, move.invoice_date or move.date
            )
        return (move.company_id.o2c_einvoice_discount_note or "").strip()

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
        # Account codes are per company: read once per company, not once per invoice.
        codes_of = {
            company.id: {
                account.id: account.code or ""
                for account in moves.filtered(
                    lambda move, c=company: move.company_id == c
                ).line_ids.account_id.with_company(company)
            }
            for company in moves.company_id
        }
        result = {}
        for move in moves:
            company, buyer = move.company_id, move.commercial_partner_id
            currency = move.currency_id
            digits = currency.decimal_places
            sign = move.direction_sign
            lines, blocks, unknown_taxes, untaxed_lines = [], defaultdict(lambda: [Decimal(0), Decimal(0)]), set(), []
            tax_of_block, without_reason, down_payment_flags = {}, set(), []
            # The product lines among all the journal items, read once (invoice_line_ids would be a second query).
            product_lines = move.line_ids.filtered(lambda line: line.display_type == "product")
            codes = codes_of[company.id]
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
                if category in EXEMPTION_CATEGORIES and not (
                    tax.o2c_einvoice_exemption_reason or tax.o2c_einvoice_exemption_code
                ):
                    without_reason.add(tax.name)
                rate = _decimal(tax.amount, 2) if category not in ("O", "") else Decimal(0)
                core_tax = Tax(
                    category,
                    rate,
                    exemption_reason=tax.o2c_einvoice_exemption_reason or "",
                    exemption_code=tax.o2c_einvoice_exemption_code or "",
                    due_on_payment=tax.tax_exigibility == "on_payment",
                )
                total = _decimal(line.price_subtotal, digits)
                quantity = line.quantity
                price, gross = line.price_unit * (1 - (line.discount or 0.0) / 100), line.price_unit
                if quantity and any(tax.price_include for tax in line.tax_ids):
                    # BT-146/148 exclude VAT also when the price includes it: the line total (VAT excluded,
                    # after discount) per unit, and the same before the discount.
                    price = line.price_subtotal / quantity
                    gross = price / (1 - line.discount / 100) if line.discount and line.discount < 100 else price
                if price < 0 or (price == 0 and gross < 0):
                    quantity, price, gross = -quantity, -price, -gross
                account_code = codes.get(line.account_id.id, "")
                is_down_payment = self._o2c_is_down_payment_line(line, deposit_product_id, account_code)
                down_payment_flags.append(is_down_payment)
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
                        is_service=self._o2c_line_is_service(line, account_code),
                        seller_reference=line.product_id.default_code or "",
                        is_down_payment_deduction=rules.is_down_payment_deduction(is_down_payment, total),
                    )
                )
                key = (category, rate)
                tax_of_block[key] = core_tax
                blocks[key][0] += total
            rounding_amount = Decimal(0)
            for other in move.line_ids:
                if other.display_type == "rounding":
                    # Cash rounding (BT-114), whether Odoo added it as a line or to the biggest tax.
                    rounding_amount += _decimal(other.amount_currency * sign, digits)
                elif other.display_type == "tax":
                    tax = other.tax_line_id
                    category = tax.o2c_einvoice_vat_category or ""
                    key = (category, _decimal(tax.amount, 2) if category not in ("O", "") else Decimal(0))
                    blocks[key][1] += _decimal(other.amount_currency * sign, digits)
            tax_blocks = tuple(
                TaxBlock(tax_of_block.get(key) or Tax(*key), basis, amount) for key, (basis, amount) in blocks.items()
            )
            is_deposit_invoice = rules.is_deposit_invoice(down_payment_flags) and move.amount_untaxed > 0
            is_final = rules.is_final_after_down_payment(lines)
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
            if delivery is None and any(block.tax.category == "K" for block in tax_blocks):
                # An intra-community supply always states where the goods go (BT-80, BR-IC-12).
                delivery = self._o2c_party(shipping or buyer, "")
            type_code = rules.type_code(move.move_type == "out_refund", is_deposit_invoice)
            amount_tax_eur = None
            if currency.name != "EUR" and company.currency_id.name == "EUR":
                amount_tax_eur = _decimal(abs(move.amount_tax_signed), company.currency_id.decimal_places)
            line_total = sum((line.total for line in lines), Decimal(0))
            tax_total = sum((block.amount for block in tax_blocks), Decimal(0))
            terms = move.line_ids.filtered(lambda line: line.display_type == "payment_term" and line.date_maturity)
            instalments = tuple(
                (term.date_maturity, _decimal(term.amount_currency * -sign, digits))
                for term in terms.sorted(lambda line: (line.date_maturity, line.id))
            )
            due_date = move.invoice_date_due or move.invoice_date
            payment_terms = move.invoice_payment_term_id.name or ""
            if len(instalments) > 1:
                payment_terms = rules.instalments_description(payment_terms, instalments, currency.name)
            elif not payment_terms and move.move_type == "out_refund":
                payment_terms = rules.CREDIT_NOTE_TERMS
            prepaid = self._o2c_prepaid_amount(move, digits)
            invoice = Invoice(
                number=move.name or "",
                type_code=type_code,
                issue_date=move.invoice_date or fields.Date.context_today(move),
                currency=currency.name,
                seller=self._o2c_party(company.partner_id, company.o2c_einvoice_address, company.email),
                buyer=self._o2c_party(buyer, buyer.o2c_einvoice_address, buyer.email),
                lines=tuple(lines),
                tax_blocks=tax_blocks,
                line_total=line_total,
                tax_basis_total=line_total,
                tax_total=tax_total,
                grand_total=line_total + tax_total,
                due_amount=_decimal(move.amount_total, digits) - prepaid,
                prepaid_amount=prepaid,
                rounding_amount=rounding_amount,
                tax_total_accounting=amount_tax_eur,
                due_date=due_date,
                payment_terms=payment_terms,
                instalments=instalments if len(instalments) > 1 else (),
                buyer_reference=self._o2c_buyer_reference(move),
                order_reference=self._o2c_order_reference(move),
                contract_reference=self._o2c_contract_reference(move),
                payment_reference=move.payment_reference or "",
                iban=(move.partner_bank_id.sanitized_acc_number or "") if move.move_type == "out_invoice" else "",
                bic=move.partner_bank_id.bank_bic or "" if move.move_type == "out_invoice" else "",
                delivery=delivery,
                payee=self._o2c_payee(move),
                preceding_invoice_number=origin.name or "" if origin else "",
                preceding_invoice_date=origin.invoice_date if origin else None,
                down_payment_invoices=tuple(
                    (deposit.name, deposit.invoice_date)
                    for deposit in (self._o2c_down_payment_invoices(move) if is_final else ())
                ),
                b2b_domestic=rules.is_b2b_domestic(company.country_id.code, buyer.is_company, buyer.country_id.code),
                penalty_note=(company.o2c_einvoice_penalty_note or "").strip(),
                recovery_fee_note=(company.o2c_einvoice_recovery_fee_note or "").strip(),
                discount_note=self._o2c_discount_note(move),
                is_final_after_down_payment=is_final,
            )
            inputs = core_checks.CheckInputs(
                po_required=buyer.o2c_einvoice_po_required,
                has_payment_term=bool(move.invoice_payment_term_id or move.invoice_date_due),
                has_bank_account=bool(move.partner_bank_id),
                unknown_taxes=tuple(sorted(unknown_taxes)),
                lines_without_tax=tuple(untaxed_lines),
                is_inbound_payment=move.move_type == "out_invoice",
                taxes_without_reason=tuple(sorted(without_reason)),
                vat_on_debits_option=company.o2c_einvoice_vat_on_debits,
            )
            result[move] = (invoice, inputs)
        return result
