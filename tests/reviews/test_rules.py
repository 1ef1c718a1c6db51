"""The ten warning signs on hand-made data: no database, every rule both ways."""

from dataclasses import replace
from datetime import timedelta

import pytest

from readiness.reviews.data import (
    DutyRow,
    ReviewData,
)
from readiness.reviews.findings import FindingSeverity, ItemRef
from readiness.reviews.rules import RULE_DOCS, RULE_INFO, RULES, evaluate
from tests.reviews.rows import (
    ACME,
    ANNA,
    CONSULT,
    IT,
    TODAY,
    duty,
    element,
    exception,
    handoff,
    report,
)

B, H, M, L = (
    FindingSeverity.BLOCKER,
    FindingSeverity.HIGH,
    FindingSeverity.MEDIUM,
    FindingSeverity.LOW,
)

CORE_KINDS = ("review_failures", "approve_changes", "monitor_flows", "automation_rules")


def core_duties() -> tuple[DutyRow, ...]:
    return tuple(duty(pk=100 + i, kind=kind) for i, kind in enumerate(CORE_KINDS))


def review(*, plan_lock_in: int = 30, **kw) -> ReviewData:
    """A healthy project unless told otherwise: every rule finds nothing."""
    fields = dict(
        project_pk=1,
        today=TODAY,
        plan_lock_date=TODAY + timedelta(days=plan_lock_in),
        go_live_date=TODAY + timedelta(days=plan_lock_in + 60),
        desired_outcome="Orders invoiced within 24 hours, down from 4 days",
        breakage_plan="Call Anna; pause the sync; key orders by hand; replay from the queue.",
        owners=(ANNA, ACME, CONSULT, IT),
        systems=(),
        data_elements=(element(),),
        handoffs=(handoff(),),
        exceptions=(exception(),),
        reports=(report(),),
        duties=core_duties(),
    )
    return ReviewData(**(fields | kw))


def run(rule: str, data: ReviewData):
    findings = RULES[rule](data)
    for f in findings:
        assert f.rule == rule
        assert f.check == RULE_INFO[rule][0]
        assert f.title and f.message
    return findings


def test_it_finds_nothing_in_a_healthy_project():
    assert evaluate(review()) == []


def test_it_registers_every_rule_with_its_documentation():
    assert len(RULES) == 20
    assert RULES.keys() == RULE_INFO.keys() == RULE_DOCS.keys()
    for key, doc in RULE_DOCS.items():
        assert doc.key == key and doc.function is RULES[key]
        assert doc.title and doc.checks and doc.why and doc.clear and doc.severity, key
    assert {check for check, _ in RULE_INFO.values()} == {
        "data",
        "handoffs",
        "exceptions",
        "reporting",
        "ownership",
    }


# 1. defined differently


@pytest.mark.parametrize(
    ("criticality", "severity"), [("critical", H), ("important", M), ("minor", L)]
)
def test_defined_differently_by_criticality(criticality, severity):
    de = element(criticality=criticality, defined_differently=True)
    (f,) = run("defined_differently", review(data_elements=(de,)))
    assert f.severity == severity
    assert f.items == (ItemRef("data-elements", 1, "Customer"),)
    assert "Customer" in f.message


def test_defined_differently_ignores_agreed_definitions():
    assert run("defined_differently", review(data_elements=(element(),))) == []


# 2. informal handoff


@pytest.mark.parametrize(
    ("mechanism", "severity", "word"),
    [("memory", H, "memory"), ("email", M, "e-mail"), ("spreadsheet", M, "spreadsheet")],
)
def test_informal_handoff_by_mechanism(mechanism, severity, word):
    (f,) = run("informal_handoff", review(handoffs=(handoff(mechanism=mechanism),)))
    assert f.severity == severity
    assert word in f.title
    assert "Order to fulfilment" in f.message
    assert f.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


@pytest.mark.parametrize("mechanism", ["automated", "partly_manual"])
def test_informal_handoff_ignores_systems(mechanism):
    assert run("informal_handoff", review(handoffs=(handoff(mechanism=mechanism),))) == []


