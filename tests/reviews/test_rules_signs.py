"""The warning signs added after real failures, on hand-made data: each rule both ways."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from readiness.reviews.data import ReviewData
from readiness.reviews.findings import FindingSeverity, ItemRef
from readiness.reviews.rules import RULES, untested_severity
from tests.reviews.rows import (
    ACME,
    ANNA,
    BEA,
    CONSULT,
    CRM,
    ERP,
    IT,
    IVAN,
    TODAY,
    blackout,
    duty,
    element,
    exception,
    handoff,
    report,
)
from tests.reviews.test_rules import core_duties

B, H, M, L = (
    FindingSeverity.BLOCKER,
    FindingSeverity.HIGH,
    FindingSeverity.MEDIUM,
    FindingSeverity.LOW,
)
CUSTOMER = ItemRef("data-elements", 1, "Customer")
ORDER = ItemRef("handoffs", 1, "Order to fulfilment")


def review(*, plan_lock_in: int = 30, **kw) -> ReviewData:
    fields = dict(
        project_pk=1,
        today=TODAY,
        plan_lock_date=TODAY + timedelta(days=plan_lock_in),
        go_live_date=TODAY + timedelta(days=plan_lock_in + 60),
        desired_outcome="Orders invoiced within 24 hours, down from 4 days",
        breakage_plan="Call Anna; pause the sync; key orders by hand; replay from the queue.",
        owners=(ANNA, ACME, CONSULT, IT, BEA, IVAN),
        systems=(ERP, CRM),
        data_elements=(element(),),
        handoffs=(handoff(data_element_ids=(1,)),),
        exceptions=(exception(),),
        reports=(report(),),
        duties=core_duties(),
    )
    return ReviewData(**(fields | kw))


def run(rule: str, data: ReviewData):
    return RULES[rule](data)


def test_the_healthy_project_raises_none_of_the_new_signs():
    data = review()
    for key in (
        "data_quality",
        "period_date_missing",
        "interface_gap",
        "custom_build",
        "report_cannot_show_why",
        "no_deputy",
        "signature_concentration",
        "blackout_cutover",
        "context_lost",
    ):
        assert run(key, data) == [], key


# --- data quality ----------------------------------------------------------------------------


def test_keyed_by_hand_without_validation_is_high():
    data = review(data_elements=(element(population="keyed", entry_validated=False),))
    (f,) = run("data_quality", data)
    assert (f.severity, f.title, f.items) == (
        H,
        "Critical data keyed by hand without validation",
        (CUSTOMER,),
    )
    assert "keyed in by hand and nothing validates it" in f.message


def test_keyed_by_hand_with_validation_is_fine():
    data = review(data_elements=(element(population="keyed", entry_validated=True),))
    assert run("data_quality", data) == []


def test_unmeasured_accuracy_is_high():
    data = review(data_elements=(element(accuracy_percent=None, accuracy_measured_on=None),))
    (f,) = run("data_quality", data)
    assert (f.severity, f.title) == (H, "Accuracy of critical data never measured")


@pytest.mark.parametrize(("plan_lock_in", "severity"), [(30, H), (14, B), (-2, B)])
def test_accuracy_below_threshold_is_high_then_blocks_near_plan_lock(plan_lock_in, severity):
    data = review(
        plan_lock_in=plan_lock_in, data_elements=(element(accuracy_percent=Decimal("96.5")),)
    )
    (f,) = run("data_quality", data)
    assert f.severity == severity
    assert "96.5 %, below the project’s threshold of 98 %" in f.message


def test_the_threshold_is_the_projects():
    low = element(accuracy_percent=Decimal("96.5"))
    assert run("data_quality", review(data_elements=(low,), accuracy_threshold=Decimal(95))) == []
    assert run("data_quality", review(data_elements=(low,), accuracy_threshold=Decimal(97)))


def test_data_quality_judges_only_critical_elements():
    weak = element(criticality="important", population="keyed", accuracy_percent=None)
    assert run("data_quality", review(data_elements=(weak,))) == []


# --- context that travels ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criticality", "choice", "severity", "title"),
    [
        ("critical", "lost", M, "Context does not travel"),
        ("critical", "partly", L, "Context only partly travels"),
        ("important", "lost", L, "Context does not travel"),
    ],
)
def test_context_that_does_not_travel(criticality, choice, severity, title):
    data = review(data_elements=(element(criticality=criticality, context_travels=choice),))
    (f,) = run("context_lost", data)
    assert (f.severity, f.title, f.items) == (severity, title, (CUSTOMER,))


@pytest.mark.parametrize(
    ("criticality", "choice"),
    [("critical", "travels"), ("critical", ""), ("important", "partly"), ("minor", "lost")],
)
def test_context_quiet(criticality, choice):
    # The rule reads the choice: free text alone neither raises nor clears it.
    row = element(criticality=criticality, context_travels=choice, travelling_context="")
    assert run("context_lost", review(data_elements=(row,))) == []


# --- period date -----------------------------------------------------------------------------


@pytest.mark.parametrize(("criticality", "severity"), [("critical", H), ("important", M)])
def test_financial_data_without_period_date(criticality, severity):
    data = review(data_elements=(element(criticality=criticality, period_date=""),))
    (f,) = run("period_date_missing", data)
    assert (f.severity, f.items) == (severity, (CUSTOMER,))


@pytest.mark.parametrize(
    ("criticality", "period"),
    [("critical", "posting"), ("critical", "not_financial"), ("minor", "")],
)
def test_period_date_quiet(criticality, period):
    data = review(data_elements=(element(criticality=criticality, period_date=period),))
    assert run("period_date_missing", data) == []


# --- interfaces ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["not_built", "built", "descoped"])
@pytest.mark.parametrize(("plan_lock_in", "severity"), [(30, H), (10, B)])
def test_untested_interface_on_critical_path(status, plan_lock_in, severity):
    h = handoff(data_element_ids=(1,), interface_status=status, interface_tested_on=None)
    (f,) = run("interface_gap", review(plan_lock_in=plan_lock_in, handoffs=(h,)))
    assert (f.severity, f.items) == (severity, (ORDER,))
    if status == "descoped":
        assert f.title == "Interface descoped on a critical path"


@pytest.mark.parametrize(
    ("status", "elements", "criticality"),
    [
        ("tested", (1,), "critical"),
        ("none", (1,), "critical"),
        ("built", (), "critical"),
        ("built", (1,), "important"),
    ],
)
def test_interface_gap_quiet(status, elements, criticality):
    data = review(
        data_elements=(element(criticality=criticality),),
        handoffs=(handoff(data_element_ids=elements, interface_status=status),),
    )
    assert run("interface_gap", data) == []


def test_custom_build_carrying_critical_data_is_medium():
    custom = replace(ERP, build="custom")
    data = review(systems=(custom, CRM), data_elements=(element(system_of_truth_id=1),))
    (f,) = run("custom_build", data)
    assert (f.severity, f.items) == (M, (ItemRef("systems", 1, "ERP"),))
    assert "“Customer”" in f.message


def test_custom_build_on_a_critical_handoff_counts():
    custom = replace(CRM, build="custom")
    h = handoff(data_element_ids=(1,), from_system_id=1, to_system_id=2)
    (f,) = run("custom_build", review(systems=(ERP, custom), handoffs=(h,)))
    assert f.items == (ItemRef("systems", 2, "CRM"),)


def test_custom_build_without_critical_data_is_fine():
    custom = replace(ERP, build="custom")
    data = review(
        systems=(custom,), data_elements=(element(criticality="minor", system_of_truth_id=1),)
    )
    assert run("custom_build", data) == []


# --- calendar --------------------------------------------------------------------------------


def test_go_live_inside_a_blackout_is_high():
    data = review()
    period = blackout(start=data.go_live_date - timedelta(days=3), end=data.go_live_date)
    (f,) = run("blackout_cutover", replace(data, blackouts=(period,)))
    assert (f.severity, f.items) == (H, (ItemRef("blackouts", 1, "Year-end close"),))
    assert f.message.startswith("Go-live on")


def test_parallel_run_overlapping_a_blackout_is_high():
    data = review()
    start = data.go_live_date + timedelta(days=1)
    data = replace(
        data,
        parallel_run_start=start,
        parallel_run_end=start + timedelta(days=30),
        blackouts=(blackout(start=start + timedelta(days=20), end=start + timedelta(days=40)),),
    )
    (f,) = run("blackout_cutover", data)
    assert f.message.startswith("The parallel run falls inside “Year-end close”")


def test_blackouts_clear_of_the_cutover_are_fine():
    data = review()
    period = blackout(
        start=data.go_live_date + timedelta(days=1), end=data.go_live_date + timedelta(days=9)
    )
    assert run("blackout_cutover", replace(data, blackouts=(period,))) == []


# --- reports ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("timing", "severity"), [("day_one", M), ("after_stabilization", L)])
def test_report_that_cannot_show_why(timing, severity):
    (f,) = run("report_cannot_show_why", review(reports=(report(timing=timing, shows_why=False),)))
    assert (f.severity, f.items) == (severity, (ItemRef("reports", 1, "Daily revenue"),))


# --- ownership depth -------------------------------------------------------------------------


def _owner_findings(data, title):
    return [f for f in run("missing_owner", data) if f.title == title]


@pytest.mark.parametrize("outsider", [ACME, CONSULT, IT])
def test_receiving_owner_outside_the_business(outsider):
    critical = review(handoffs=(handoff(data_element_ids=(1,), receiving_owner=outsider),))
    (f,) = _owner_findings(critical, "Handoff received outside the business")
    assert (f.severity, f.items) == (H, (ORDER, outsider.ref))
    other = review(handoffs=(handoff(receiving_owner=outsider),))
    (f,) = _owner_findings(other, "Handoff received outside the business")
    assert f.severity == M


def test_fixer_outside_the_business():
    data = review(handoffs=(handoff(data_element_ids=(1,), fixer=CONSULT),))
    (f,) = _owner_findings(data, "Rejected records fixed outside the business")
    assert (f.severity, f.items) == (H, (ORDER, CONSULT.ref))


def test_steward_outside_the_business():
    data = review(data_elements=(element(steward=ACME),))
    (f,) = _owner_findings(data, "Data steward outside the business")
    assert (f.severity, f.items) == (H, (CUSTOMER, ACME.ref))


def test_a_named_it_person_may_receive_fix_and_own_technical_duties():
    data = review(
        handoffs=(handoff(data_element_ids=(1,), receiving_owner=IVAN, fixer=IVAN),),
        duties=tuple(
            replace(d, owner=IVAN) if d.kind in ("monitor_flows", "review_failures") else d
            for d in core_duties()
        ),
    )
    assert run("missing_owner", data) == []


def test_a_named_it_person_owning_a_business_decision_is_medium():
    duties = tuple(
        replace(d, owner=IVAN) if d.kind == "approve_changes" else d for d in core_duties()
    )
    (f,) = run("missing_owner", review(duties=duties))
    assert (f.severity, f.title) == (M, "Business duty owned in IT")


def test_it_as_a_department_owning_monitoring_is_high():
    duties = tuple(replace(d, owner=IT) if d.kind == "monitor_flows" else d for d in core_duties())
    (f,) = run("missing_owner", review(duties=duties))
    assert (f.severity, f.title) == (H, "Duty owned outside the business")


def test_critical_duty_without_deputy_is_medium():
    duties = tuple(
        replace(d, deputy=None) if d.kind == "review_failures" else d for d in core_duties()
    )
    (f,) = run("no_deputy", review(duties=duties))
    assert (f.severity, f.items) == (M, (ItemRef("duties", 100, duties[0].name),))


def test_deputy_is_not_asked_of_lesser_or_unowned_duties():
    duties = core_duties() + (
        duty(pk=200, kind="update_docs", deputy=None),
        duty(pk=201, kind="respond_drift", owner=None, deputy=None),
    )
    assert run("no_deputy", review(duties=duties)) == []


def test_one_person_holding_most_signatures_is_medium():
    signatories = tuple((key, ANNA.pk) for key in ("data", "handoffs", "exceptions", "reporting"))
    data = review(check_signatories=signatories + (("ownership", BEA.pk),))
    # Anna: 4 checks + 1 handoff + 1 exception decision = 6 of 7.
    (f,) = run("signature_concentration", data)
    assert (f.severity, f.items) == (M, (ANNA.ref,))
    assert f.message == "Anna Berg must sign 6 of the project’s 7 sign-offs."


def test_spread_or_few_signatures_are_fine():
    spread = (("data", BEA.pk), ("handoffs", BEA.pk), ("exceptions", IVAN.pk), ("reporting", 3))
    assert run("signature_concentration", review(check_signatories=spread)) == []
    # Anna signs everything, but there are only two sign-offs: too few to judge.
    assert run("signature_concentration", review()) == []


# --- severity that escalates case by case ----------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "critical", "days", "expected"),
    [
        ("high", False, 15, H),
        ("high", False, 14, B),
        ("medium", True, 15, M),
        ("medium", True, 14, H),
        ("medium", False, 14, M),
        ("medium", False, 7, H),
        ("low", True, 8, L),
        ("low", True, 7, M),
        ("low", False, 0, L),
    ],
)
def test_untested_cases_escalate_by_their_own_severity_and_data(severity, critical, days, expected):
    assert untested_severity(severity, critical, days) == expected


def test_untested_case_touching_critical_data_through_its_handoff():
    ex = exception(severity="medium", test_status="untested", tested_on=None, handoff_id=1)
    data = review(plan_lock_in=10, exceptions=(ex,))
    (f,) = run("untested_exceptions", data)
    assert f.severity == H
    assert "touches data that cannot be wrong" in f.message
    quiet = replace(data, handoffs=(handoff(data_element_ids=()),))
    (f,) = run("untested_exceptions", quiet)
    assert f.severity == M


# --- explicit choices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules_state", "checkpoint", "title"),
    [
        ("none", "yes", "Automation without stated rules"),
        ("", "yes", "Automation without stated rules"),
        ("written", "no", "Automation without a human checkpoint"),
        ("written", "", "Automation without a human checkpoint"),
    ],
)
def test_automation_reads_the_choice_not_the_text(rules_state, checkpoint, title):
    h = handoff(
        automation_rules="no validation", rules_state=rules_state, human_checkpoint=checkpoint
    )
    (f,) = run("automation_unguarded", review(handoffs=(h,)))
    assert (f.severity, f.title) == (H, title)


def test_written_rules_with_a_checkpoint_pass_even_without_text():
    h = handoff(automation_rules="", rules_state="written", human_checkpoint="yes")
    assert run("automation_unguarded", review(handoffs=(h,))) == []
