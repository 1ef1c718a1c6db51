"""Evidence shown next to each question, on hand-made data: warn, ok and empty cases."""

from datetime import timedelta

import pytest

from readiness.registers.models import DutyKind
from readiness.reviews.data import (
    DutyRow,
    ReviewData,
)
from readiness.reviews.evidence import EVIDENCE, MAX_ITEMS
from readiness.reviews.findings import ItemRef
from tests.reviews.rows import (
    ACME,
    ANNA,
    CRM,
    ERP,
    TODAY,
    blackout,
    duty,
    element,
    exception,
    handoff,
    report,
)


def all_duties() -> tuple[DutyRow, ...]:
    return tuple(duty(pk=100 + i, kind=k) for i, k in enumerate(DutyKind.values))


def review(**kw) -> ReviewData:
    fields = dict(
        project_pk=1,
        today=TODAY,
        plan_lock_date=TODAY + timedelta(days=10),
        go_live_date=TODAY + timedelta(days=60),
        desired_outcome="Orders invoiced within 24 hours, down from 4 days",
        breakage_plan="Call Anna; pause the sync; key orders by hand; replay.",
        owners=(ANNA, ACME),
        systems=(ERP, CRM),
        data_elements=(element(), element(pk=2, name="Supplier", period_date="posting")),
        handoffs=(
            handoff(),
            handoff(pk=2, name="Invoice", shared_record=True, wait_rule="Wait for credit check"),
        ),
        exceptions=(exception(), exception(pk=2, name="Late approval")),
        reports=(report(), report(pk=2, name="Backlog", timing="after_stabilization")),
        duties=all_duties(),
        blackouts=(blackout(),),
        parallel_run_start=TODAY + timedelta(days=50),
        parallel_run_end=TODAY + timedelta(days=80),
    )
    return ReviewData(**(fields | kw))


def test_every_key_is_ok_on_a_healthy_project():
    for key, fn in EVIDENCE.items():
        ev = fn(review())
        assert ev.tone == "ok", (key, ev.text)
        assert ev.items == ()
        assert ev.text.endswith((".", "”"))


def test_it_implements_every_key():
    from readiness.reviews.checks import EVIDENCE_KEYS

    assert set(EVIDENCE) == EVIDENCE_KEYS


@pytest.mark.parametrize(
    "key",
    [
        "data_truth",
        "data_definitions",
        "data_stewards",
        "handoff_owners",
        "handoff_fixers",
        "handoff_mechanisms",
        "handoff_workarounds",
        "exception_tests",
        "exception_owners",
        "report_sources",
        "report_why",
    ],
)
def test_empty_registers_are_info(key):
    data = review(data_elements=(), handoffs=(), exceptions=(), reports=())
    ev = EVIDENCE[key](data)
    assert ev.tone == "info"
    assert "No " in ev.text


def test_data_truth_warns_and_counts():
    data = review(
        data_elements=(
            element(pk=1, name="Customer", system_of_truth=None),
            element(pk=2, name="Supplier", truth_disputed=True, criticality="minor"),
            element(pk=3, name="Item"),
        )
    )
    ev = EVIDENCE["data_truth"](data)
    assert ev.tone == "warn"
    assert ev.text.startswith("2 of 3 data elements have no undisputed system of truth")
    assert "1 critical" in ev.text and "1 missing" in ev.text and "1 disputed" in ev.text
    assert ev.items == (
        ItemRef("data-elements", 1, "Customer"),
        ItemRef("data-elements", 2, "Supplier"),
    )


def test_data_truth_ok_text():
    ev = EVIDENCE["data_truth"](review())
    assert ev.text == "All 2 data elements have an agreed system of truth."
    one = EVIDENCE["data_truth"](review(data_elements=(element(),)))
    assert one.text == "The data element has an agreed system of truth."


def test_items_are_capped_but_text_counts_all():
    many = tuple(element(pk=i, name=f"E{i}", system_of_truth=None) for i in range(1, 21))
    ev = EVIDENCE["data_truth"](review(data_elements=many))
    assert len(ev.items) == MAX_ITEMS
    assert ev.text.startswith("20 of 20 data elements")


def test_data_definitions_warns():
    data = review(data_elements=(element(defined_differently=True), element(pk=2, name="X")))
    ev = EVIDENCE["data_definitions"](data)
    assert ev.tone == "warn"
    assert ev.text == "1 of 2 data elements is defined differently by different teams (1 critical)."
    assert ev.items == (ItemRef("data-elements", 1, "Customer"),)