# 3. no fixer


def test_no_fixer():
    data = review(handoffs=(handoff(fixer=None), handoff(pk=2, name="Invoice")))
    (f,) = run("no_fixer", data)
    assert f.severity == H
    assert f.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)
    assert "fix" in f.message


def test_no_fixer_is_quiet_with_fixer():
    assert run("no_fixer", review()) == []


# 4. untested exceptions


@pytest.mark.parametrize(
    ("severity", "plan_lock_in", "expected"),
    [
        ("high", 20, H),
        ("high", 14, B),
        ("high", 10, B),
        ("high", -3, B),
        ("medium", 20, M),
        ("medium", 10, M),  # touches no critical data: escalates only within 7 days
        ("medium", 7, H),
        ("medium", -3, H),
        ("low", 20, L),
        ("low", 10, L),
        ("low", -3, L),
    ],
)
def test_untested_exception_severity_depends_on_plan_lock(severity, plan_lock_in, expected):
    ex = exception(severity=severity, test_status="untested", tested_on=None)
    (f,) = run("untested_exceptions", review(plan_lock_in=plan_lock_in, exceptions=(ex,)))
    assert f.severity == expected
    assert f.items == (ItemRef("exceptions", 1, "Customer with two ids"),)


@pytest.mark.parametrize(
    ("plan_lock_in", "phrase"),
    [
        (20, "locks in 20 days"),
        (1, "locks tomorrow"),
        (0, "locks today"),
        (-1, "locked yesterday"),
        (-3, "locked 3 days ago"),
    ],
)
def test_untested_exception_message_mentions_plan_lock(plan_lock_in, phrase):
    ex = exception(test_status="untested")
    (f,) = run("untested_exceptions", review(plan_lock_in=plan_lock_in, exceptions=(ex,)))
    assert phrase in f.message
    assert "Customer with two ids" in f.message


@pytest.mark.parametrize(("severity", "expected"), [("high", B), ("medium", H), ("low", H)])
def test_failed_exception(severity, expected):
    ex = exception(severity=severity, test_status="failed")
    (f,) = run("untested_exceptions", review(plan_lock_in=60, exceptions=(ex,)))
    assert f.severity == expected
    assert "failed" in f.message


def test_passed_exceptions_are_fine_even_after_plan_lock():
    assert run("untested_exceptions", review(plan_lock_in=-5)) == []


# 5. report reconciliation


@pytest.mark.parametrize(("timing", "severity"), [("day_one", H), ("after_stabilization", L)])
def test_report_reconciliation_by_timing(timing, severity):
    r = report(timing=timing, needs_reconciliation=True)
    (f,) = run("report_reconciliation", review(reports=(r,)))
    assert f.severity == severity
    assert f.items == (ItemRef("reports", 1, "Daily revenue"),)
    assert "Daily revenue" in f.message


def test_report_reconciliation_is_quiet_without_manual_work():
    assert run("report_reconciliation", review()) == []


# 6. system of truth missing or disputed


@pytest.mark.parametrize(
    ("criticality", "severity"), [("critical", B), ("important", M), ("minor", L)]
)
def test_truth_missing_by_criticality(criticality, severity):
    de = element(criticality=criticality, system_of_truth=None)
    (f,) = run("truth_missing_or_disputed", review(data_elements=(de,)))
    assert f.severity == severity
    assert "missing" in f.title.lower()
    assert "Customer" in f.message


def test_truth_disputed():
    de = element(truth_disputed=True)
    (f,) = run("truth_missing_or_disputed", review(data_elements=(de,)))
    assert f.severity == B
    assert "disputed" in f.title.lower()
    assert "dispute" in f.message and "ERP" in f.message


def test_truth_blank_name_counts_as_missing():
    (f,) = run("truth_missing_or_disputed", review(data_elements=(element(system_of_truth=""),)))
    assert "missing" in f.title.lower()


def test_truth_agreed_is_fine():
    assert run("truth_missing_or_disputed", review()) == []


