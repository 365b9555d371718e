"""Health check of the order-to-cash cycle: scores and findings from answers and measures.

Plain Python over plain data. The Odoo side (``models/o2c_cockpit_health_check.py``) measures the
company's data in a fixed number of queries, collects the questionnaire's answers, and turns each
finding code returned here into a translated sentence with a link to its records.
"""

import statistics
from dataclasses import dataclass, field

STEPS = ("credit", "invoicing", "collection", "cash", "disputes")

# Each question of the questionnaire: (key, step). Answers are "yes", "partly" or "no".
QUESTIONS = (
    ("terms_clauses", "credit"),
    ("credit_insurance", "credit"),
    ("credit_policy", "credit"),
    ("invoice_on_delivery", "invoicing"),
    ("customer_po", "invoicing"),
    ("graduated_reminders", "collection"),
    ("automatic_matching", "cash"),
    ("direct_debit", "cash"),
)
ANSWER_POINTS = {"yes": 2, "partly": 1, "no": 0}
REVIEW_POINTS = {"weekly": 2, "monthly": 1, "quarterly": 0, "never": 0}

# Measures scored 2 (good), 1 (to watch) or 0 (to fix): (key, step, good, watch, higher is better).
THRESHOLDS = (
    ("late_share", "collection", 10.0, 25.0, False),
    ("invoice_to_payment_days", "collection", 45.0, 60.0, False),
    ("complete_share", "invoicing", 95.0, 80.0, True),
    ("order_to_invoice_days", "invoicing", 2.0, 7.0, False),
    ("invoicing_error_rate", "invoicing", 2.0, 5.0, False),
    ("auto_match_share", "cash", 80.0, 50.0, True),
    ("dispute_rate", "disputes", 2.0, 5.0, False),
    ("resolution_days", "disputes", 10.0, 30.0, False),
    # Measured only where deliveries are (the glue addon o2c_cockpit_stock), else None and left unscored.
    ("delivery_to_invoice_days", "invoicing", 2.0, 7.0, False),
)
MISSING_FIELDS = ("siren", "vat", "email", "address", "terms")
# Days late beyond which an invoice counts as paid late in the health check.
LATE_DAYS = 15


@dataclass
class Finding:
    """One thing to fix: a code the Odoo side words, its step, 'high' or 'medium', and its numbers."""

    code: str
    step: str
    severity: str
    params: dict = field(default_factory=dict)


@dataclass
class Result:
    """Score per step (0-100, None when nothing in that step was answered or measured) and findings."""

    scores: dict
    overall: float | None
    findings: list


def measure_points(value, good, watch, higher_is_better):
    """2, 1 or 0 points for a measure against its two thresholds; None when it was not measured."""
    if value is None:
        return None
    if higher_is_better:
        return 2 if value >= good else 1 if value >= watch else 0
    return 2 if value <= good else 1 if value <= watch else 0


def bank_account_points(count):
    """Customers paying into one or two accounts are easy to match; more scatters the cash."""
    if not count:
        return None
    return 2 if count <= 2 else 1 if count <= 4 else 0


def ladder_suggestion(level_offsets, late_days):
    """The ladder change that would target invoices paid more than LATE_DAYS days late.

    ``level_offsets`` are the days after the due date of the ladder's levels, ``late_days`` the days
    late of those invoices. Returns None when none was paid that late, else (kind, params): a ladder to
    create, a reminder to add in the first fortnight after the due date, a courtesy reminder to add
    before it, or the first later level to bring forward.
    """
    if not late_days:
        return None
    median = statistics.median(late_days)
    params = {"median_days": round(median), "count": len(late_days)}
    offsets = sorted(level_offsets)
    if not offsets:
        return "create_ladder", dict(params, offset=7)
    if not any(1 <= offset <= LATE_DAYS for offset in offsets):
        return "add_level", dict(params, offset=7)
    if not any(offset <= 0 for offset in offsets):
        return "add_pre_due", dict(params, offset=-5)
    later = [offset for offset in offsets if offset > LATE_DAYS]
    if later:
        return "bring_forward", dict(params, offset=LATE_DAYS, current=later[0])
    return "add_call", dict(params, offset=LATE_DAYS)


