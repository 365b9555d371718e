"""The pure matching engine on hand-built cases of every class, properties, and a small labelled set."""

import dataclasses
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.o2c_cashmatch.matching import (
    BankLine,
    Customer,
    Matcher,
    MatchSettings,
    OpenItem,
    abbreviations,
    canonical,
    find_combinations,
    rf_references,
    smallest_combinations,
)
from odoo.tests import BaseCase

from .labelled_set import generate, iso11649_from

D = Decimal
DAY = date(2025, 6, 30)
CUSTOMERS = [
    Customer(1, "Boulangerie Dupont SARL", ("FR7630001007941234567890185",)),
    Customer(2, "Transports Martin SAS"),
    Customer(3, "Menuiserie Leroy EURL"),
    Customer(4, "Garage Moreau SA"),
]


def item(id_, partner, number, residual, **kw):
    return OpenItem(id=id_, partner_id=partner, number=number, residual=D(str(residual)), **kw)


def items():
    return [
        item(11, 1, "INV/2025/00011", "480.00"),
        item(12, 1, "INV/2025/00012", "120.50"),
        item(13, 1, "INV/2025/00013", "99.00"),
        item(14, 1, "INV/2025/00014", "99.00"),
        item(21, 2, "INV/2025/00021", "1250.00", payment_reference=iso11649_from("INV/2025/00021")),
        item(22, 2, "INV/2025/00022", "730.00"),
        item(23, 2, "RINV/2025/00003", "-150.00"),
        item(31, 3, "INV/2025/00031", "1000.00", discount_residual=D("980.00"), discount_date=DAY - timedelta(days=2)),
        item(32, 3, "INV/2025/00032", "615.40"),
        item(41, 4, "INV/2025/00041", "4321.09"),
        item(42, 4, "INV/2025/00042", "210.00"),
        item(43, 4, "INV/2025/00043", "390.00"),
    ]


def best(line, **kw):
    proposals = Matcher(items(), CUSTOMERS, MatchSettings(**kw)).propose(line)
    return proposals[0] if proposals else None


def line(amount, remittance="", payer="", **kw):
    return BankLine(id=1, amount=D(str(amount)), date=DAY, remittance=remittance, payer_name=payer, **kw)


def typo_neighbour_matcher(**kw):
    """Transports Martin owes 205.00 on INV/2025/00024, one transposition away from Garage Moreau's 00042 (210.00)."""
    return Matcher(items() + [item(24, 2, "INV/2025/00024", "205.00")], CUSTOMERS, MatchSettings(**kw))


def many_invoices_matcher(extra=()):
    """Menuiserie Leroy with many small open invoices, so that sets of three or four add up to many amounts."""
    amounts = ["500.00", "300.00", "100.00", "200.00", "150.00", "250.00", "50.00", *extra]
    open_items = [item(300 + n, 3, f"INV/2025/{300 + n:05d}", a) for n, a in enumerate(amounts)]
    return Matcher(open_items, CUSTOMERS)


amounts = st.decimals(min_value=D("1.00"), max_value=D("5000.00"), places=2)


@st.composite
def scenario(draw):
    count = draw(st.integers(min_value=1, max_value=25))
    open_items = []
    for index in range(count):
        residual = draw(amounts)
        if draw(st.booleans()) and index % 7 == 6:
            residual = -residual
        open_items.append(item(index + 1, draw(st.integers(1, 4)), f"INV/2025/{index + 1:05d}", residual))
    refs = draw(st.lists(st.integers(1, count), max_size=4))
    text = " ".join(f"INV/2025/{r:05d}" for r in refs) + draw(st.sampled_from(["", " merci", " 0O1I"]))
    payer = draw(st.sampled_from(["", "DUPONT", "TRANSPORTS MARTIN", "GARAGE MOREAU", "EUROFACTOR"]))
    amount = draw(st.one_of(amounts, st.sampled_from([abs(i.residual) for i in open_items])))
    fee = draw(st.decimals(min_value=D("0"), max_value=D("30"), places=2))
    return open_items, BankLine(id=1, amount=amount, date=DAY, remittance=text, payer_name=payer), fee


