from odoo import _, api, models
from odoo.tools import SQL

from ..matching import settlement_rest


class O2cCashmatchReconciliation(models.AbstractModel):
    """Reconciliation of bank statement lines with the invoices they pay, through Odoo's own accounting.

    Mixed into ``account.bank.statement.line``: ``self`` is a recordset of statement lines.
    """

    _name = "o2c.cashmatch.reconciliation"
    _description = "Cash matching reconciliation of bank lines"

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


def _suspense_vals(suspense):
    return {
        "move_id": suspense.move_id.id,
        "account_id": suspense.account_id.id,
        "currency_id": suspense.currency_id.id,
        "name": suspense.name,
    }
