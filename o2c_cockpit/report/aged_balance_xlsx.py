"""The aged balance as an Excel workbook (xlsxwriter, which Odoo ships): one row per customer with its
items grouped under it (Excel's outline, collapsed), then the total."""

import base64
import io

import xlsxwriter

from odoo import fields

from ..wizard.o2c_cockpit_aged_balance_line import BUCKET_FIELDS


def aged_balance_workbook(balance):
    """Return the workbook of the computed ``balance`` (an ``o2c.cockpit.aged.balance``), base64-encoded."""
    # env._: this function has no `self` for Odoo to find the user's language in.
    env = balance.env
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet(env._("Aged balance"))
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    digits = balance.currency_id.decimal_places
    money_format = "#,##0." + "0" * digits if digits else "#,##0"
    money = book.add_format({"num_format": money_format})
    money_bold = book.add_format({"num_format": money_format, "bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})

    sheet.write(0, 0, env._("Aged balance of %(company)s", company=balance.company_id.name), title)
    date_at = fields.Date.to_string(balance.date_at)
    if balance.basis == "due":
        subtitle = env._("As of %(date)s, age counted from the due date", date=date_at)
    else:
        subtitle = env._("As of %(date)s, age counted from the invoice date", date=date_at)
    sheet.write(1, 0, subtitle)
    sheet.write(2, 0, env._("Currency: %(currency)s", currency=balance.currency_id.name))
    headers = [
        env._("Customer"),
        env._("Document"),
        env._("Date"),
        env._("Due date"),
        env._("Age (days)"),
        env._("Balance"),
        *balance._o2c_column_labels(),
        env._("In dispute"),
        env._("Dunning level"),
    ]
    row = 4
    sheet.write_row(row, 0, headers, header)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 3, 11)
    sheet.set_column(4, 4, 8)
    sheet.set_column(5, 5 + len(BUCKET_FIELDS) + 1, 14)
    sheet.set_column(6 + len(BUCKET_FIELDS) + 1, 6 + len(BUCKET_FIELDS) + 1, 22)
    amounts = ("amount_residual", *BUCKET_FIELDS, "amount_in_dispute")
    sheet.freeze_panes(row + 1, 1)
    for customer in balance._o2c_customers(with_items=True):
        row += 1
        sheet.write(row, 0, customer["name"], bold)
        for offset, name in enumerate(amounts):
            sheet.write_number(row, 5 + offset, customer[name], money_bold)
        sheet.write(row, 5 + len(amounts), customer["dunning_level"].name or "", bold)
        for item in customer["items"]:
            row += 1
            sheet.set_row(row, None, None, {"level": 1, "hidden": True})
            sheet.write(row, 0, customer["name"])
            sheet.write(row, 1, item["move_name"] or "")
            sheet.write_datetime(row, 2, fields.Datetime.to_datetime(item["date"]), date)
            if item["date_maturity"]:
                sheet.write_datetime(row, 3, fields.Datetime.to_datetime(item["date_maturity"]), date)
            sheet.write_number(row, 4, item["age_days"])
            for offset, name in enumerate(amounts):
                sheet.write_number(row, 5 + offset, item[name], money)
            sheet.write(row, 5 + len(amounts), item["level_name"] or "")
    row += 1
    totals = balance._o2c_totals()
    sheet.write(row, 0, env._("Total"), bold)
    for offset, name in enumerate(amounts):
        sheet.write_number(row, 5 + offset, totals[name], money_bold)
    book.close()
    return base64.b64encode(output.getvalue())
