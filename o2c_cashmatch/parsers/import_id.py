"""The stable id of a bank transaction, so that a file imported twice creates nothing twice (no Odoo import)."""

import hashlib
from collections import Counter

PLACEHOLDERS = {"", "NOTPROVIDED", "NOT PROVIDED", "NONREF", "NONE", "N/A", "NA", "/"}


def references(tx):
    """The references the bank gives for a transaction, placeholders such as 'NOTPROVIDED' and empty values left out."""
    values = (
        tx.account_servicer_reference,
        tx.entry_account_servicer_reference,
        tx.entry_reference,
        tx.end_to_end_id,
        tx.transaction_id,
        tx.uetr,
    )
    return tuple(value if value.strip().upper() not in PLACEHOLDERS else "" for value in values)


def import_ids(statement, transactions):
    """The import id of each of ``transactions`` (of ``statement``), in their order.

    A transaction is identified by its account, booking date, amount and every reference the bank gives (servicer
    reference, entry reference, end-to-end id...; 'NOTPROVIDED' and empty ones left out): a reference that is not
    unique no longer makes two payments one. Without any reference: a hash of its content followed by its rank
    among the transactions of the statement with the same content. The same transaction read again, from the same
    file or an overlapping one, gets the same id.
    """
    ordinals = Counter()
    ids = []
    for tx in transactions:
        refs = references(tx)
        if any(refs):
            parts = (
                statement.account_number,
                tx.booking_date,
                tx.amount,
                *refs,
                tx.tx_index if tx.batch_size > 1 else "",
            )
            ids.append("r:" + hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:24])
            continue
        digest = content_digest(statement, tx)
        ordinals[digest] += 1
        ids.append(f"h:{digest}:{ordinals[digest]}")
    return ids


def legacy_import_id(tx):
    """The id versions before 18.0.1.1 gave a transaction with a bank reference ('' without): a line imported then is
    still recognised, when its amount and date are the same too."""
    if not tx.bank_reference or tx.bank_reference.strip().upper() in PLACEHOLDERS:
        return ""
    return f"{tx.bank_reference}/{tx.tx_index}" if tx.batch_size > 1 else tx.bank_reference


def content_digest(statement, tx):
    """A hash (24 hexadecimal digits) of what identifies a transaction without a bank reference."""
    parts = (
        statement.account_number,
        tx.booking_date,
        tx.value_date,
        tx.amount,
        tx.end_to_end_id,
        tx.remittance_text,
        tx.creditor_reference,
        tx.counterparty_name,
        tx.counterparty_account,
        tx.bank_transaction_code,
    )
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:24]