def test_data_context_only_looks_at_critical_elements():
    data = review(
        data_elements=(
            element(context_travels=""),
            element(pk=2, name="Colour", criticality="minor", context_travels=""),
        )
    )
    ev = EVIDENCE["data_context"](data)
    assert ev.tone == "warn"
    assert ev.text == (
        "1 of 1 critical data element does not carry its context with it: 1 not stated."
    )
    assert ev.items == (ItemRef("data-elements", 1, "Customer"),)


def test_data_context_without_critical_elements_is_info():
    ev = EVIDENCE["data_context"](review(data_elements=(element(criticality="minor"),)))
    assert ev.tone == "info"


def test_data_stewards_warns_critical_first():
    data = review(
        data_elements=(
            element(pk=1, name="Colour", criticality="minor", steward=None),
            element(pk=2, name="Customer", steward=None),
            element(pk=3, name="Supplier", steward=ACME),
        )
    )
    ev = EVIDENCE["data_stewards"](data)
    assert ev.tone == "warn"
    assert ev.text == (
        "Of 2 critical data elements, 1 has no steward; 1 is stewarded by a vendor, a "
        "consultant or an IT department."
    )
    assert [i.pk for i in ev.items] == [2, 3]


@pytest.mark.parametrize(
    ("key", "change", "words"),
    [
        ("handoff_owners", {"receiving_owner": None}, "has no receiving owner"),
        ("handoff_fixers", {"fixer": None}, "names nobody who may fix"),
        ("handoff_mechanisms", {"mechanism": "memory"}, "on someone’s memory"),
        ("handoff_workarounds", {"is_workaround": True}, "is a local workaround"),
    ],
)
def test_handoff_evidence_warns(key, change, words):
    data = review(handoffs=(handoff(**change), handoff(pk=2, name="Invoice")))
    ev = EVIDENCE[key](data)
    assert ev.tone == "warn"
    assert ev.text.startswith("1 of 2 handoffs")
    assert words in ev.text
    assert ev.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


def test_handoff_mechanisms_lists_memory_first():
    data = review(
        handoffs=(handoff(pk=1, mechanism="email"), handoff(pk=2, name="B", mechanism="memory"))
    )
    ev = EVIDENCE["handoff_mechanisms"](data)
    assert [i.pk for i in ev.items] == [2, 1]
    assert ev.text.startswith("2 of 2 handoffs run on e-mail, spreadsheets or memory")


def test_handoff_wait_rules():
    data = review(
        handoffs=(
            handoff(shared_record=True),
            handoff(pk=2, name="Invoice", shared_record=True, wait_rule="Wait for credit"),
            handoff(pk=3, name="Ship"),
        )
    )
    ev = EVIDENCE["handoff_wait_rules"](data)
    assert ev.tone == "warn"
    assert ev.text.startswith("1 of 2 handoffs where another process")
    assert ev.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


def test_handoff_wait_rules_ok_and_info():
    ok = EVIDENCE["handoff_wait_rules"](review())
    assert ok.text == (
        "The handoff where another process can act on the same record has a wait/conflict rule."
    )
    unshared = review(handoffs=(handoff(),))
    assert EVIDENCE["handoff_wait_rules"](unshared).tone == "info"


def test_exception_tests_warns_with_plan_lock():
    data = review(
        exceptions=(
            exception(pk=1, test_status="untested"),
            exception(pk=2, name="B", test_status="failed", severity="low"),
            exception(pk=3, name="C"),
        )
    )
    ev = EVIDENCE["exception_tests"](data)
    assert ev.tone == "warn"
    assert ev.text == (
        "2 of 3 exception cases have not passed a test (1 failed, 1 untested), "
        "and the plan locks in 10 days."
    )
    assert [i.pk for i in ev.items] == [2, 1]  # failed first


def test_exception_owners():
    data = review(exceptions=(exception(decision_owner=None), exception(pk=2, name="B")))
    ev = EVIDENCE["exception_owners"](data)
    assert ev.tone == "warn"
    assert ev.text == "1 of 2 exception cases has no decision owner (1 high severity)."


def test_exception_high():
    data = review(
        exceptions=(
            exception(pk=1, test_status="untested"),
            exception(pk=2, name="B"),
            exception(pk=3, name="C", severity="low", test_status="untested"),
        )
    )
    ev = EVIDENCE["exception_high"](data)
    assert ev.tone == "warn"
    assert ev.text == "2 high-severity exception cases: 1 untested, 1 passed."
    assert ev.items == (ItemRef("exceptions", 1, "Customer with two ids"),)
    ok = EVIDENCE["exception_high"](review())
    assert ok.tone == "ok" and ok.text == "2 high-severity exception cases: 2 passed."
    none = EVIDENCE["exception_high"](review(exceptions=(exception(severity="low"),)))
    assert none.tone == "info"