# 7. no wait rule


def test_no_wait_rule_on_shared_record():
    data = review(handoffs=(handoff(shared_record=True, wait_rule="  "),))
    (f,) = run("no_wait_rule", data)
    assert f.severity == H
    assert f.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


@pytest.mark.parametrize(
    ("shared", "rule"), [(False, ""), (True, "Wait until the credit check finishes")]
)
def test_no_wait_rule_quiet(shared, rule):
    data = review(handoffs=(handoff(shared_record=shared, wait_rule=rule),))
    assert run("no_wait_rule", data) == []


# 8. automation unguarded


@pytest.mark.parametrize(
    ("mechanism", "says"),
    [("automated", "is automated but"), ("partly_manual", "is partly automated but")],
)
def test_automation_without_rules(mechanism, says):
    data = review(handoffs=(handoff(mechanism=mechanism, rules_state=""),))
    (f,) = run("automation_unguarded", data)
    assert f.severity == H
    assert f.title == "Automation without stated rules"
    assert f"“Order to fulfilment” {says}" in f.message
    assert f.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


def test_manual_handoff_needs_no_automation_rules():
    data = review(handoffs=(handoff(mechanism="email", automation_rules=""),))
    assert run("automation_unguarded", data) == []


@pytest.mark.parametrize(
    "duties",
    [
        pytest.param(core_duties()[:3], id="no-duty"),
        pytest.param(
            core_duties()[:3] + (duty(pk=9, kind="automation_rules", owner=None),),
            id="unowned-duty",
        ),
    ],
)
def test_automation_without_controller_is_a_project_finding(duties):
    (f,) = run("automation_unguarded", review(duties=duties))
    assert f.severity == M
    assert f.items == ()
    assert "automation rules" in f.message


@pytest.mark.parametrize(
    ("mechanisms", "says"),
    [
        (["automated"], "1 handoff is automated, but nobody"),
        (["partly_manual"], "1 handoff is partly automated, but nobody"),
        (["automated", "automated"], "2 handoffs are automated, but nobody"),
        (
            ["automated", "automated", "partly_manual"],
            "2 handoffs are automated and 1 is partly automated, but nobody",
        ),
    ],
)
def test_automation_without_controller_counts_partly_automated_handoffs(mechanisms, says):
    handoffs = tuple(
        handoff(pk=i, name=f"Handoff {i}", mechanism=m, automation_rules="Capped at 100.")
        for i, m in enumerate(mechanisms, start=1)
    )
    (f,) = run("automation_unguarded", review(handoffs=handoffs, duties=core_duties()[:3]))
    assert f.title == "Nobody controls automation rules"
    assert says in f.message


def test_automation_controller_on_one_handoff_is_enough():
    scoped = duty(pk=9, kind="automation_rules", handoff_id=1, handoff_name="Order to fulfilment")
    assert run("automation_unguarded", review(duties=core_duties()[:3] + (scoped,))) == []


def test_no_automation_no_controller_needed():
    data = review(handoffs=(handoff(mechanism="email"),), duties=core_duties()[:3])
    assert run("automation_unguarded", data) == []


# 9. missing owner


def test_missing_receiving_owner():
    (f,) = run("missing_owner", review(handoffs=(handoff(receiving_owner=None),)))
    assert f.severity == H
    assert f.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


def test_duty_without_owner():
    d = duty(pk=7, kind="update_docs", owner=None, kind_label="Updates documentation")
    (f,) = run("missing_owner", review(duties=core_duties() + (d,)))
    assert f.severity == H
    assert f.items == (ItemRef("duties", 7, "Updates documentation — Whole project"),)


@pytest.mark.parametrize(
    ("owner", "words"),
    [(ACME, "a vendor"), (CONSULT, "a consultant"), (IT, "an IT department")],
)
def test_duty_owned_outside_the_business(owner, words):
    d = duty(pk=7, kind="update_docs", owner=owner, handoff_id=1, handoff_name="Order to fulf")
    (f,) = run("missing_owner", review(duties=core_duties() + (d,)))
    assert f.severity == H
    assert f"owned by {words}" in f.message
    assert "not a person inside the business" in f.message
    assert f.items[0] == ItemRef("duties", 7, "Updates documentation — Order to fulf")
    assert f.items[1] == owner.ref