def _run_labelled(seed):
    labelled = generate(seed=seed, customers=50, invoices=700, lines=400)
    open_items = [
        item(
            inv.index,
            inv.customer,
            inv.number,
            -inv.amount if inv.is_credit_note else inv.amount,
            payment_reference=inv.rf or inv.number,
            due_date=inv.due_date,
            discount_residual=inv.discount_residual,
            discount_date=inv.discount_date,
        )
        for inv in labelled.invoices
    ]
    customers = [Customer(c.index, c.name, (c.iban,) if c.index % 3 == 0 else ()) for c in labelled.customers]
    lines = [
        BankLine(
            id=ln.index,
            amount=ln.amount,
            date=ln.booking_date,
            remittance=ln.remittance,
            structured_reference=ln.structured_reference,
            end_to_end_id=ln.end_to_end_id,
            payer_name=ln.payer_name,
            payer_iban=ln.payer_iban,
            charges=ln.charges,
            is_return=bool(ln.return_reason),
        )
        for ln in labelled.lines
    ]
    return labelled, Matcher(open_items, customers).match_batch(lines)


class TestMatchingEngine(BaseCase):
    """The matching engine over plain data: candidates, scores, combinations, labelled sets."""

    def test_exact_number_in_remittance_is_sure(self):
        proposal = best(line("480.00", "Facture INV/2025/00011", "DUPONT"))
        assert proposal.item_ids == (11,) and proposal.score >= 0.95 and proposal.kind == "reference"

    def test_exact_number_in_structured_reference_or_end_to_end_id(self):
        assert best(line("730.00", structured_reference="INV202500022")).item_ids == (22,)
        assert best(line("730.00", end_to_end_id="E2E-INV-2025-00022")).item_ids == (22,)

    def test_rf_reference_is_found_and_validated(self):
        rf = iso11649_from("INV/2025/00021")
        assert rf_references(f"paiement {rf[:4]} {rf[4:]}") == [rf]
        assert rf_references("RF00 1234") == []
        proposal = best(line("1250.00", structured_reference=rf, payer="X"))
        assert proposal.item_ids == (21,) and proposal.score >= 0.95

    def test_several_invoices_in_one_payment(self):
        proposal = best(line("600.50", "INV/2025/00011 + INV/2025/00012", "DUPONT"))
        assert set(proposal.item_ids) == {11, 12} and proposal.kind == "multi" and proposal.score >= 0.95

    def test_lost_separators_and_o_0_i_1_confusions_are_forgiven(self):
        assert canonical("inv/2O25-0OOI2") == canonical("INV202500012")
        assert best(line("120.50", "lNV2O25OOO12", "Dupont")).item_ids == (12,)

    def test_prefixes_are_forgiven(self):
        for text in ("FACT 2025/00032", "Rg. 2025-00032", "FACTURE N 2025/00032"):
            proposal = best(line("615.40", text, "LEROY"))
            assert proposal.item_ids == (32,) and proposal.score >= 0.9, text

    def test_typo_confirmed_by_amount_and_customer_is_sure(self):
        proposal = best(line("615.40", "INV/2025/00023", "MENUISERIE LEROY"))  # 32 -> 23 transposed
        assert proposal.item_ids == (32,) and proposal.score >= 0.9 and proposal.kind == "fuzzy"

    def test_typo_without_customer_confirmation_waits_for_review(self):
        proposal = best(line("615.40", "INV/2025/00023", "SOMEONE ELSE"))
        assert proposal.item_ids == (32,) and proposal.score < 0.9

    def test_typo_that_hits_another_open_invoice_is_not_trusted_blindly(self):
        # "INV/2025/00012" is a typo of 00011 but also the exact number of 120.50 from the same customer:
        # the amount says 00011, so the exact-but-wrong number must not be auto-applied as a partial payment.
        proposals = Matcher(items(), CUSTOMERS).propose(line("480.00", "INV/2025/00012", "DUPONT"))
        auto = [p for p in proposals if p.score >= 0.9]
        assert not auto or auto[0].item_ids == (11,)

    def test_truncated_reference_confirmed_by_amount_and_customer(self):
        proposal = best(line("4321.09", "VIR SEPA GARAGE MOREAU INV/2025/0004", "GARAGE MOREAU"))
        assert proposal.item_ids == (41,) and proposal.score >= 0.9

    def test_other_payer_is_accepted_when_the_reference_is_sure(self):
        proposal = best(line("730.00", "INV/2025/00022", "EUROFACTOR"))
        assert proposal.item_ids == (22,) and proposal.score >= 0.95
        assert "payer is not the customer" in proposal.reasons_text

    def test_amount_and_close_payer_name_without_reference(self):
        proposal = best(line("4321.09", "VIREMENT", "GARAGE MOREAU"))
        assert proposal.item_ids == (41,) and proposal.kind == "amount_name" and proposal.score >= 0.9

    def test_known_iban_identifies_the_customer(self):
        proposal = best(line("480.00", "VIREMENT", "M ET MME X", payer_iban="FR7630001007941234567890185"))
        assert proposal.item_ids == (11,) and proposal.score >= 0.9

    def test_unique_combination_of_open_invoices(self):
        proposal = best(line("600.00", "VIREMENT", "GARAGE MOREAU"))
        assert set(proposal.item_ids) == {42, 43} and proposal.kind == "combination" and proposal.score >= 0.9

    def test_partial_payment_is_applied_without_write_off(self):
        proposal = best(line("300.00", "INV/2025/00022", "TRANSPORTS MARTIN"))
        assert proposal.kind == "partial" and proposal.writeoff_amount == 0
        assert proposal.settled_amount == D("300.00") and proposal.score >= 0.9

    def test_bank_fees_within_the_limit_are_written_off(self):
        proposal = best(line("722.50", "INV/2025/00022", "TRANSPORTS MARTIN"))
        assert proposal.writeoff_kind == "fees" and proposal.writeoff_amount == D("7.50")
        assert proposal.settled_amount == D("730.00")
        assert best(line("722.50", "INV/2025/00022", "MARTIN"), fee_limit=D("5")).kind == "partial"

    def test_early_payment_discount_per_payment_terms(self):
        proposal = best(line("980.00", "INV/2025/00031", "LEROY"))
        assert proposal.writeoff_kind == "discount" and proposal.writeoff_amount == D("20.00")
        late = BankLine(id=1, amount=D("980.00"), date=DAY + timedelta(days=30), remittance="INV/2025/00031")
        assert Matcher(items(), CUSTOMERS).propose(late)[0].writeoff_kind != "discount"

    def test_credit_note_is_netted(self):
        proposal = best(line("1100.00", "INV/2025/00021", "TRANSPORTS MARTIN"))
        assert set(proposal.item_ids) == {21, 23}
        assert proposal.settled_amount == D("1100.00")

    def test_two_equally_good_candidates_are_never_auto_applied(self):
        proposals = Matcher(items(), CUSTOMERS).propose(line("99.00", "VIREMENT", "BOULANGERIE DUPONT"))
        assert {p.item_ids for p in proposals[:2]} == {(13,), (14,)}
        assert all(p.score < 0.9 for p in proposals)
        assert "just as good" in proposals[0].reasons_text

    def test_returns_and_outgoing_lines_are_never_matched(self):
        assert best(line("480.00", "INV/2025/00011", "DUPONT", is_return=True)) is None
        assert best(line("-480.00", "INV/2025/00011", "DUPONT")) is None

    def test_unknown_payment_gets_nothing(self):
        assert best(line("12345.67", "DEPOT ESPECES", "PERSONNE")) is None

    def test_reasons_are_words(self):
        proposal = best(line("480.00", "Facture INV/2025/00011", "DUPONT"))
        assert proposal.reasons_text == "The payment names INV/2025/00011."

    def test_batch_never_settles_the_same_invoice_twice(self):
        matcher = Matcher(items(), CUSTOMERS)
        lines = [
            BankLine(id=1, amount=D("480.00"), date=DAY, remittance="INV/2025/00011"),
            BankLine(id=2, amount=D("480.00"), date=DAY, remittance="Facture INV/2025/00011"),
        ]
        results = matcher.match_batch(lines)
        autos = [results[i][0][0] for i in (1, 2) if results[i][1]]
        assert len(autos) == 1

    def test_combinations_stop_at_two_and_respect_the_size_limit(self):
        combos, exhausted = find_combinations([100, 200, 300, 400], 500, max_size=2)
        assert len(combos) == 2 and exhausted
        combos, _exhausted = find_combinations([100] * 9, 900, max_size=8)
        assert combos == []

    def test_payer_name_cut_short_by_the_bank_still_names_the_customer(self):
        assert abbreviations("BOUL. DUPONT SARL") == {"BOUL"}
        proposal = best(line("120.50", "VIREMENT", "BOUL. DUPONT"))
        assert proposal.item_ids == (12,) and proposal.kind == "amount_name" and proposal.score >= 0.9
        # Without the bank's full stop the word is not taken for a cut: no prefix guessing on whole words.
        unknown = best(line("120.50", "VIREMENT", "BOUL DUPONT"))
        assert unknown.kind == "amount_only" and unknown.score < 0.9

    def test_typo_with_abbreviated_payer_is_confirmed(self):
        proposal = best(line("615.40", "INV/2025/00023", "MENUIS. LEROY"))  # 32 -> 23 transposed
        assert proposal.item_ids == (32,) and proposal.kind == "fuzzy" and proposal.score >= 0.9

    def test_payers_own_invoice_one_typo_away_beats_another_customers_invoice_needing_fees(self):
        proposals = typo_neighbour_matcher().propose(line("205.00", "INV/2025/00042", "TRANSPORTS MARTIN"))
        assert proposals[0].item_ids == (24,) and proposals[0].score >= 0.9 and not proposals[0].writeoff_kind
        named = next(p for p in proposals if p.item_ids == (42,))
        assert named.score < 0.9 and "one character away" in named.reasons_text

    def test_payers_own_invoice_one_typo_away_beats_a_partial_payment_of_another_customers_invoice(self):
        proposals = typo_neighbour_matcher(fee_limit=D("1")).propose(
            line("205.00", "INV/2025/00042", "TRANSPORTS MARTIN")
        )
        assert proposals[0].item_ids == (24,) and proposals[0].settled_amount == D("205.00")
        assert all(p.score < 0.9 for p in proposals if p.item_ids == (42,))

    def test_named_invoice_with_fees_stays_sure_when_its_customer_pays_or_nobody_is_named(self):
        for payer in ("GARAGE MOREAU", ""):
            proposal = typo_neighbour_matcher().propose(line("205.00", "INV/2025/00042", payer))[0]
            assert proposal.item_ids == (42,) and proposal.writeoff_kind == "fees" and proposal.score >= 0.9, payer

    def test_the_only_pair_adding_up_comes_before_larger_sets(self):
        # 800.00 is 500 + 300, but also 500 + 200 + 100, 500 + 250 + 50, 300 + 200 + 250 + 50...
        proposal = many_invoices_matcher().propose(line("800.00", "VIREMENT", "MENUISERIE LEROY"))[0]
        assert set(proposal.item_ids) == {300, 301} and proposal.kind == "combination" and proposal.score >= 0.9
        assert "Only one pair" in proposal.reasons_text

    def test_two_pairs_adding_up_wait_for_a_person(self):
        proposals = many_invoices_matcher(extra=["450.00", "350.00"]).propose(
            line("800.00", "VIREMENT", "LEROY MENUISERIE")
        )
        assert len({p.item_ids for p in proposals}) >= 2 and all(len(p.item_ids) == 2 for p in proposals[:2])
        assert all(p.score < 0.9 for p in proposals)

    def test_smallest_combinations_are_exhaustive_and_fewest_first(self):
        assert smallest_combinations([500, 300, 100, 200, 250, 50], 800) == [(0, 1)]
        assert smallest_combinations([500, 300, 100, 200, 450, 350], 800, limit=3) == [(0, 1), (4, 5)]
        assert smallest_combinations([500, 220, 80, 10], 800) == [(0, 1, 2)]
        assert smallest_combinations([500, 220, 90], 800) == []

    def test_a_namesake_is_proposed_for_review_when_the_closest_customer_explains_nothing(self):
        customers = [Customer(1, "Pharmacie Simon SNC"), Customer(2, "Pharmacie Simon SNC 2")]
        open_items = [item(1, 1, "INV/2025/00001", "75.00"), item(2, 2, "INV/2025/00002", "318.40")]
        proposals = Matcher(open_items, customers).propose(line("318.40", "VIR SEPA", "PHARMACIE SIMON SNC"))
        assert proposals[0].item_ids == (2,) and proposals[0].score < 0.9
        assert "Another customer's name is closer" in proposals[0].reasons_text

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenario())
    def test_property_a_proposal_never_settles_more_than_the_line_nor_uses_an_invoice_twice(self, case):
        open_items, bank_line, fee = case
        residuals = {i.id: i.residual for i in open_items}
        for proposal in Matcher(open_items, CUSTOMERS, MatchSettings(fee_limit=fee)).propose(bank_line):
            assert 0.0 <= proposal.score <= 1.0
            assert len(set(proposal.item_ids)) == len(proposal.item_ids), "an invoice used twice"
            cash = proposal.settled_amount - proposal.writeoff_amount
            assert cash <= bank_line.amount, "settles more than the line's amount"
            assert 0 <= proposal.writeoff_amount <= max(fee, D("0")) or proposal.writeoff_kind == "discount"
            for allocation in proposal.allocations:
                residual = residuals[allocation.item_id]
                assert abs(allocation.amount) <= abs(residual) and allocation.amount * residual > 0
            assert proposal.reasons

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(scenario(), min_size=1, max_size=1), st.integers(min_value=2, max_value=6))
    def test_property_a_batch_never_settles_an_invoice_beyond_its_residual(self, cases, copies):
        open_items, bank_line, fee = cases[0]
        matcher = Matcher(open_items, CUSTOMERS, MatchSettings(fee_limit=fee))
        lines = [dataclasses.replace(bank_line, id=n) for n in range(copies)]
        results = matcher.match_batch(lines)
        used = Counter()
        for proposals, auto in results.values():
            if auto:
                for allocation in proposals[0].allocations:
                    used[allocation.item_id] += allocation.amount
        residuals = {i.id: i.residual for i in open_items}
        for item_id, total in used.items():
            assert abs(total) <= abs(residuals[item_id])

    def test_small_labelled_set_meets_the_quality_targets(self):
        labelled, results = _run_labelled(seed=11)
        auto = wrong = exact = exact_auto = rest = rest_first = 0
        for bank_line in labelled.lines:
            proposals, is_auto = results[bank_line.index]
            if is_auto:
                auto += 1
                wrong += set(proposals[0].item_ids) != set(bank_line.truth)
            elif bank_line.truth:
                rest += 1
                rest_first += bool(proposals) and set(proposals[0].item_ids) <= set(bank_line.truth)
            if bank_line.label in ("exact", "rf"):
                exact += 1
                exact_auto += is_auto
            if bank_line.label in ("return", "unmatchable"):
                assert not is_auto
        total = len(labelled.lines)
        assert auto / total >= 0.88, f"auto-reconciled {auto}/{total}"
        assert exact_auto / exact >= 0.99, f"exact references {exact_auto}/{exact}"
        assert wrong / auto <= 0.005, f"wrong auto-reconciliations {wrong}/{auto}"
        assert rest_first / rest >= 0.9, f"right invoice first {rest_first}/{rest}"