def test_report_day_one():
    data = review(
        reports=(
            report(needs_reconciliation=True),
            report(pk=2, name="Later", timing="after_stabilization", needs_reconciliation=True),
        )
    )
    ev = EVIDENCE["report_day_one"](data)
    assert ev.tone == "warn"
    assert ev.text == "1 of 1 day-one report still needs manual reconciliation."
    assert ev.items == (ItemRef("reports", 1, "Daily revenue"),)
    only_later = review(reports=(report(timing="after_stabilization"),))
    assert EVIDENCE["report_day_one"](only_later).tone == "info"


def test_report_sources_missing_and_untrusted():
    data = review(
        data_elements=(element(pk=1, truth_disputed=True), element(pk=2, name="Supplier")),
        reports=(
            report(pk=1, source_count=0, source_element_ids=()),
            report(pk=2, name="Backlog", source_element_ids=(1,)),
            report(pk=3, name="Fine", source_element_ids=(2,)),
        ),
    )
    ev = EVIDENCE["report_sources"](data)
    assert ev.tone == "warn"
    assert ev.text == (
        "1 of 3 reports names no sources; "
        "1 draws on data elements without an agreed system of truth."
    )
    assert [i.pk for i in ev.items] == [1, 2]
    only_untrusted = review(
        data_elements=(element(pk=1, system_of_truth=None),),
        reports=(report(), report(pk=2, name="Backlog", source_element_ids=())),
    )
    assert EVIDENCE["report_sources"](only_untrusted).text == (
        "1 of 2 reports draws on data elements without an agreed system of truth."
    )


def test_report_why():
    ev = EVIDENCE["report_why"](review(reports=(report(shows_why=False),)))
    assert ev.tone == "warn"
    assert ev.text.startswith("1 of 1 report cannot show why a process moved")


def test_duty_coverage_names_uncovered_kinds():
    duties = (
        duty(pk=1, kind="review_failures"),
        duty(pk=2, kind="approve_changes", owner=None),
    )
    ev = EVIDENCE["duty_coverage"](review(duties=duties))
    assert ev.tone == "warn"
    # Rows, not kinds: one of the two recorded duties has no owner; a kind with no row at all
    # is named as missing.
    assert ev.text == (
        "1 of 2 duties to review failures, approve changes or update documentation has no "
        "named owner; no duty is recorded to update documentation."
    )
    assert ev.items == (ItemRef("duties", 2, "Approves changes — Whole project"),)


def test_duty_inside():
    duties = all_duties()[:2] + (duty(pk=9, kind="update_docs", owner=ACME),)
    ev = EVIDENCE["duty_inside"](review(duties=duties))
    assert ev.tone == "warn"
    assert ev.text.startswith("1 of 3 owned duties is held outside the business")
    assert ev.items == (ItemRef("duties", 9, "Updates documentation — Whole project"),)
    assert EVIDENCE["duty_inside"](review(duties=())).tone == "info"


def test_automation_rules_warns_on_unstated_rules():
    # The rule reads the explicit choice: text alone, with the choice "none", does not pass.
    data = review(
        handoffs=(
            handoff(automation_rules="no validation", rules_state="none"),
            handoff(pk=2, name="Invoice"),
        )
    )
    ev = EVIDENCE["automation_rules"](data)
    assert ev.tone == "warn"
    assert ev.text == (
        "1 of 2 automated handoffs lacks written rules or a human checkpoint, "
        "and Anna Berg controls the rules."
    )
    assert ev.items == (ItemRef("handoffs", 1, "Order to fulfilment"),)


def test_automation_rules_warns_without_controller():
    no_controller = tuple(d for d in all_duties() if d.kind != "automation_rules")
    ev = EVIDENCE["automation_rules"](review(duties=no_controller))
    assert ev.tone == "warn"
    assert "nobody is named to control the rules" in ev.text


def test_automation_rules_info_without_automation():
    ev = EVIDENCE["automation_rules"](review(handoffs=(handoff(mechanism="email"),)))
    assert ev.tone == "info"


@pytest.mark.parametrize(
    ("outcome", "tone"),
    [
        ("Orders invoiced within 24 hours", "ok"),
        ("Faster invoicing", "warn"),
        ("   ", "warn"),
    ],
)
def test_project_outcome(outcome, tone):
    assert EVIDENCE["project_outcome"](review(desired_outcome=outcome)).tone == tone


@pytest.mark.parametrize(("plan", "tone"), [("Call Anna, pause sync.", "ok"), ("", "warn")])
def test_breakage_plan(plan, tone):
    assert EVIDENCE["breakage_plan"](review(breakage_plan=plan)).tone == tone
