from collections import defaultdict
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..matching import BankLine, Customer, Matcher, MatchSettings, OpenItem, settlement_rest

# account.bank.statement.line's internal index stores the complement of the sequence to a 32-bit int.
MAXINT = 2147483647

MATCH_STATES = [
    ("new", "To match"),
    ("auto", "Auto-reconciled"),
    ("proposed", "To review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("unmatched", "No proposal"),
    ("return", "Return"),
    ("manual", "Reconciled by hand"),
]


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    o2c_import_id = fields.Char(
        string="Import id",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Stable id of the bank transaction (bank reference, else a hash of its content and its rank): "
        "a file imported twice creates nothing twice.",
    )
    o2c_remittance_text = fields.Char(string="Remittance information", readonly=True)
    o2c_creditor_reference = fields.Char(string="Structured creditor reference", readonly=True)
    o2c_creditor_reference_valid = fields.Boolean(
        string="Valid RF reference", readonly=True, help="The structured reference is an ISO 11649 RF reference."
    )
    o2c_end_to_end_id = fields.Char(string="End-to-end id", readonly=True)
    o2c_bank_reference = fields.Char(string="Bank reference", readonly=True)
    o2c_debtor_name = fields.Char(string="Debtor", readonly=True)
    o2c_debtor_iban = fields.Char(string="Debtor IBAN", readonly=True)
    o2c_ultimate_debtor_name = fields.Char(string="Ultimate debtor", readonly=True)
    o2c_bank_transaction_code = fields.Char(string="Bank transaction code", readonly=True)
    o2c_charges = fields.Monetary(string="Bank charges", readonly=True, currency_field="currency_id")
    o2c_return_reason = fields.Char(
        string="Return reason", readonly=True, help="ISO reason code of a returned or reversed payment."
    )
    o2c_is_return = fields.Boolean(string="Return", readonly=True)
    o2c_match_state = fields.Selection(
        MATCH_STATES, string="Matching", default="new", readonly=True, copy=False, index=True
    )
    o2c_match_score = fields.Float(string="Best score", readonly=True, copy=False, digits=(3, 2))
    o2c_match_score_percent = fields.Integer(
        string="Best score (%)", compute="_compute_o2c_match_score_percent", store=True, copy=False
    )
    o2c_match_date = fields.Date(string="Matched on", readonly=True, copy=False)
    o2c_proposal_ids = fields.One2many("o2c.cashmatch.proposal", "statement_line_id", string="Proposals")
    o2c_best_proposal_id = fields.Many2one(
        "o2c.cashmatch.proposal", string="Best proposal", compute="_compute_o2c_best_proposal_id"
    )
    o2c_proposed_invoice_ids = fields.Many2many(
        "account.move", string="Proposed invoices", compute="_compute_o2c_best_proposal_id"
    )
    o2c_best_reasons = fields.Text(string="Why", compute="_compute_o2c_best_proposal_id")

    _sql_constraints = [
        (
            "o2c_import_id_uniq",
            "unique(journal_id, o2c_import_id)",
            "This bank transaction was already imported into this journal.",
        ),
    ]

    @api.depends("o2c_match_score")
    def _compute_o2c_match_score_percent(self):
        for st_line in self:
            st_line.o2c_match_score_percent = round(st_line.o2c_match_score * 100)

    @api.depends("o2c_proposal_ids.score", "o2c_proposal_ids.state")
    def _compute_o2c_best_proposal_id(self):
        for st_line in self:
            candidates = st_line.o2c_proposal_ids.filtered(lambda p: p.state != "rejected").sorted(
                lambda p: (-p.score, p.rank)
            )
            best = candidates[:1]
            st_line.o2c_best_proposal_id = best
            st_line.o2c_proposed_invoice_ids = best.move_ids
            st_line.o2c_best_reasons = best.reasons

    # ------------------------------------------------------------------ reading for the engine

    def _o2c_engine_line(self):
        """This line as plain data for the matching engine."""
        self.ensure_one()
        return BankLine(
            id=self.id,
            amount=_decimal(self.amount, self.currency_id),
            currency=self.currency_id.name,
            date=self.date,
            remittance=self.o2c_remittance_text or self.payment_ref or "",
            structured_reference=self.o2c_creditor_reference or "",
            end_to_end_id=self.o2c_end_to_end_id or "",
            additional_info=self.narration and str(self.narration) or "",
            payer_name=self.o2c_debtor_name or self.partner_name or "",
            payer_iban=self.o2c_debtor_iban or self.account_number or "",
            ultimate_payer_name=self.o2c_ultimate_debtor_name or "",
            charges=self.o2c_charges,
            is_return=self.o2c_is_return,
        )

    @api.model
    def _o2c_engine_line_from_vals(self, vals, currency):
        """A statement line not created yet (its create values) as plain data for the engine, keyed by import id."""
        return BankLine(
            id=vals["o2c_import_id"],
            amount=_decimal(vals["amount"], currency),
            currency=currency.name,
            date=fields.Date.to_date(vals["date"]),
            remittance=vals.get("o2c_remittance_text") or vals.get("payment_ref") or "",
            structured_reference=vals.get("o2c_creditor_reference") or "",
            end_to_end_id=vals.get("o2c_end_to_end_id") or "",
            payer_name=vals.get("o2c_debtor_name") or vals.get("partner_name") or "",
            payer_iban=vals.get("o2c_debtor_iban") or vals.get("account_number") or "",
            ultimate_payer_name=vals.get("o2c_ultimate_debtor_name") or "",
            charges=Decimal(str(vals.get("o2c_charges") or 0)),
            is_return=bool(vals.get("o2c_is_return")),
        )

    @api.model
    def _o2c_prematch(self, vals_list, company, currency):
        """Match statement lines before they are created, on their values; return what `_o2c_run_matching`
        takes as `prematched`. The lines the engine is sure of get their customer in their values, so that
        the entries are created with it instead of being rewritten line by line afterwards."""
        matcher = self._o2c_matcher(company, currency)
        engine_lines = [
            self._o2c_engine_line_from_vals(vals, currency)
            for vals in vals_list
            if vals["amount"] > 0 and not vals.get("o2c_is_return")
        ]
        results = matcher.match_batch(engine_lines, auto_threshold=company.o2c_cashmatch_auto_threshold)
        for vals in vals_list:
            proposals, auto = results.get(vals["o2c_import_id"], ([], False))
            if auto:
                best = proposals[0]
                vals["partner_id"] = best.partner_id or matcher.items[best.allocations[0].item_id].partner_id
        return {"matcher": matcher, "results": results, "company": company, "currency": currency}

    def _o2c_sync_move_partner(self):
        """Give the entries of these new lines the customer their statement line and bank item already name.

        Odoo's create does not copy a line's customer onto its entry (its per-line write of the entry does
        not carry it); one UPDATE does it for all of them (bank entries just created in this transaction,
        no tax, no hash), as Odoo's sync would. Lines copied in batch (`_o2c_create_batch`) already have it.
        """
        lines = self.filtered("partner_id")
        if not lines:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move move
                   SET partner_id = st.partner_id, commercial_partner_id = COALESCE(p.commercial_partner_id, p.id)
                  FROM account_bank_statement_line st
                  JOIN res_partner p ON p.id = st.partner_id
                 WHERE st.move_id = move.id AND st.id IN %(ids)s
                   AND move.partner_id IS DISTINCT FROM st.partner_id
                """,
                ids=tuple(lines.ids),
            )
        )
        self.env["account.move"].invalidate_model(["partner_id", "commercial_partner_id"])

    def _o2c_matcher(self, company, currency):
        """A matching engine loaded with the open receivables and customers of `company` in `currency`."""
        items = self._o2c_open_items(company, currency)
        customers = self._o2c_customers({item.partner_id for item in items})
        settings = MatchSettings(
            fee_limit=_decimal(company.o2c_cashmatch_fee_limit, currency),
            auto_threshold=company.o2c_cashmatch_auto_threshold,
        )
        return Matcher(items, customers, settings)

    @api.model
    def _o2c_open_items(self, company, currency):
        """Open receivable items of `company` in `currency` as engine data: one query, whatever their number."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.id, COALESCE(p.commercial_partner_id, aml.partner_id), move.name,
                       COALESCE(move.payment_reference, ''), aml.amount_residual_currency, aml.date_maturity,
                       aml.discount_amount_currency, aml.discount_date, aml.amount_currency
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN account_account acc ON acc.id = aml.account_id
                  LEFT JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND acc.account_type = 'asset_receivable'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.amount_residual_currency != 0
                   AND aml.currency_id = %(currency)s
                   AND aml.partner_id IS NOT NULL
                   AND move.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                """,
                company=company.id,
                currency=currency.id,
            )
        )
        items = []
        for aml_id, partner_id, name, payment_ref, residual, due, discount, discount_date, original in rows:
            discounted = None
            if discount and discount_date and currency.compare_amounts(residual, original) == 0:
                discounted = currency.round(discount)
            items.append(
                OpenItem(
                    id=aml_id,
                    partner_id=partner_id,
                    number=name or "",
                    residual=_decimal(residual, currency),
                    payment_reference=payment_ref,
                    currency=currency.name,
                    due_date=due,
                    discount_residual=_decimal(discounted, currency) if discounted is not None else None,
                    discount_date=discount_date,
                )
            )
        return items

    @api.model
    def _o2c_customers(self, partner_ids):
        """Customers (commercial partners) as engine data, with the IBANs they are known to pay from."""
        if not partner_ids:
            return []
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, COALESCE(p.name, ''),
                       ARRAY_REMOVE(ARRAY_AGG(DISTINCT bank.sanitized_acc_number), NULL)
                  FROM res_partner p
                  LEFT JOIN res_partner child ON child.commercial_partner_id = p.id
                  LEFT JOIN res_partner_bank bank ON bank.partner_id = child.id AND bank.active
                 WHERE p.id IN %(ids)s
                 GROUP BY p.id, p.name
                """,
                ids=tuple(partner_ids),
            )
        )
        return [Customer(id=pid, name=name, ibans=tuple(ibans or ())) for pid, name, ibans in rows]

    # ------------------------------------------------------------------ matching

    def _o2c_matchable(self):
        """Lines the matcher may work on: not reconciled, not returns, money in, not already decided.

        Lines imported already settled (``o2c_settled_pairs`` in the context) count as not reconciled yet.
        """
        settled = dict(self.env.context.get("o2c_settled_pairs") or ())
        return self.filtered(
            lambda ln: (
                (not ln.is_reconciled or ln.id in settled)
                and ln.o2c_match_state in ("new", "proposed", "unmatched")
                and not ln.o2c_is_return
            )
        )

    def _o2c_run_matching(self, auto_apply=True, prematched=None):
        """Match these lines against the open invoices; reconcile the sure ones, keep proposals for the rest.

        Idempotent: lines already reconciled, accepted or rejected are left alone, and proposals of the
        others are replaced by the new ones. `prematched` (from `_o2c_prematch` on the values these lines
        were created from) spares matching them again. Returns {'auto': n, 'proposed': n, 'unmatched': n}.
        """
        counts = {"auto": 0, "proposed": 0, "unmatched": 0, "return": 0}
        returns = self.filtered(lambda ln: ln.o2c_is_return and ln.o2c_match_state == "new")
        returns.write({"o2c_match_state": "return"})
        counts["return"] = len(returns)
        lines = self._o2c_matchable()
        if not lines:
            return counts
        for (company, currency), group in lines.grouped(lambda ln: (ln.company_id, ln.currency_id)).items():
            if prematched and (prematched["company"], prematched["currency"]) == (company, currency):
                matcher = prematched["matcher"]
                results = {ln.id: prematched["results"][ln.o2c_import_id] for ln in group
                           if ln.o2c_import_id in prematched["results"]}  # fmt: skip
            else:
                matcher = group._o2c_matcher(company, currency)
                engine_lines = [ln._o2c_engine_line() for ln in group if ln.amount > 0]
                threshold = company.o2c_cashmatch_auto_threshold if auto_apply else 2.0
                results = matcher.match_batch(engine_lines, auto_threshold=threshold)
            result = group._o2c_match_group(matcher, results)
            for key, value in result.items():
                counts[key] += value
        return counts

    def _o2c_match_group(self, matcher, results):
        """Write the engine's `results` ({line id: (proposals, auto)}) as proposals; reconcile the auto ones."""
        Proposal = self.env["o2c.cashmatch.proposal"]
        self.o2c_proposal_ids.filtered(lambda p: p.state == "candidate").unlink()
        vals_list = []
        for st_line in self:
            proposals, _auto = results.get(st_line.id, ([], False))
            for rank, proposal in enumerate(proposals):
                vals_list.append(Proposal._o2c_vals_from_engine(st_line, proposal, rank, matcher.items))
        created = Proposal.create(vals_list)
        by_line = created.grouped("statement_line_id")

        to_apply = self.env["o2c.cashmatch.proposal"]
        counts = {"auto": 0, "proposed": 0, "unmatched": 0}
        unmatched = self.browse()
        proposed = self.browse()
        for st_line in self:
            _proposals, auto = results.get(st_line.id, ([], False))
            line_proposals = by_line.get(st_line, Proposal)
            if auto and line_proposals:
                to_apply |= line_proposals.sorted("rank")[:1]
            elif line_proposals:
                proposed |= st_line
            else:
                unmatched |= st_line
        applied = to_apply._o2c_apply(state="auto")
        # A proposal that could not be applied (line reconciled meanwhile, no fees account) waits for review.
        proposed |= (to_apply - applied).statement_line_id.filtered(lambda ln: not ln.is_reconciled)
        proposed.write({"o2c_match_state": "proposed"})
        unmatched.write({"o2c_match_state": "unmatched", "o2c_match_score": 0.0})
        for st_line, line_proposals in by_line.items():
            st_line.o2c_match_score = max(line_proposals.mapped("score"))
        counts["auto"] = len(applied)
        counts["proposed"] = len(proposed)
        counts["unmatched"] = len(unmatched)
        return counts

    def action_o2c_match(self):
        """Run the matcher on the selected lines (button of the review screen)."""
        counts = self._o2c_run_matching()
        return _notification(
            _(
                "%(auto)s line(s) reconciled, %(proposed)s waiting for review, %(unmatched)s without proposal.",
                **counts,
            )
        )

    def action_o2c_reject(self):
        """Refuse every proposal of these lines: they stay unreconciled and the matcher leaves them alone."""
        self.o2c_proposal_ids.filtered(lambda p: p.state == "candidate").write({"state": "rejected"})
        self.write({"o2c_match_state": "rejected"})
        return True

    def action_o2c_reset(self):
        """Give rejected or unmatched lines back to the matcher."""
        self.filtered(lambda ln: not ln.is_reconciled).write({"o2c_match_state": "new"})
        return True

    def action_o2c_pick(self):
        """Open the search of open invoices to settle this line by hand."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Pick invoices"),
            "res_model": "o2c.cashmatch.pick.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_line_id": self.id},
        }

    def action_undo_reconciliation(self):
        """Undo as Odoo does, and give the lines back to the review screen."""
        res = super().action_undo_reconciliation()
        self.o2c_proposal_ids.filtered(lambda p: p.state == "accepted").write({"state": "candidate"})
        self.filtered(lambda ln: ln.o2c_match_state in ("auto", "accepted", "manual")).write(
            {"o2c_match_state": "proposed", "o2c_match_date": False}
        )
        return res

    @api.model
    def _cron_o2c_match(self, batch_size=500, commit=True):
        """Cron: match the lines still to match, batch by batch, committing after each batch."""
        domain = [("o2c_match_state", "=", "new"), ("is_reconciled", "=", False)]
        while True:
            lines = self.search(domain, limit=batch_size, order="id")
            lines = lines._o2c_lock_skip_locked()
            if not lines:
                break
            lines._o2c_run_matching()
            lines.filtered(lambda ln: ln.o2c_match_state == "new").write({"o2c_match_state": "unmatched"})
            remaining = self.search_count(domain)
            self.env["ir.cron"]._notify_progress(done=len(lines), remaining=remaining)
            if commit:
                self.env.cr.commit()
            if not remaining:
                break

    def _o2c_lock_skip_locked(self):
        """The subset of these lines not locked by another transaction, now locked by this one."""
        if not self:
            return self
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM account_bank_statement_line WHERE id IN %s FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        return self.browse([r[0] for r in rows])

    # ------------------------------------------------------------------ reconciliation

    def _o2c_reconcile(self, allocations_by_line):
        """Reconcile each line with its allocations through Odoo's own accounting, in one batch.

        `allocations_by_line`: {st_line: (partner, [(receivable aml, amount)], write-off amount, write-off
        account)}. The suspense line of the statement line's entry is replaced by one receivable line per
        invoice (and the write-off), each reconciled with its invoice by `_reconcile_plan`, so lettrage,
        partial reconciliations and "undo reconciliation" are Odoo's. Lines reconciled meanwhile (by hand
        or another matcher) are skipped. Returns the lines reconciled.
        """
        if not allocations_by_line:
            return self.browse()
        st_lines = self.browse([ln.id for ln in allocations_by_line])._o2c_lock_skip_locked()
        st_lines.invalidate_recordset()
        ctx = {
            "skip_account_move_synchronization": True,
            "force_delete": True,
            "skip_readonly_check": True,
            "check_move_validity": False,
            # Reconciling thousands of lines logs nothing on each entry: the lettrage itself is the record.
            "tracking_disable": True,
        }
        to_unlink = self.env["account.move.line"]
        vals_list = []
        pairs = []
        done = self.browse()
        # Lines imported already settled (see `_o2c_create_batch`) only need their items reconciled.
        settled_pairs = dict(self.env.context.get("o2c_settled_pairs") or ())
        ready = []
        for st_line in st_lines:
            if st_line.id in settled_pairs:
                ready += [self.env["account.move.line"].browse(pair) for pair in settled_pairs[st_line.id]]
                done |= st_line
                continue
            partner, allocations, writeoff, writeoff_account = allocations_by_line[st_line]
            _liquidity, suspense, others = st_line._seek_for_lines()
            if len(suspense) != 1 or others or st_line.is_reconciled:
                continue
            if any(aml.reconciled or aml.parent_state != "posted" for aml, _amount in allocations):
                continue
            currency = st_line.foreign_currency_id or st_line.currency_id
            allocated = [amount for _aml, amount in allocations]
            rest = settlement_rest(st_line.amount, allocated, writeoff, currency.rounding)
            if rest is None:
                continue
            rest = float(rest)
            for aml, amount in allocations:
                amounts = st_line._prepare_counterpart_amounts_using_st_line_rate(
                    aml.currency_id, -aml.company_currency_id.round(amount), -amount
                )
                vals_list.append(
                    {
                        "move_id": st_line.move_id.id,
                        "account_id": aml.account_id.id,
                        "partner_id": aml.partner_id.id,
                        "currency_id": currency.id,
                        "name": aml.move_id.name,
                        **amounts,
                    }
                )
                pairs.append((len(vals_list) - 1, aml))
            if writeoff:
                amounts = st_line._prepare_counterpart_amounts_using_st_line_rate(currency, writeoff, writeoff)
                vals_list.append(
                    {
                        "move_id": st_line.move_id.id,
                        "account_id": writeoff_account.id,
                        "partner_id": partner.id,
                        "currency_id": currency.id,
                        "name": _("Bank fees / discount: %(ref)s", ref=st_line.payment_ref or ""),
                        **amounts,
                    }
                )
            if currency.is_zero(rest):
                to_unlink |= suspense
            else:
                # What the invoices do not take stays on the suspense account, for a person to decide.
                amounts = st_line._prepare_counterpart_amounts_using_st_line_rate(currency, -rest, -rest)
                vals_list.append({**_suspense_vals(suspense), **amounts, "partner_id": partner.id})
                to_unlink |= suspense
            done |= st_line
        if not done:
            return done
        # Lines created with their customer (matched before creation) need no rewriting.
        to_name = done.filtered(lambda ln: ln.partner_id != allocations_by_line[ln][0])
        for partner, lines in to_name.grouped(lambda ln: allocations_by_line[ln][0]).items():
            lines.with_context(**ctx).write({"partner_id": partner.id})
            # The entry, its bank line and the statement line name the same partner, as Odoo keeps them.
            lines.move_id.with_context(**ctx).write({"partner_id": partner.id})
            liquidity = lines.move_id.line_ids.filtered(lambda aml: aml.account_id == aml.journal_id.default_account_id)
            liquidity.with_context(**ctx).write({"partner_id": partner.id})
        plan = ready
        if vals_list:
            moves = (done - self.browse(settled_pairs)).move_id
            container = {"records": moves}
            with moves._check_balanced(container):
                to_unlink.with_context(**ctx).unlink()
                new_lines = self.env["account.move.line"].with_context(**ctx).create(vals_list)
            plan += [new_lines[index] | aml for index, aml in pairs]
        self._o2c_reconcile_plan(plan)
        return done

    @api.model
    def _o2c_reconcile_plan(self, plan):
        """Odoo's `_reconcile_plan` on ``plan`` (pairs of items), without the cash-basis step where it finds nothing.

        Odoo looks for cash-basis taxes once per pair when the company uses them, which costs more than the
        reconciliation itself; pairs whose entries carry no tax due on payment are reconciled without it, as
        Odoo would find nothing to create for them.
        """
        items = self.env["account.move.line"].concat(*plan)
        cash_basis = self._o2c_cash_basis_moves(items.move_id)
        with_taxes = [pair for pair in plan if pair.move_id & cash_basis]
        without = [pair for pair in plan if not pair.move_id & cash_basis]
        AccountMoveLine = self.env["account.move.line"]
        if without:
            AccountMoveLine.with_context(no_cash_basis=True)._reconcile_plan(without)
        if with_taxes:
            AccountMoveLine._reconcile_plan(with_taxes)

    @api.model
    def _o2c_cash_basis_moves(self, moves):
        """Those of ``moves`` with an item taxed on payment (or with a group of taxes, to be safe)."""
        if not moves:
            return moves
        self.env["account.move.line"].flush_model(["tax_line_id", "tax_ids", "move_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT line.move_id
                  FROM account_move_line line
                  LEFT JOIN account_move_line_account_tax_rel rel ON rel.account_move_line_id = line.id
                  JOIN account_tax tax ON tax.id = line.tax_line_id OR tax.id = rel.account_tax_id
                 WHERE line.move_id IN %s AND (tax.tax_exigibility = 'on_payment' OR tax.amount_type = 'group')
                """,
                tuple(moves.ids),
            )
        )
        return moves.browse([row[0] for row in rows])

    # ------------------------------------------------------------------ creation in batch

    @api.model
    def _o2c_create_batch(self, journal, statement, vals_list, settle=None):
        """Create the lines ``vals_list`` of ``statement`` (of bank ``journal``) as Odoo's create would; return
        ``(lines, pairs)``.

        Odoo creates and posts the entry of a statement line one at a time (about 20 ms each). Here the
        first line of each date is created by Odoo itself; the others are copies of its rows (statement
        line, entry, journal items) with their own values, inserted with one query per table, numbered
        after it in the same sequence; then the ORM recomputes what depends on them (the entries' totals,
        the statement's balance). ``settle`` ({import id: (partner id, [(invoice item, amount)], write-off,
        write-off account)}) names lines whose entry is created already settled: one receivable item per
        invoice, the write-off and what is left on the suspense account, instead of the suspense item;
        ``pairs`` ({line id: ((item of the entry, invoice item), ...)}) are what to reconcile. A line created by Odoo
        (the first of its date) is not settled here: the caller reconciles it as any other.
        """
        settle = settle or {}
        company = journal.company_id
        if (journal.currency_id or company.currency_id) != company.currency_id:
            # Amounts in a foreign currency need Odoo's rates on every item: let Odoo create each line.
            lines = self.create([{**vals, "statement_id": statement.id} for vals in vals_list])
            return lines, {}
        by_date = defaultdict(list)
        for vals in vals_list:
            by_date[fields.Date.to_date(vals["date"])].append(vals)
        lines = self.browse()
        pairs = {}
        for _date, group in sorted(by_date.items()):
            template = self.create([{**group[0], "statement_id": statement.id}])
            copies, group_pairs = template._o2c_copy_lines(group[1:], settle)
            lines |= template | copies
            pairs.update(group_pairs)
        return lines, pairs

    @api.model
    def _o2c_settlements(self, prematched, vals_list):
        """What `_o2c_create_batch` may settle at creation: the lines the engine reconciles automatically.

        Returns {import id: (partner id, [(invoice item, amount)], write-off, write-off account)} for the
        lines of ``vals_list`` whose best proposal is sure, settles something and leaves nothing owed
        to the customer, and whose write-off has an account; the others are left to `_o2c_reconcile`.
        """
        company, currency, matcher = prematched["company"], prematched["currency"], prematched["matcher"]
        Proposal = self.env["o2c.cashmatch.proposal"]
        wanted = {
            allocation.item_id
            for proposals, auto in prematched["results"].values()
            if auto and proposals
            for allocation in proposals[0].allocations
        }
        # One recordset, so that reading the invoices' items fetches them all at once.
        items = self.env["account.move.line"].browse(sorted(wanted))
        items.fetch(["account_id", "partner_id", "move_id"])
        items.move_id.fetch(["name"])
        by_id = {item.id: item for item in items}
        settle = {}
        for vals in vals_list:
            proposals, auto = prematched["results"].get(vals["o2c_import_id"], ([], False))
            if not auto or not proposals or not proposals[0].allocations:
                continue
            best = proposals[0]
            writeoff = currency.round(float(best.writeoff_amount))
            account = Proposal._o2c_writeoff_account_for(company, best.writeoff_kind)
            if writeoff and not account:
                continue
            allocations = [(by_id[a.item_id], currency.round(float(a.amount))) for a in best.allocations]
            allocated = [amount for _item, amount in allocations]
            if settlement_rest(vals["amount"], allocated, writeoff, currency.rounding) is None:
                continue
            partner_id = best.partner_id or matcher.items[best.allocations[0].item_id].partner_id
            settle[vals["o2c_import_id"]] = (partner_id, allocations, writeoff, account)
        return settle

    def _o2c_copy_lines(self, vals_list, settle):
        """Statement lines copied from this one (posted by Odoo) with ``vals_list``'s values, in one batch."""
        self.ensure_one()
        if not vals_list:
            return self.browse(), {}
        self.env.flush_all()
        liquidity, suspense, others = self._seek_for_lines()
        if len(liquidity) != 1 or len(suspense) != 1 or others:
            raise ValueError("The template statement line must have one liquidity and one suspense item.")
        move = self.move_id
        count = len(vals_list)
        move_ids = self._o2c_next_ids("account_move", count)
        line_ids = self._o2c_next_ids("account_bank_statement_line", count)
        names = self._o2c_next_names(move, count)
        partners = self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        currency = self.currency_id
        columns = self._o2c_line_columns()

        move_rows, line_rows, item_rows, pairs = [], [], [], defaultdict(list)
        # At most: the bank item and the suspense item, or one item per invoice, the write-off and the rest.
        item_count = sum(2 + len(settle.get(vals["o2c_import_id"], (0, ()))[1]) + 2 for vals in vals_list)
        item_ids = iter(self._o2c_next_ids("account_move_line", item_count))
        for vals, move_id, line_id, (name, number) in zip(vals_list, move_ids, line_ids, names, strict=True):
            partner_id = vals.get("partner_id") or None
            amount = currency.round(vals["amount"])
            label = vals.get("payment_ref") or ""
            date = fields.Date.to_date(vals["date"])
            move_rows.append(
                {
                    "template": move.id,
                    "id": move_id,
                    "name": name,
                    "sequence_number": number,
                    "statement_line_id": None,  # set once the line exists (each row refers to the other)
                    "partner_id": partner_id,
                    "commercial_partner_id": commercial.get(partner_id),
                    "date": date,
                }
            )
            sequence = vals.get("sequence", self.sequence)
            line_rows.append(
                {
                    **{key: value for key, value in vals.items() if key in columns},
                    "template": self.id,
                    "id": line_id,
                    "move_id": move_id,
                    "partner_id": partner_id,
                    "amount": amount,
                    "sequence": sequence,
                    "internal_index": f"{date:%Y%m%d}{MAXINT - sequence:0>10}{line_id:0>10}",
                    "is_reconciled": False,
                    "amount_residual": -amount,
                }
            )
            common = {"move_id": move_id, "statement_line_id": line_id, "move_name": name, "date": date}
            item_rows.append(
                {**common, **_amounts(amount), "template": liquidity.id, "id": next(item_ids),
                 "partner_id": partner_id, "name": label}
            )  # fmt: skip
            counterparts = self._o2c_counterparts(vals, amount, suspense, settle.get(vals["o2c_import_id"]))
            for account, item_partner, item_label, balance, invoice_item in counterparts:
                item_id = next(item_ids)
                item_rows.append(
                    {
                        **common,
                        **_amounts(balance, residual=_has_residual(account)),
                        "template": suspense.id,
                        "id": item_id,
                        "account_id": account.id,
                        "partner_id": item_partner,
                        "name": item_label,
                    }
                )
                if invoice_item:
                    pairs[line_id].append((item_id, invoice_item.id))

        self._o2c_insert_copies("account_move", move_rows)
        self._o2c_insert_copies("account_bank_statement_line", line_rows)
        self._o2c_insert_copies("account_move_line", item_rows)
        self.env.cr.execute(
            SQL(
                "UPDATE account_move move SET statement_line_id = line.id FROM account_bank_statement_line line "
                "WHERE line.move_id = move.id AND line.id IN %s",
                tuple(line_ids),
            )
        )
        # What depends on the copied values is Odoo's to compute: the entries' totals, the lines' residual
        # and the statement's balance.
        self.env.invalidate_all()
        copies = self.browse(line_ids)
        items = self.env["account.move.line"].browse([row["id"] for row in item_rows])
        items.modified(["balance", "amount_currency", "debit", "credit"])
        copies.modified(["amount", "internal_index"])
        # Odoo computes it from the partner the line is created with (the template's may differ).
        self.env.add_to_compute(self.env["account.move"]._fields["invoice_partner_display_name"], copies.move_id)
        return copies, {line_id: tuple(line_pairs) for line_id, line_pairs in pairs.items()}

    def _o2c_counterparts(self, vals, amount, suspense, plan):
        """Items balancing a copied line: [(account, partner id, label, balance, invoice item or None)]."""
        partner_id = vals.get("partner_id") or None
        label = vals.get("payment_ref") or ""
        if not plan:
            return [(suspense.account_id, partner_id, label, -amount, None)]
        plan_partner, allocations, writeoff, writeoff_account = plan
        currency = self.currency_id
        result = []
        for invoice_item, allocated in allocations:
            name = invoice_item.move_id.name
            result.append((invoice_item.account_id, invoice_item.partner_id.id, name, -allocated, invoice_item))
        if writeoff:
            writeoff_label = _("Bank fees / discount: %(ref)s", ref=label)
            result.append((writeoff_account, plan_partner, writeoff_label, writeoff, None))
        # `_o2c_settlements` plans only what the line can settle: there is always a rest, zero or more.
        applied = [allocated for _item, allocated in allocations]
        rest = float(settlement_rest(amount, applied, writeoff, currency.rounding))
        if not currency.is_zero(rest):
            result.append((suspense.account_id, plan_partner, label, -rest, None))
        return result

    @api.model
    def _o2c_line_columns(self):
        """Columns of account_bank_statement_line a line's create values may fill directly."""
        return {
            name
            for name, field in self._fields.items()
            if field.store and field.column_type and not field.compute and not field.inherited and name != "id"
        }

    @api.model
    def _o2c_next_ids(self, table, count):
        """Reserve ``count`` ids of ``table``'s sequence."""
        if not count:
            return []
        rows = self.env.execute_query(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"{table}_id_seq", count))
        return [row[0] for row in rows]

    @api.model
    def _o2c_next_names(self, move, count):
        """The ``count`` entry numbers following ``move``'s in its journal and period: [(name, number)]."""
        format_string, format_values = move._get_sequence_format_param(move.name)
        last = self.env.execute_query(
            SQL(
                "SELECT MAX(sequence_number) FROM account_move WHERE journal_id = %s AND sequence_prefix = %s",
                move.journal_id.id,
                move.sequence_prefix,
            )
        )[0][0]
        return [
            (format_string.format(**{**format_values, "seq": number}), number)
            for number in range(last + 1, last + 1 + count)
        ]

    @api.model
    def _o2c_insert_copies(self, table, rows):
        """Insert ``rows`` into ``table``: each a copy of its ``template`` row with the row's other values.

        One query per set of columns given (rows giving the same columns go together).
        """
        types = dict(
            self.env.execute_query(
                SQL(
                    "SELECT column_name, format_type(atttypid, atttypmod) FROM information_schema.columns c "
                    "JOIN pg_attribute a ON a.attrelid = %s::regclass AND a.attname = c.column_name "
                    "WHERE c.table_name = %s",
                    table,
                    table,
                )
            )
        )
        shapes = defaultdict(list)
        for row in rows:
            shapes[tuple(sorted(key for key in row if key != "template"))].append(row)
        for given, same_rows in shapes.items():
            overridden = [key for key in given if key in types]
            names = ", ".join(f'"{column}"' for column in types)
            select = ", ".join(
                f'v."{column}"::{types[column]}' if column in overridden else f't."{column}"' for column in types
            )
            values = ", ".join(f'"{column}"' for column in ["template", *overridden])
            execute_values(
                self.env.cr._obj,
                f'INSERT INTO "{table}" ({names}) SELECT {select} FROM (VALUES %s) AS v({values}) '
                f'JOIN "{table}" t ON t.id = v.template',
                [
                    [row["template"], *(_sql_value(row[column], types[column]) for column in overridden)]
                    for row in same_rows
                ],
                page_size=1000,
            )


