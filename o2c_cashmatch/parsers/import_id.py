"""The stable id of a bank transaction, so that a file imported twice creates nothing twice (no Odoo import)."""

import hashlib
from collections import Counter


def import_ids(statement, transactions):
    """The import id of each of ``transactions`` (of ``statement``), in their order.

    The bank's reference of the transaction (with its rank when it is one of a batch), else a hash of its
    content followed by its rank among the transactions of the statement with the same content: the same
    transaction read again, from the same file or an overlapping one, gets the same id.
    """
    ordinals = Counter()
    ids = []
    for tx in transactions:
        if tx.bank_reference:
            ids.append(f"{tx.bank_reference}/{tx.tx_index}" if tx.batch_size > 1 else tx.bank_reference)
            continue
        digest = content_digest(statement, tx)
        ordinals[digest] += 1
        ids.append(f"h:{digest}:{ordinals[digest]}")
    return ids


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
