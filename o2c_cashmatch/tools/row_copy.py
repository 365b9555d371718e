"""Bulk row copy: statement lines created as copies of the rows Odoo wrote for a first one, one INSERT per table.

Odoo creates and posts the entry of a statement line one at a time (about 20 ms each); `copy_lines` copies the
rows of a line Odoo created (statement line, entry, journal items) with each new line's own values, numbered
after it in the same sequence, then lets the ORM recompute what depends on them. Its differential test,
``tests/test_batch_creation.py``, compares every column of the rows written this way with those Odoo's own
create and reconciliation write for each kind of line.
"""

from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import fields
from odoo.tools import SQL

from ..matching import settlement_rest

# account.bank.statement.line's internal index stores the complement of the sequence to a 32-bit int.
MAXINT = 2147483647


def copy_lines(template, vals_list, settle):
    """Statement lines copied from ``template`` (a line posted by Odoo) with ``vals_list``'s values, in one
    batch; returns ``(copies, pairs)`` as `_o2c_create_batch` does."""
    template.ensure_one()
    if not vals_list:
        return template.browse(), {}
    template.env.flush_all()
    liquidity, suspense, others = template._seek_for_lines()
    if len(liquidity) != 1 or len(suspense) != 1 or others:
        raise ValueError("The template statement line must have one liquidity and one suspense item.")
    move = template.move_id
    count = len(vals_list)
    move_ids = next_ids(template.env, "account_move", count)
    line_ids = next_ids(template.env, "account_bank_statement_line", count)
    names = next_names(move, count)
    partners = template.env["res.partner"].browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
    commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
    currency = template.currency_id
    columns = line_columns(template)

    move_rows, line_rows, item_rows, pairs = [], [], [], defaultdict(list)
    # At most: the bank item and the suspense item, or one item per invoice, the write-off and the rest.
    item_count = sum(2 + len(settle.get(vals["o2c_import_id"], (0, ()))[1]) + 2 for vals in vals_list)
    item_ids = iter(next_ids(template.env, "account_move_line", item_count))
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
        sequence = vals.get("sequence", template.sequence)
        line_rows.append(
            {
                **{key: value for key, value in vals.items() if key in columns},
                "template": template.id,
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
        counterparts = _counterparts(template, vals, amount, suspense, settle.get(vals["o2c_import_id"]))
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

    insert_copies(template.env, "account_move", move_rows)
    insert_copies(template.env, "account_bank_statement_line", line_rows)
    insert_copies(template.env, "account_move_line", item_rows)
    template.env.cr.execute(
        SQL(
            "UPDATE account_move move SET statement_line_id = line.id FROM account_bank_statement_line line "
            "WHERE line.move_id = move.id AND line.id IN %s",
            tuple(line_ids),
        )
    )
    # What depends on the copied values is Odoo's to compute: the entries' totals, the lines' residual
    # and the statement's balance.
    template.env.invalidate_all()
    copies = template.browse(line_ids)
    items = template.env["account.move.line"].browse([row["id"] for row in item_rows])
    items.modified(["balance", "amount_currency", "debit", "credit"])
    copies.modified(["amount", "internal_index"])
    # Odoo computes it from the partner the line is created with (the template's may differ).
    template.env.add_to_compute(template.env["account.move"]._fields["invoice_partner_display_name"], copies.move_id)
    return copies, {line_id: tuple(line_pairs) for line_id, line_pairs in pairs.items()}


def _counterparts(template, vals, amount, suspense, plan):
    """Items balancing a copied line: [(account, partner id, label, balance, invoice item or None)]."""
    partner_id = vals.get("partner_id") or None
    label = vals.get("payment_ref") or ""
    if not plan:
        return [(suspense.account_id, partner_id, label, -amount, None)]
    plan_partner, allocations, writeoff, writeoff_account = plan
    currency = template.currency_id
    result = []
    for invoice_item, allocated in allocations:
        name = invoice_item.move_id.name
        result.append((invoice_item.account_id, invoice_item.partner_id.id, name, -allocated, invoice_item))
    if writeoff:
        writeoff_label = template.env._("Bank fees / discount: %(ref)s", ref=label)
        result.append((writeoff_account, plan_partner, writeoff_label, writeoff, None))
    # `_o2c_settlements` plans only what the line can settle: there is always a rest, zero or more.
    applied = [allocated for _item, allocated in allocations]
    rest = float(settlement_rest(amount, applied, writeoff, currency.rounding))
    if not currency.is_zero(rest):
        result.append((suspense.account_id, plan_partner, label, -rest, None))
    return result


def line_columns(model):
    """Columns of ``model``'s table (account_bank_statement_line) a line's create values may fill directly."""
    return {
        name
        for name, field in model._fields.items()
        if field.store and field.column_type and not field.compute and not field.inherited and name != "id"
    }


def next_ids(env, table, count):
    """Reserve ``count`` ids of ``table``'s sequence."""
    if not count:
        return []
    rows = env.execute_query(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"{table}_id_seq", count))
    return [row[0] for row in rows]


def next_names(move, count):
    """The ``count`` entry numbers following ``move``'s in its journal and period: [(name, number)]."""
    format_string, format_values = move._get_sequence_format_param(move.name)
    last = move.env.execute_query(
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


def insert_copies(env, table, rows):
    """Insert ``rows`` into ``table``: each a copy of its ``template`` row with the row's other values.

    One query per set of columns given (rows giving the same columns go together).
    """
    types = dict(
        env.execute_query(
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
            env.cr._obj,
            f'INSERT INTO "{table}" ({names}) SELECT {select} FROM (VALUES %s) AS v({values}) '
            f'JOIN "{table}" t ON t.id = v.template',
            [
                [row["template"], *(_sql_value(row[column], types[column]) for column in overridden)]
                for row in same_rows
            ],
            page_size=1000,
        )


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