def test_critical_element_without_steward():
    data = review(
        data_elements=(
            element(steward=None),
            element(pk=2, name="Colour", criticality="minor", steward=None),
        )
    )
    (f,) = run("missing_owner", data)
    assert f.severity == M
    assert f.items == (ItemRef("data-elements", 1, "Customer"),)


def test_high_exception_without_decision_owner():
    data = review(
        exceptions=(
            exception(decision_owner=None),
            exception(pk=2, name="Late approval", severity="medium", decision_owner=None),
        )
    )
    (f,) = run("missing_owner", data)
    assert f.severity == H
    assert f.items == (ItemRef("exceptions", 1, "Customer with two ids"),)


def test_core_duties_missing_are_project_findings():
    findings = run("missing_owner", review(duties=()))
    assert [f.severity for f in findings] == [M, M, M]
    assert all(f.items == () for f in findings)
    messages = [f.message for f in findings]
    assert "Nobody is named to review failures after launch." in messages
    assert any("approve changes" in m for m in messages)
    assert any("monitor critical data flows" in m for m in messages)


def test_core_duty_scoped_to_one_handoff_counts():
    scoped = tuple(
        duty(pk=50 + i, kind=k, handoff_id=1, handoff_name="Order to fulfilment")
        for i, k in enumerate(CORE_KINDS)
    )
    assert run("missing_owner", review(duties=scoped)) == []


def test_missing_owner_quiet_in_healthy_project():
    assert run("missing_owner", review()) == []


# 10. local workaround


def test_local_workaround():
    (f,) = run("local_workaround", review(handoffs=(handoff(is_workaround=True),)))
    assert f.severity == M
    assert f.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


def test_no_workaround():
    assert run("local_workaround", review()) == []


# Keys and ordering


def test_one_finding_per_item_with_distinct_stable_keys():
    data = review(
        handoffs=(handoff(fixer=None), handoff(pk=2, name="Invoice", fixer=None)),
    )
    findings = run("no_fixer", data)
    assert len(findings) == 2
    assert findings[0].key == "no_fixer|handoffs:1"
    assert findings[1].key == "no_fixer|handoffs:2"
    # Renaming the item does not change what was accepted.
    renamed = replace(data, handoffs=(handoff(name="Renamed", fixer=None),))
    assert run("no_fixer", renamed)[0].key == findings[0].key
    assert run("no_fixer", data)[0].key == findings[0].key


def test_same_item_different_rules_have_different_keys():
    data = review(handoffs=(handoff(fixer=None, is_workaround=True),))
    keys = {f.key for f in evaluate(data)}
    assert keys == {"no_fixer|handoffs:1", "local_workaround|handoffs:1"}


def test_evaluate_sorts_by_severity_then_check_then_title():
    data = review(
        plan_lock_in=5,
        data_elements=(element(system_of_truth=None, defined_differently=True),),
        handoffs=(handoff(mechanism="spreadsheet", is_workaround=True, fixer=None),),
        exceptions=(exception(severity="low", test_status="untested"),),
        reports=(report(timing="after_stabilization", needs_reconciliation=True),),
    )
    findings = evaluate(data)
    summary = [(f.severity, f.check, f.title) for f in findings]
    assert summary == [
        (B, "data", "System of truth missing"),
        (H, "data", "Defined differently by different teams"),
        (H, "handoffs", "Nobody may fix a rejected record"),
        (M, "handoffs", "Handoff runs on a spreadsheet"),
        (M, "handoffs", "Local workaround in the process"),
        (L, "exceptions", "Exception case untested"),
        (L, "reporting", "Report needs manual reconciliation"),
    ]
    assert findings == sorted(findings, key=lambda f: f.severity.rank)
