"""What the registers already say about a question, shown next to it in the guided review.

Each function reads ReviewData and returns one sentence with the items behind it. The sentence
always counts everything; the linked items are capped so a long register stays readable."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from readiness.projects.models import OwnerKind
from readiness.registers.models import (
    Criticality,
    DutyKind,
    Mechanism,
    ReportTiming,
    Severity,
    TestStatus,
)
from readiness.reviews.data import DataElementRow, ReviewData
from readiness.reviews.findings import ItemRef
from readiness.reviews.rules import AUTOMATED, plan_lock_phrase

MAX_ITEMS = 12

OK, WARN, INFO = "ok", "warn", "info"


@dataclass(frozen=True)
class Evidence:
    text: str
    items: tuple[ItemRef, ...] = ()
    tone: str = INFO  # "ok" | "warn" | "info"


def _refs(rows: Sequence) -> tuple[ItemRef, ...]:
    return tuple(row.ref for row in rows[:MAX_ITEMS])


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _verb(n: int, singular: str, plural: str) -> str:
    return singular if n == 1 else plural


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _critical_first(rows: Sequence[DataElementRow]) -> list[DataElementRow]:
    rank = {Criticality.CRITICAL: 0, Criticality.IMPORTANT: 1, Criticality.MINOR: 2}
    return sorted(rows, key=lambda de: rank.get(de.criticality, 3))


def _critical_note(rows: Sequence[DataElementRow]) -> str:
    n = sum(de.criticality == Criticality.CRITICAL for de in rows)
    return f" ({n} critical)" if n else ""


def _ok(n: int, one: str, many: str) -> Evidence:
    """Good news, worded for a register of one or of many ({n} is the count)."""
    return Evidence(one if n == 1 else many.format(n=n), (), OK)


def _none_recorded(noun: str) -> Evidence:
    return Evidence(f"No {noun} recorded yet.", (), INFO)


def data_truth(data: ReviewData) -> Evidence:
    total = len(data.data_elements)
    if not total:
        return _none_recorded("data elements")
    bad = _critical_first(
        [de for de in data.data_elements if _blank(de.system_of_truth) or de.truth_disputed]
    )
    if not bad:
        return _ok(
            total,
            "The data element has an agreed system of truth.",
            "All {n} data elements have an agreed system of truth.",
        )
    missing = sum(_blank(de.system_of_truth) for de in bad)
    disputed = len(bad) - missing
    parts = [
        p
        for p in (
            f"{missing} missing" if missing else "",
            f"{disputed} disputed" if disputed else "",
        )
        if p
    ]
    return Evidence(
        f"{len(bad)} of {_plural(total, 'data element')} {_verb(len(bad), 'has', 'have')} "
        f"no undisputed system of truth{_critical_note(bad)}: {', '.join(parts)}.",
        _refs(bad),
        WARN,
    )


def data_definitions(data: ReviewData) -> Evidence:
    total = len(data.data_elements)
    if not total:
        return _none_recorded("data elements")
    bad = _critical_first([de for de in data.data_elements if de.defined_differently])
    if not bad:
        return _ok(
            total,
            "No team defines the data element differently.",
            "No team defines any of the {n} data elements differently.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(total, 'data element')} {_verb(len(bad), 'is', 'are')} "
        f"defined differently by different teams{_critical_note(bad)}.",
        _refs(bad),
        WARN,
    )


def data_context(data: ReviewData) -> Evidence:
    critical = [de for de in data.data_elements if de.criticality == Criticality.CRITICAL]
    if not critical:
        return Evidence("No data element is marked as one that cannot be wrong.", (), INFO)
    bad = [de for de in critical if _blank(de.travelling_context)]
    if not bad:
        return _ok(
            len(critical),
            "The critical data element says what context must travel with it.",
            "All {n} critical data elements say what context must travel with them.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(len(critical), 'critical data element')} "
        f"{_verb(len(bad), 'does', 'do')} not say what context must travel with "
        f"{_verb(len(bad), 'it', 'them')}.",
        _refs(bad),
        WARN,
    )


def data_stewards(data: ReviewData) -> Evidence:
    total = len(data.data_elements)
    if not total:
        return _none_recorded("data elements")
    bad = _critical_first([de for de in data.data_elements if de.steward is None])
    if not bad:
        return _ok(
            total,
            "The data element has a steward.",
            "All {n} data elements have a steward.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(total, 'data element')} {_verb(len(bad), 'has', 'have')} "
        f"no steward{_critical_note(bad)}.",
        _refs(bad),
        WARN,
    )


def _handoff_evidence(
    data: ReviewData, predicate: Callable, problem: tuple[str, str], ok: tuple[str, str]
) -> Evidence:
    total = len(data.handoffs)
    if not total:
        return _none_recorded("handoffs")
    bad = [h for h in data.handoffs if predicate(h)]
    if not bad:
        return _ok(total, *ok)
    return Evidence(
        f"{len(bad)} of {_plural(total, 'handoff')} {_verb(len(bad), *problem)}.",
        _refs(bad),
        WARN,
    )


def handoff_owners(data: ReviewData) -> Evidence:
    return _handoff_evidence(
        data,
        lambda h: h.receiving_owner is None,
        ("has no receiving owner", "have no receiving owner"),
        (
            "The handoff has a named receiving owner.",
            "All {n} handoffs have a named receiving owner.",
        ),
    )


def handoff_fixers(data: ReviewData) -> Evidence:
    return _handoff_evidence(
        data,
        lambda h: h.fixer is None,
        (
            "names nobody who may fix a rejected or conflicting record",
            "name nobody who may fix a rejected or conflicting record",
        ),
        (
            "The handoff names who may fix a rejected or conflicting record.",
            "All {n} handoffs name who may fix a rejected or conflicting record.",
        ),
    )


def handoff_wait_rules(data: ReviewData) -> Evidence:
    shared = [h for h in data.handoffs if h.shared_record]
    if not shared:
        return Evidence(
            "No handoff is marked as one where another process can act on the same record.",
            (),
            INFO,
        )
    bad = [h for h in shared if _blank(h.wait_rule)]
    n = _plural(len(shared), "handoff")
    if not bad:
        return _ok(
            len(shared),
            "The handoff where another process can act on the same record has a wait/conflict "
            "rule.",
            "All {n} handoffs where another process can act on the same record have a "
            "wait/conflict rule.",
        )
    return Evidence(
        f"{len(bad)} of {n} where another process can act on the same record "
        f"{_verb(len(bad), 'has', 'have')} no wait/conflict rule.",
        _refs(bad),
        WARN,
    )


def handoff_mechanisms(data: ReviewData) -> Evidence:
    total = len(data.handoffs)
    if not total:
        return _none_recorded("handoffs")
    informal = Mechanism.informal()
    bad = [h for h in data.handoffs if h.mechanism in informal]
    if not bad:
        return _ok(
            total,
            "The handoff does not run on e-mail, spreadsheets or memory.",
            "None of the {n} handoffs runs on e-mail, spreadsheets or memory.",
        )
    # Memory first: it is the most fragile.
    bad.sort(key=lambda h: h.mechanism != Mechanism.MEMORY)
    memory = sum(h.mechanism == Mechanism.MEMORY for h in bad)
    note = f" ({memory} on someone’s memory)" if memory else ""
    return Evidence(
        f"{len(bad)} of {_plural(total, 'handoff')} {_verb(len(bad), 'runs', 'run')} on "
        f"e-mail, spreadsheets or memory{note}.",
        _refs(bad),
        WARN,
    )


def handoff_workarounds(data: ReviewData) -> Evidence:
    total = len(data.handoffs)
    if not total:
        return _none_recorded("handoffs")
    bad = [h for h in data.handoffs if h.is_workaround]
    if not bad:
        return _ok(
            total,
            "The handoff is not a local workaround.",
            "None of the {n} handoffs is recorded as a local workaround.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(total, 'handoff')} {_verb(len(bad), 'is a', 'are')} local "
        f"workaround{_verb(len(bad), '', 's')}.",
        _refs(bad),
        WARN,
    )


SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def exception_tests(data: ReviewData) -> Evidence:
    total = len(data.exceptions)
    if not total:
        return _none_recorded("exception cases")
    bad = sorted(
        (ex for ex in data.exceptions if ex.test_status != TestStatus.PASSED),
        key=lambda ex: (ex.test_status != TestStatus.FAILED, SEVERITY_RANK.get(ex.severity, 3)),
    )
    when = plan_lock_phrase(data.days_to_plan_lock)
    if not bad:
        return _ok(
            total,
            "The exception case passed its test.",
            "All {n} exception cases passed their test.",
        )
    failed = sum(ex.test_status == TestStatus.FAILED for ex in bad)
    untested = len(bad) - failed
    parts = [
        p
        for p in (f"{failed} failed" if failed else "", f"{untested} untested" if untested else "")
        if p
    ]
    return Evidence(
        f"{len(bad)} of {_plural(total, 'exception case')} {_verb(len(bad), 'has', 'have')} "
        f"not passed a test ({', '.join(parts)}), and {when}.",
        _refs(bad),
        WARN,
    )


def exception_owners(data: ReviewData) -> Evidence:
    total = len(data.exceptions)
    if not total:
        return _none_recorded("exception cases")
    bad = sorted(
        (ex for ex in data.exceptions if ex.decision_owner is None),
        key=lambda ex: SEVERITY_RANK.get(ex.severity, 3),
    )
    if not bad:
        return _ok(
            total,
            "The exception case has a decision owner.",
            "All {n} exception cases have a decision owner.",
        )
    high = sum(ex.severity == Severity.HIGH for ex in bad)
    note = f" ({high} high severity)" if high else ""
    return Evidence(
        f"{len(bad)} of {_plural(total, 'exception case')} {_verb(len(bad), 'has', 'have')} "
        f"no decision owner{note}.",
        _refs(bad),
        WARN,
    )


def exception_high(data: ReviewData) -> Evidence:
    high = [ex for ex in data.exceptions if ex.severity == Severity.HIGH]
    if not high:
        return Evidence("No exception case is marked high severity.", (), INFO)
    counts = {status: 0 for status in TestStatus}
    for ex in high:
        counts[ex.test_status] = counts.get(ex.test_status, 0) + 1
    summary = ", ".join(f"{n} {status.label.lower()}" for status, n in counts.items() if n)
    bad = sorted(
        (ex for ex in high if ex.test_status != TestStatus.PASSED),
        key=lambda ex: ex.test_status != TestStatus.FAILED,
    )
    return Evidence(
        f"{_plural(len(high), 'high-severity exception case')}: {summary}.",
        _refs(bad),
        WARN if bad else OK,
    )


def report_day_one(data: ReviewData) -> Evidence:
    day_one = [r for r in data.reports if r.timing == ReportTiming.DAY_ONE]
    if not day_one:
        return Evidence("No report is marked as needed on day one.", (), INFO)
    bad = [r for r in day_one if r.needs_reconciliation]
    n = _plural(len(day_one), "day-one report")
    if not bad:
        return _ok(
            len(day_one),
            "The day-one report needs no manual reconciliation.",
            "None of the {n} day-one reports needs manual reconciliation.",
        )
    return Evidence(
        f"{len(bad)} of {n} still {_verb(len(bad), 'needs', 'need')} manual reconciliation.",
        _refs(bad),
        WARN,
    )


def report_sources(data: ReviewData) -> Evidence:
    total = len(data.reports)
    if not total:
        return _none_recorded("reports")
    untrusted = {
        de.pk for de in data.data_elements if _blank(de.system_of_truth) or de.truth_disputed
    }
    unsourced = [r for r in data.reports if r.source_count == 0]
    shaky = [
        r
        for r in data.reports
        if r.source_count and any(pk in untrusted for pk in r.source_element_ids)
    ]
    if not unsourced and not shaky:
        return _ok(
            total,
            "The report names its sources, none without an agreed system of truth.",
            "All {n} reports name their sources, none without an agreed system of truth.",
        )
    parts = []
    if unsourced:
        parts.append(
            f"{len(unsourced)} of {_plural(total, 'report')} "
            f"{_verb(len(unsourced), 'names', 'name')} no sources"
        )
    if shaky:
        counted = str(len(shaky)) if unsourced else f"{len(shaky)} of {_plural(total, 'report')}"
        parts.append(
            f"{counted} {_verb(len(shaky), 'draws', 'draw')} on data elements without an "
            "agreed system of truth"
        )
    return Evidence("; ".join(parts) + ".", _refs(unsourced + shaky), WARN)


def report_why(data: ReviewData) -> Evidence:
    total = len(data.reports)
    if not total:
        return _none_recorded("reports")
    bad = sorted(
        (r for r in data.reports if not r.shows_why),
        key=lambda r: r.timing != ReportTiming.DAY_ONE,
    )
    if not bad:
        return _ok(
            total,
            "The report can show why a process moved.",
            "All {n} reports can show why a process moved.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(total, 'report')} cannot show why a process moved "
        "(trigger, acting system, approval).",
        _refs(bad),
        WARN,
    )


def duty_coverage(data: ReviewData) -> Evidence:
    owned = {d.kind for d in data.duties if d.owner is not None}
    uncovered = [kind for kind in DutyKind if kind not in owned]
    if not uncovered:
        return Evidence("Every post-launch duty has a named owner.", (), OK)
    unowned = [d for d in data.duties if d.owner is None and d.kind in uncovered]
    labels = ", ".join(kind.label.lower() for kind in uncovered)
    return Evidence(
        f"{len(uncovered)} of {len(DutyKind)} post-launch duties "
        f"{_verb(len(uncovered), 'has', 'have')} no named owner: {labels}.",
        _refs(unowned),
        WARN,
    )


def duty_inside(data: ReviewData) -> Evidence:
    owned = [d for d in data.duties if d.owner is not None]
    if not owned:
        return Evidence("No duty has an owner yet.", (), INFO)
    outside = [d for d in owned if d.owner.kind != OwnerKind.BUSINESS]
    if not outside:
        return _ok(
            len(owned),
            "The owned duty is held by a person inside the business.",
            "All {n} owned duties are held by people inside the business.",
        )
    return Evidence(
        f"{len(outside)} of {_plural(len(owned), 'owned duty', 'owned duties')} "
        f"{_verb(len(outside), 'is', 'are')} held outside the business "
        "(a vendor, a consultant or an IT department).",
        _refs(outside),
        WARN,
    )


def automation_rules(data: ReviewData) -> Evidence:
    automated = [h for h in data.handoffs if h.mechanism in AUTOMATED]
    if not automated:
        return Evidence("No handoff is automated or partly manual.", (), INFO)
    bad = [h for h in automated if _blank(h.automation_rules)]
    controllers = sorted(
        {
            d.owner.name
            for d in data.duties
            if d.kind == DutyKind.AUTOMATION_RULES and d.owner is not None
        }
    )
    n = _plural(len(automated), "automated handoff")
    if controllers:
        control = (
            f"{', '.join(controllers)} {_verb(len(controllers), 'controls', 'control')} the rules"
        )
    else:
        control = "nobody is named to control the rules"
    if not bad:
        stated = (
            "The automated handoff states its rules and human checkpoints"
            if len(automated) == 1
            else f"All {n} state their rules and human checkpoints"
        )
        if controllers:
            return Evidence(f"{stated}, and {control}.", (), OK)
        return Evidence(f"{stated}, but {control}.", (), WARN)
    return Evidence(
        f"{len(bad)} of {n} {_verb(len(bad), 'states', 'state')} no rules or human "
        f"checkpoint, and {control}.",
        _refs(bad),
        WARN,
    )


def project_outcome(data: ReviewData) -> Evidence:
    outcome = (data.desired_outcome or "").strip()
    if not outcome:
        return Evidence("No desired outcome is recorded for the project.", (), WARN)
    if re.search(r"\d", outcome):
        return Evidence(f"The desired outcome has a measurable target: “{outcome}”", (), OK)
    return Evidence(
        f"The desired outcome has no number in it, so nobody can measure it: “{outcome}”",
        (),
        WARN,
    )


def breakage_plan(data: ReviewData) -> Evidence:
    if _blank(data.breakage_plan):
        return Evidence(
            "Nobody has written down what happens when an integration breaks.", (), WARN
        )
    return Evidence("The project records what happens when an integration breaks.", (), OK)


EVIDENCE: dict[str, Callable[[ReviewData], Evidence]] = {
    "data_truth": data_truth,
    "data_definitions": data_definitions,
    "data_context": data_context,
    "data_stewards": data_stewards,
    "handoff_owners": handoff_owners,
    "handoff_fixers": handoff_fixers,
    "handoff_wait_rules": handoff_wait_rules,
    "handoff_mechanisms": handoff_mechanisms,
    "handoff_workarounds": handoff_workarounds,
    "exception_tests": exception_tests,
    "exception_owners": exception_owners,
    "exception_high": exception_high,
    "report_day_one": report_day_one,
    "report_sources": report_sources,
    "report_why": report_why,
    "duty_coverage": duty_coverage,
    "duty_inside": duty_inside,
    "automation_rules": automation_rules,
    "project_outcome": project_outcome,
    "breakage_plan": breakage_plan,
}