def _suspense_vals(suspense):
    return {
        "move_id": suspense.move_id.id,
        "account_id": suspense.account_id.id,
        "currency_id": suspense.currency_id.id,
        "name": suspense.name,
    }


def _decimal(value, currency):
    return Decimal(str(currency.round(value or 0.0))).quantize(Decimal(1).scaleb(-currency.decimal_places))


def _notification(message, kind="success"):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"message": message, "type": kind, "sticky": False},
    }


def _sql_value(value, sql_type):
    """Odoo's ``False`` for "empty" is NULL outside boolean columns."""
    return None if value is False and sql_type != "boolean" else value


def _has_residual(account):
    """Whether Odoo keeps a residual amount on the items of ``account`` (see its `_compute_amount_residual`)."""
    return account.reconcile or account.account_type in ("asset_cash", "liability_credit_card")


def _amounts(balance, residual=True):
    """Amount columns of a journal item in the company currency (the journal's)."""
    return {
        "debit": max(balance, 0.0),
        "credit": max(-balance, 0.0),
        "balance": balance,
        "amount_currency": balance,
        "amount_residual": balance if residual else 0.0,
        "amount_residual_currency": balance if residual else 0.0,
        "price_subtotal": balance,
        "price_total": balance,
        "reconciled": False,
        "matching_number": None,
        "full_reconcile_id": None,
    }
