from collections import defaultdict
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.addons.o2c_base.tools.money import to_money
from odoo.tools import SQL, float_compare, float_round

from ..matching import BankLine, Customer, Matcher, MatchSettings, OpenItem, settlement_rest
from ..tools.row_copy import copy_lines

# Lines copied per batch of rows (`_o2c_create_batch`): the rows, and the cache of what they compute, of this many
# lines at a time.
CREATE_CHUNK = 2000

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
    _name = "account.bank.statement.line"
    _inherit = ["account.bank.statement.line", "o2c.cashmatch.reconciliation"]

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
        # Read once: 50,000 items would read them 50,000 times through the ORM.
        code, rounding, places = currency.name, currency.rounding, currency.decimal_places
        for aml_id, partner_id, name, payment_ref, residual, due, discount, discount_date, original in rows:
            discounted = None
            if discount and discount_date and float_compare(residual, original, precision_rounding=rounding) == 0:
                discounted = float_round(discount, precision_rounding=rounding)
            items.append(
                OpenItem(
                    id=aml_id,
                    partner_id=partner_id,
                    number=name or "",
                    residual=_money(residual, rounding, places),
                    payment_reference=payment_ref,
                    currency=code,
                    due_date=due,
                    discount_residual=_money(discounted, rounding, places) if discounted is not None else None,
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
        chunk = self.env.context.get("o2c_create_chunk") or CREATE_CHUNK
        line_ids = []
        pairs = {}
        for _date, group in sorted(by_date.items()):
            template = self.create([{**group[0], "statement_id": statement.id}])
            line_ids.append(template.id)
            rest = group[1:]
            for start in range(0, len(rest), chunk):
                copies, chunk_pairs = copy_lines(template, rest[start : start + chunk], settle)
                line_ids += copies.ids
                pairs.update(chunk_pairs)
                if len(rest) > chunk:
                    # A large file: what the chunk's rows computed is written and forgotten, so that the cache
                    # holds one chunk at a time (a 30 MB statement is 35,000 lines, entries and 70,000 items).
                    self.env.invalidate_all(flush=True)
        return self.browse(line_ids), pairs

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


def _decimal(value, currency):
    """An Odoo amount in `currency` as the matching's Decimal."""
    return _money(value, currency.rounding, currency.decimal_places)


def _money(value, rounding, places):
    """An Odoo amount as the matching's Decimal: rounded as its currency rounds (`rounding`), to its `places`."""
    return to_money(float_round(value or 0.0, precision_rounding=rounding), places)


def _notification(message, kind="success"):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"message": message, "type": kind, "sticky": False},
    }
