"""The import id of a bank transaction: the same transaction read again gets the same id (no database)."""

import hashlib
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_cashmatch.parsers import Statement, Transaction, import_ids
from odoo.tests import BaseCase

DAY = date(2025, 6, 30)


def statement(*transactions, account="FR7630004008230001234567890"):
    return Statement(kind="statement", version="053.001.02", identifier="S-1", account_number=account,
                     transactions=list(transactions))  # fmt: skip


def transfer(amount="480.00", remittance="Facture INV/2025/00011", **values):
    return Transaction(amount=Decimal(amount), currency="EUR", booking_date=DAY, value_date=DAY,
                       remittance_text=remittance, debtor_name="BOULANGERIE DUPONT", **values)  # fmt: skip


def ids(stmt):
    return import_ids(stmt, stmt.transactions)


texts = st.text(alphabet="ABCDEFGHIJ0123456789 /-", max_size=12)


class TestImportIds(BaseCase):
    """The import ids that keep a statement line from being imported twice."""

    def test_a_bank_reference_keys_the_id_with_account_date_and_amount(self):
        (first,) = ids(statement(transfer(account_servicer_reference="2025063000042")))
        assert first.startswith("r:")
        assert ids(statement(transfer(account_servicer_reference="2025063000042"))) == [first]
        # The same reference on another amount is another payment, not a repeat of the first.
        assert ids(statement(transfer(amount="12.00", account_servicer_reference="2025063000042"))) != [first]

    def test_every_reference_counts_and_placeholders_do_not(self):
        (servicer,) = ids(statement(transfer(account_servicer_reference="S-1")))
        (both,) = ids(statement(transfer(account_servicer_reference="S-1", end_to_end_id="E2E-9")))
        assert servicer != both
        placeholder = ids(statement(transfer(account_servicer_reference="NOTPROVIDED"), transfer(amount="12.00")))
        assert all(i.startswith("h:") for i in placeholder), "NOTPROVIDED is no reference"

    def test_lines_sharing_a_reference_that_is_not_unique_all_keep_an_id_of_their_own(self):
        shared = [transfer(amount=f"{10 + n}.00", account_servicer_reference="SAME") for n in range(5)]
        assert len(set(ids(statement(*shared)))) == 5

    def test_each_transaction_of_a_batch_entry_gets_its_rank(self):
        batch = [transfer(entry_account_servicer_reference="BATCH-9", tx_index=i, batch_size=2) for i in range(2)]
        first, second = ids(statement(*batch))
        assert first != second

    def test_without_bank_reference_the_id_is_the_hash_of_the_content(self):
        # The rule as it always was: a file imported before a new version is recognised after it.
        tx = transfer()
        content = "|".join(
            str(part)
            for part in ("FR7630004008230001234567890", DAY, DAY, Decimal("480.00"), "", "Facture INV/2025/00011", "",
                         "BOULANGERIE DUPONT", "", "")
        )  # fmt: skip
        assert ids(statement(tx)) == [f"h:{hashlib.sha256(content.encode()).hexdigest()[:24]}:1"]

    def test_identical_transactions_of_one_statement_get_their_rank(self):
        first, second = ids(statement(transfer(), transfer()))
        assert first.endswith(":1") and second.endswith(":2")
        assert first[:-2] == second[:-2]

    def test_a_different_amount_account_or_text_gives_another_id(self):
        (base,) = ids(statement(transfer()))
        assert ids(statement(transfer(amount="480.01"))) != [base]
        assert ids(statement(transfer(remittance="Facture INV/2025/00012"))) != [base]
        assert ids(statement(transfer(), account="FR7630004000031234567890143")) != [base]

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(min_value=-(10**6), max_value=10**6), texts), max_size=12))
    def test_property_ids_are_unique_in_a_statement_and_the_same_when_read_again(self, rows):
        def read():
            return statement(*(transfer(amount=Decimal(cents).scaleb(-2), remittance=text) for cents, text in rows))

        first = ids(read())
        assert len(set(first)) == len(first)
        assert ids(read()) == first