def evaluate(answers, review_frequency, bank_accounts, measures, level_offsets=(), late_days=()):
    """Score each step and list the findings of a health check.

    ``answers`` maps question keys to "yes"/"partly"/"no" (missing: not answered), ``measures`` maps
    the THRESHOLDS keys to numbers (None: not measurable) plus ``missing`` ({field: count}),
    ``unmatched`` ({reason: count}), ``disputes_by_reason`` ({reason: count}) and
    ``einvoice_failed`` (count) and, with deliveries, ``invoiced_after_delivery`` ({"count", "days"}: the
    invoices issued more than "days" days after their delivery).
    """
    points = {step: [0, 0] for step in STEPS}
    findings = []

    def score(step, earned):
        if earned is not None:
            points[step][0] += earned
            points[step][1] += 2

    for key, step in QUESTIONS:
        answer = answers.get(key)
        if answer not in ANSWER_POINTS:
            continue
        score(step, ANSWER_POINTS[answer])
        if answer != "yes":
            findings.append(Finding(f"q_{key}", step, "high" if answer == "no" else "medium"))
    if review_frequency in REVIEW_POINTS:
        score("collection", REVIEW_POINTS[review_frequency])
        if REVIEW_POINTS[review_frequency] < 2:
            findings.append(Finding("q_aged_balance_review", "collection", "medium", {"frequency": review_frequency}))
    earned = bank_account_points(bank_accounts)
    score("cash", earned)
    if earned is not None and earned < 2:
        findings.append(Finding("q_bank_accounts", "cash", "medium", {"count": bank_accounts}))

    for key, step, good, watch, higher in THRESHOLDS:
        value = measures.get(key)
        earned = measure_points(value, good, watch, higher)
        score(step, earned)
        if earned is not None and earned < 2:
            findings.append(
                Finding(f"m_{key}", step, "high" if earned == 0 else "medium", {"value": value, "target": good})
            )

    suggestion = ladder_suggestion(level_offsets, late_days)
    if suggestion and measures.get("late_share"):
        kind, params = suggestion
        findings.append(Finding(f"ladder_{kind}", "collection", "medium", params))
    for name in MISSING_FIELDS:
        count = measures.get("missing", {}).get(name)
        if count:
            findings.append(Finding(f"missing_{name}", "invoicing", "medium", {"count": count}))
    late_invoiced = measures.get("invoiced_after_delivery") or {}
    if late_invoiced.get("count"):
        findings.append(Finding("invoiced_after_delivery", "invoicing", "medium", dict(late_invoiced)))
    if measures.get("einvoice_failed"):
        findings.append(Finding("einvoice_failed", "invoicing", "medium", {"count": measures["einvoice_failed"]}))
    for reason, count in sorted(measures.get("unmatched", {}).items()):
        if count:
            findings.append(Finding("unmatched", "cash", "medium", {"reason": reason, "count": count}))
    by_reason = {reason: count for reason, count in measures.get("disputes_by_reason", {}).items() if count}
    if by_reason:
        top = max(sorted(by_reason), key=by_reason.get)
        total = sum(by_reason.values())
        findings.append(
            Finding(
                "disputes_top_reason",
                "disputes",
                "medium",
                {"reason": top, "count": by_reason[top], "share": 100.0 * by_reason[top] / total},
            )
        )

    scores = {step: (100.0 * got / out_of if out_of else None) for step, (got, out_of) in points.items()}
    total_got = sum(got for got, _out_of in points.values())
    total_out_of = sum(out_of for _got, out_of in points.values())
    overall = 100.0 * total_got / total_out_of if total_out_of else None
    order = {"high": 0, "medium": 1}
    findings.sort(key=lambda finding: (STEPS.index(finding.step), order[finding.severity]))
    return Result(scores=scores, overall=overall, findings=findings)


def trend(current, previous):
    """Change of each score since the previous check ({step: points}, None where either is missing)."""
    return {
        step: (
            current[step] - previous[step] if current.get(step) is not None and previous.get(step) is not None else None
        )
        for step in current
    }
