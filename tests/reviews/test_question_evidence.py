"""Question by question: the evidence each shows beside itself, and that it speaks about what
the question asks — counting rows, not kinds. A question with nothing in the registers that
answers it shows no evidence rather than something beside the point."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from readiness.reviews.checks import CHECKS
from readiness.reviews.evidence import EVIDENCE
from tests.reviews.rows import ACME, TODAY, blackout, duty, element, exception, handoff, report
from tests.reviews.test_evidence import all_duties, review

EVIDENCE_BY_QUESTION = {
    # 1 · Data that must move
    "measurable_outcome": "project_outcome",
    "records_listed": "data_criticality",
    "system_of_truth": "data_truth",
    "shared_definitions": "data_definitions",
    "decision_fields": "data_decision_fields",
    "context_travels": "data_context",
    "in_use_elsewhere": "",
    "stewards_named": "data_stewards",
    "data_quality": "data_quality",
    "period_date": "data_period_dates",
    # 2 · Handoffs
    "current_process_mapped": "",
    "trigger_defined": "handoff_triggers",
    "receiving_owner": "handoff_owners",
    "wait_rule": "handoff_wait_rules",
    "rejection_path": "handoff_fixers",
    "escalation_path": "handoff_escalation",
    "no_informal_glue": "handoff_mechanisms",
    "workarounds_resolved": "handoff_workarounds",
    "interfaces_tested": "interface_status",
    "custom_builds": "custom_builds",
    # 3 · Exceptions
    "ugly_cases_listed": "",
    "works_manually": "",
    "handling_decided": "",
    "stop_decider": "exception_owners",
    "tested_before_lock": "exception_tests",
    "high_severity_passed": "exception_high",
    "production_like_data": "",
    "test_evidence_kept": "exception_evidence",
    # 4 · Reporting
    "day_one_reports": "report_day_one_list",
    "outcome_tracked": "",
    "sources_agreed": "report_sources",
    "no_manual_reconciliation": "report_day_one",
    "meaning_kept": "report_definitions",
    "why_it_moved": "report_why",
    "single_view": "",
    "later_reports_planned": "report_later",
    # 5 · Ownership after launch
    "owner_per_integration": "duty_inside",
    "duties_covered": "duty_coverage",
    "drift_and_scope": "duty_drift_scope",
    "automation_control": "automation_rules",
    "flows_monitored": "duty_monitoring",
    "breakage_plan": "breakage_plan",
    "parallel_run": "project_parallel_run",
    "built_for_target_process": "",
    "cutover_calendar": "cutover_calendar",
    "depth": "duty_deputies",
}

QUESTIONS = {q.key: q for c in CHECKS for q in c.questions}


def test_every_question_is_pinned():
    assert set(QUESTIONS) == set(EVIDENCE_BY_QUESTION)


@pytest.mark.parametrize("key", list(EVIDENCE_BY_QUESTION))
def test_question_shows_its_evidence(key):
    assert QUESTIONS[key].evidence == EVIDENCE_BY_QUESTION[key]


def _duties_without(*kinds):
    return tuple(d for d in all_duties() if d.kind not in kinds)


# For each question with evidence: a project with exactly the gap the question asks about,
# and the sentence its evidence must show.
GAPS = {
    "measurable_outcome": (dict(desired_outcome="Better visibility"), "has no number in it"),
    "records_listed": (
        dict(data_elements=(element(criticality="important"),)),
        "none is marked as one that cannot be wrong",
    ),
    "system_of_truth": (
        dict(data_elements=(element(system_of_truth=None),)),
        "1 of 1 data element has no undisputed system of truth",
    ),
    "shared_definitions": (
        dict(data_elements=(element(defined_differently=True),)),
        "defined differently by different teams",
    ),
    "decision_fields": (
        dict(data_elements=(element(decision_fields=""),)),
        "1 of 1 data element names no fields that drive decisions",
    ),
    "context_travels": (
        dict(data_elements=(element(context_travels="lost"),)),
        "does not carry its context with it: 1 lose it",
    ),
    "stewards_named": (
        dict(data_elements=(element(steward=ACME),)),
        "stewarded by a vendor, a consultant or an IT department",
    ),
    "data_quality": (
        dict(data_elements=(element(accuracy_percent=Decimal("91")),)),
        "1 of 1 critical data element falls short on quality: 1 below the 98 % threshold",
    ),
    "period_date": (
        dict(data_elements=(element(period_date=""),)),
        "1 of 1 financial data element has no decided period date",
    ),
    "trigger_defined": (dict(handoffs=(handoff(trigger=""),)), "1 of 1 handoff names no trigger"),
    "receiving_owner": (
        dict(handoffs=(handoff(receiving_owner=ACME),)),
        "has no receiving owner inside the business",
    ),
    "wait_rule": (
        dict(handoffs=(handoff(shared_record=True, wait_rule=""),)),
        "has no wait/conflict rule",
    ),
    "rejection_path": (dict(handoffs=(handoff(fixer=None),)), "names nobody who may fix"),
    "escalation_path": (
        dict(handoffs=(handoff(escalation_path=""), handoff(pk=2, name="Invoice"))),
        "1 of 2 handoffs has no escalation path",
    ),
    "no_informal_glue": (
        dict(handoffs=(handoff(mechanism="memory"),)),
        "runs on e-mail, spreadsheets or memory (1 on someone’s memory)",
    ),
    "workarounds_resolved": (
        dict(handoffs=(handoff(is_workaround=True),)),
        "1 of 1 handoff is a local workaround",
    ),
    "interfaces_tested": (
        dict(handoffs=(handoff(interface_status="descoped", data_element_ids=(1,)),)),
        "1 of 1 interface has not been tested end to end (1 descoped, 1 carrying critical data)",
    ),
    "custom_builds": (None, "1 custom build among 2 systems; 1 carries critical data"),
    "stop_decider": (
        dict(exceptions=(exception(decision_owner=None),)),
        "1 of 1 exception case has no decision owner (1 high severity)",
    ),
    "tested_before_lock": (
        dict(exceptions=(exception(test_status="untested", tested_on=None),)),
        "has not passed a test (1 untested), and the plan locks in 10 days",
    ),
    "high_severity_passed": (
        dict(exceptions=(exception(test_status="failed"),)),
        "1 high-severity exception case: 1 failed",
    ),
    "test_evidence_kept": (
        dict(exceptions=(exception(evidence=""),)),
        "1 of 1 tested exception case records no evidence of the test",
    ),
    "day_one_reports": (
        dict(reports=(report(owner=None),)),
        "1 of the day-one reports lacks a business question or an owner",
    ),
    "sources_agreed": (
        dict(reports=(report(source_count=0, source_element_ids=()),)),
        "1 of 1 report names no sources",
    ),
    "no_manual_reconciliation": (
        dict(reports=(report(needs_reconciliation=True),)),
        "1 of 1 day-one report still needs manual reconciliation",
    ),
    "meaning_kept": (
        dict(data_elements=(element(defined_differently=True),), reports=(report(),)),
        "draws on data that teams define differently without noting the difference",
    ),
    "why_it_moved": (
        dict(reports=(report(shows_why=False),)),
        "cannot show why a process moved",
    ),
    "later_reports_planned": (
        dict(reports=(report(timing="after_stabilization", owner=None),)),
        "1 of 1 report needed after stabilization has no owner",
    ),
    "owner_per_integration": (
        dict(duties=(duty(owner=ACME),)),
        "1 of 1 owned duty is held outside the business",
    ),
    "duties_covered": (
        dict(duties=_duties_without("update_docs")),
        "No duty is recorded to update documentation.",
    ),
    "drift_and_scope": (
        dict(
            duties=_duties_without("respond_drift")
            + (duty(pk=300, kind="respond_drift", owner=None),)
        ),
        "1 of 2 duties for drift and core-versus-workaround decisions has no named owner",
    ),
    "automation_control": (
        dict(handoffs=(handoff(human_checkpoint="no"),)),
        "1 of 1 automated handoff lacks written rules or a human checkpoint",
    ),
    "flows_monitored": (
        dict(duties=_duties_without("monitor_flows")),
        "No duty is recorded to monitor critical data flows.",
    ),
    "breakage_plan": (dict(breakage_plan=""), "Nobody has written down what happens"),
    "parallel_run": (
        dict(parallel_run_start=None, parallel_run_end=None),
        "No parallel-run window is set",
    ),
    "cutover_calendar": (
        dict(
            blackouts=(blackout(start=TODAY + timedelta(days=55), end=TODAY + timedelta(days=65)),)
        ),
        "1 of 1 blackout period overlaps go-live or the parallel run",
    ),
    "depth": (
        dict(duties=tuple(replace(d, deputy=None) for d in all_duties())),
        "4 of 4 owned critical duties have no deputy",
    ),
}


def _review_with(key):
    changes, _ = GAPS[key]
    if changes is None:  # custom builds: a custom ERP holding critical data
        data = review()
        return replace(
            data,
            systems=(replace(data.systems[0], build="custom"), data.systems[1]),
            data_elements=(element(system_of_truth_id=1),),
        )
    return review(**changes)


@pytest.mark.parametrize("key", [k for k, v in EVIDENCE_BY_QUESTION.items() if v])
def test_question_evidence_speaks_about_its_question(key):
    healthy = EVIDENCE[EVIDENCE_BY_QUESTION[key]](review())
    assert healthy.tone == "ok", (key, healthy.text)
    gap = EVIDENCE[EVIDENCE_BY_QUESTION[key]](_review_with(key))
    assert gap.tone == "warn", (key, gap.text)
    assert GAPS[key][1] in gap.text, (key, gap.text)


def test_every_question_with_evidence_has_a_gap_case():
    assert set(GAPS) == {k for k, v in EVIDENCE_BY_QUESTION.items() if v}
