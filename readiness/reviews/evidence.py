"""What the registers already say about a question, shown next to it in the guided review.

Each function reads ReviewData and returns one sentence with the items behind it. The sentence
always counts everything; the linked items are capped so a long register stays readable."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from readiness.projects.models import OwnerKind
from readiness.registers.models import (
    ContextTravels,
    Criticality,
    DutyKind,
    InterfaceStatus,
    Mechanism,
    PeriodDate,
    ReportTiming,
    Severity,
    TestStatus,
)
from readiness.reviews.data import DataElementRow, ReviewData
from readiness.reviews.findings import ItemRef
from readiness.reviews.rules import (
    AUTOMATED,
    CONCENTRATION_MIN_SIGNATURES,
    CRITICAL_DUTIES,
    OUTSIDE_OWNER,
    TECHNICAL_DUTIES,
    UNTESTED_INTERFACE,
    automation_gaps,
    percent_text,
    plan_lock_phrase,
    quality_problems,
    rule_custom_build,
    signatures,
)

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
    bad = [de for de in critical if de.context_travels != ContextTravels.TRAVELS]
    if not bad:
        return _ok(
            len(critical),
            "The critical data element carries its context with it.",
            "All {n} critical data elements carry their context with them.",
        )
    lost = sum(de.context_travels == ContextTravels.LOST for de in bad)
    partly = sum(de.context_travels == ContextTravels.PARTLY for de in bad)
    unstated = len(bad) - lost - partly
    parts = [
        p
        for p in (
            f"{lost} lose it" if lost else "",
            f"{partly} carry it partly" if partly else "",
            f"{unstated} not stated" if unstated else "",
        )
        if p
    ]
    return Evidence(
        f"{len(bad)} of {_plural(len(critical), 'critical data element')} "
        f"{_verb(len(bad), 'does', 'do')} not carry {_verb(len(bad), 'its', 'their')} context "
        f"with {_verb(len(bad), 'it', 'them')}: {', '.join(parts)}.",
        _refs(sorted(bad, key=lambda de: de.context_travels != ContextTravels.LOST)),
        WARN,
    )


def data_stewards(data: ReviewData) -> Evidence:
    critical = [de for de in data.data_elements if de.criticality == Criticality.CRITICAL]
    if not critical:
        return Evidence("No data element is marked as one that cannot be wrong.", (), INFO)
    missing = [de for de in critical if de.steward is None]
    outside = [de for de in critical if de.steward is not None and de.steward.kind in OUTSIDE_OWNER]
    if not missing and not outside:
        return _ok(
            len(critical),
            "The critical data element has a steward inside the business.",
            "All {n} critical data elements have a steward inside the business.",
        )
    parts = [
        p
        for p in (
            f"{len(missing)} {_verb(len(missing), 'has', 'have')} no steward" if missing else "",
            f"{len(outside)} {_verb(len(outside), 'is', 'are')} stewarded by a vendor, a "
            "consultant or an IT department"
            if outside
            else "",
        )
        if p
    ]
    return Evidence(
        f"Of {_plural(len(critical), 'critical data element')}, {'; '.join(parts)}.",
        _refs(missing + outside),
        WARN,
    )


def data_criticality(data: ReviewData) -> Evidence:
    total = len(data.data_elements)
    if not total:
        return _none_recorded("data elements")
    counts = {c: sum(de.criticality == c for de in data.data_elements) for c in Criticality}
    summary = ", ".join(f"{n} {c.label.lower()}" for c, n in counts.items() if n)
    if not counts[Criticality.CRITICAL]:
        return Evidence(
            f"{_plural(total, 'data element')} listed ({summary}); none is marked as one that "
            "cannot be wrong.",
            (),
            WARN,
        )
    return Evidence(f"{_plural(total, 'data element')} listed: {summary}.", (), OK)


def data_decision_fields(data: ReviewData) -> Evidence:
    total = len(data.data_elements)
    if not total:
        return _none_recorded("data elements")
    bad = _critical_first([de for de in data.data_elements if _blank(de.decision_fields)])
    if not bad:
        return _ok(
            total,
            "The data element names the fields that drive decisions.",
            "All {n} data elements name the fields that drive decisions.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(total, 'data element')} {_verb(len(bad), 'names', 'name')} no "
        f"fields that drive decisions{_critical_note(bad)}.",
        _refs(bad),
        WARN,
    )


def data_quality(data: ReviewData) -> Evidence:
    critical = [de for de in data.data_elements if de.criticality == Criticality.CRITICAL]
    if not critical:
        return Evidence("No data element is marked as one that cannot be wrong.", (), INFO)
    threshold = data.accuracy_threshold
    shown = percent_text(threshold)
    keyed = [de for de in critical if de.population == "keyed" and not de.entry_validated]
    unmeasured = [de for de in critical if de.accuracy_percent is None]
    below = [
        de for de in critical if de.accuracy_percent is not None and de.accuracy_percent < threshold
    ]
    bad = [de for de in critical if quality_problems(de, threshold)]
    if not bad:
        return _ok(
            len(critical),
            f"The critical data element is measured at or above the {shown} % threshold "
            "and validated where it is keyed.",
            f"All {{n}} critical data elements are measured at or above the {shown} % "
            "threshold and validated where they are keyed.",
        )
    parts = [
        p
        for p in (
            f"{len(below)} below the {shown} % threshold" if below else "",
            f"{len(unmeasured)} never measured" if unmeasured else "",
            f"{len(keyed)} keyed by hand without validation" if keyed else "",
        )
        if p
    ]
    return Evidence(
        f"{len(bad)} of {_plural(len(critical), 'critical data element')} "
        f"{_verb(len(bad), 'falls', 'fall')} short on quality: {', '.join(parts)}.",
        _refs(below + [de for de in bad if de not in below]),
        WARN,
    )


def data_period_dates(data: ReviewData) -> Evidence:
    financial = [de for de in data.data_elements if de.period_date != PeriodDate.NOT_FINANCIAL]
    if not financial:
        return Evidence("No data element is marked as financial data.", (), INFO)
    bad = _critical_first([de for de in financial if de.period_date == PeriodDate.UNKNOWN])
    if not bad:
        return _ok(
            len(financial),
            "The financial data element names the date that drives its accounting period.",
            "All {n} financial data elements name the date that drives their accounting period.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(len(financial), 'financial data element')} "
        f"{_verb(len(bad), 'has', 'have')} no decided period date{_critical_note(bad)}.",
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
        lambda h: h.receiving_owner is None or h.receiving_owner.kind in OUTSIDE_OWNER,
        (
            "has no receiving owner inside the business",
            "have no receiving owner inside the business",
        ),
        (
            "The handoff has a named receiving owner inside the business.",
            "All {n} handoffs have a named receiving owner inside the business.",
        ),
    )


def handoff_triggers(data: ReviewData) -> Evidence:
    return _handoff_evidence(
        data,
        lambda h: _blank(h.trigger),
        ("names no trigger", "name no trigger"),
        ("The handoff names its trigger.", "All {n} handoffs name their trigger."),
    )


def handoff_escalation(data: ReviewData) -> Evidence:
    return _handoff_evidence(
        data,
        lambda h: _blank(h.escalation_path),
        ("has no escalation path", "have no escalation path"),
        ("The handoff has an escalation path.", "All {n} handoffs have an escalation path."),
    )


def interface_status(data: ReviewData) -> Evidence:
    interfaces = [h for h in data.handoffs if h.interface_status != InterfaceStatus.NO_INTERFACE]
    if not interfaces:
        return Evidence("No handoff is recorded as an interface between systems.", (), INFO)
    critical = {de.pk for de in data.data_elements if de.criticality == Criticality.CRITICAL}
    bad = [h for h in interfaces if h.interface_status in UNTESTED_INTERFACE]
    if not bad:
        return _ok(
            len(interfaces),
            "The interface has been tested end to end.",
            "All {n} interfaces have been tested end to end.",
        )
    bad.sort(key=lambda h: not critical.intersection(h.data_element_ids))
    on_critical = sum(bool(critical.intersection(h.data_element_ids)) for h in bad)
    descoped = sum(h.interface_status == InterfaceStatus.DESCOPED for h in bad)
    notes = [
        p
        for p in (
            f"{descoped} descoped" if descoped else "",
            f"{on_critical} carrying critical data" if on_critical else "",
        )
        if p
    ]
    note = f" ({', '.join(notes)})" if notes else ""
    return Evidence(
        f"{len(bad)} of {_plural(len(interfaces), 'interface')} "
        f"{_verb(len(bad), 'has', 'have')} not been tested end to end{note}.",
        _refs(bad),
        WARN,
    )


def custom_builds(data: ReviewData) -> Evidence:
    if not data.systems:
        return _none_recorded("systems")
    custom = [s for s in data.systems if s.build == "custom"]
    if not custom:
        return _ok(
            len(data.systems),
            "The system is not a custom build.",
            "None of the {n} systems is a custom build.",
        )
    on_path = {f.items[0].pk for f in rule_custom_build(data)}
    critical = [s for s in custom if s.pk in on_path]
    return Evidence(
        f"{_plural(len(custom), 'custom build')} among {_plural(len(data.systems), 'system')}; "
        f"{len(critical)} {_verb(len(critical), 'carries', 'carry')} critical data.",
        _refs(critical + [s for s in custom if s.pk not in on_path]),
        WARN if critical else INFO,
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


def exception_evidence(data: ReviewData) -> Evidence:
    tested = [ex for ex in data.exceptions if ex.test_status != TestStatus.UNTESTED]
    if not tested:
        return Evidence("No exception case has been tested yet.", (), INFO)
    bad = [ex for ex in tested if _blank(ex.evidence)]
    if not bad:
        return _ok(
            len(tested),
            "The tested exception case records its evidence.",
            "All {n} tested exception cases record their evidence.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(len(tested), 'tested exception case')} "
        f"{_verb(len(bad), 'records', 'record')} no evidence of the test.",
        _refs(bad),
        WARN,
    )


def report_day_one_list(data: ReviewData) -> Evidence:
    day_one = [r for r in data.reports if r.timing == ReportTiming.DAY_ONE]
    if not day_one:
        return Evidence(
            "No report is marked as needed on day one.", (), WARN if data.reports else INFO
        )
    bad = [r for r in day_one if r.owner is None or _blank(r.business_question)]
    later = len(data.reports) - len(day_one)
    listed = f"{_plural(len(day_one), 'day-one report')} listed, {later} for after stabilization"
    if not bad:
        return Evidence(f"{listed}; each names its business question and owner.", (), OK)
    return Evidence(
        f"{listed}; {len(bad)} of the day-one reports {_verb(len(bad), 'lacks', 'lack')} a "
        "business question or an owner.",
        _refs(bad),
        WARN,
    )


def report_definitions(data: ReviewData) -> Evidence:
    total = len(data.reports)
    if not total:
        return _none_recorded("reports")
    differing = {de.pk for de in data.data_elements if de.defined_differently}
    bad = [
        r
        for r in data.reports
        if _blank(r.definition_differences) and differing.intersection(r.source_element_ids)
    ]
    if not bad:
        return _ok(
            total,
            "The report notes the definition differences of its sources, where there are any.",
            "All {n} reports note the definition differences of their sources, where there "
            "are any.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(total, 'report')} {_verb(len(bad), 'draws', 'draw')} on data "
        "that teams define differently without noting the difference.",
        _refs(bad),
        WARN,
    )


def report_later(data: ReviewData) -> Evidence:
    later = [r for r in data.reports if r.timing != ReportTiming.DAY_ONE]
    if not later:
        return Evidence("No report is marked as needed after stabilization.", (), INFO)
    bad = [r for r in later if r.owner is None]
    if not bad:
        return _ok(
            len(later),
            "The report needed after stabilization has an owner.",
            "All {n} reports needed after stabilization have an owner.",
        )
    return Evidence(
        f"{len(bad)} of {_plural(len(later), 'report')} needed after stabilization "
        f"{_verb(len(bad), 'has', 'have')} no owner.",
        _refs(bad),
        WARN,
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


DUTY_VERBS = {
    DutyKind.REVIEW_FAILURES: "review failures",
    DutyKind.APPROVE_CHANGES: "approve changes",
    DutyKind.UPDATE_DOCS: "update documentation",
    DutyKind.RESPOND_DRIFT: "respond when process and integration drift apart",
    DutyKind.CORE_VS_WORKAROUND: "decide core versus workaround",
    DutyKind.AUTOMATION_RULES: "control automation rules",
    DutyKind.MONITOR_FLOWS: "monitor critical data flows",
}


def _duty_rows(data: ReviewData, kinds: Sequence[DutyKind], what: str) -> Evidence:
    """Duty rows of these kinds: how many have no owner (rows, not kinds), and which kinds
    have no row at all."""
    rows = [d for d in data.duties if d.kind in kinds]
    unowned = [d for d in rows if d.owner is None]
    absent = [k for k in kinds if not any(d.kind == k for d in rows)]
    parts = []
    if unowned:
        parts.append(
            f"{len(unowned)} of {_plural(len(rows), 'duty', 'duties')} {what} "
            f"{_verb(len(unowned), 'has', 'have')} no named owner"
        )
    if absent:
        parts.append("no duty is recorded to " + ", ".join(DUTY_VERBS[k] for k in absent))
    if not parts:
        return _ok(
            len(rows),
            f"The duty {what} has a named owner.",
            f"All {{n}} duties {what} have a named owner.",
        )
    text = "; ".join(parts)
    return Evidence(text[:1].upper() + text[1:] + ".", _refs(unowned), WARN)


def duty_coverage(data: ReviewData) -> Evidence:
    return _duty_rows(
        data,
        (DutyKind.REVIEW_FAILURES, DutyKind.APPROVE_CHANGES, DutyKind.UPDATE_DOCS),
        "to review failures, approve changes or update documentation",
    )


def duty_drift_scope(data: ReviewData) -> Evidence:
    return _duty_rows(
        data,
        (DutyKind.RESPOND_DRIFT, DutyKind.CORE_VS_WORKAROUND),
        "for drift and core-versus-workaround decisions",
    )


def duty_monitoring(data: ReviewData) -> Evidence:
    return _duty_rows(data, (DutyKind.MONITOR_FLOWS,), "to monitor critical data flows")


def duty_deputies(data: ReviewData) -> Evidence:
    critical = [d for d in data.duties if d.kind in CRITICAL_DUTIES and d.owner is not None]
    counts = signatures(data)
    total = sum(counts.values())
    owners = {o.pk: o for o in data.owners}
    top = max(counts.items(), key=lambda kv: (kv[1], -kv[0]), default=None)
    spread = (
        f"; {owners[top[0]].name} must sign {top[1]} of {total} sign-offs"
        if top and top[0] in owners
        else ""
    )
    if not critical:
        return Evidence(f"No critical duty has an owner yet{spread}.", (), INFO)
    bad = [d for d in critical if d.deputy is None]
    concentrated = bool(top and total >= CONCENTRATION_MIN_SIGNATURES and top[1] * 2 > total)
    tone = WARN if bad or concentrated else OK
    return Evidence(
        f"{len(bad)} of {_plural(len(critical), 'owned critical duty', 'owned critical duties')} "
        f"{_verb(len(bad), 'has', 'have')} no deputy{spread}.",
        _refs(bad),
        tone,
    )


def duty_inside(data: ReviewData) -> Evidence:
    owned = [d for d in data.duties if d.owner is not None]
    if not owned:
        return Evidence("No duty has an owner yet.", (), INFO)
    outside = [
        d
        for d in owned
        if d.owner.kind in OUTSIDE_OWNER
        or (d.owner.kind == OwnerKind.IT_PERSON and d.kind not in TECHNICAL_DUTIES)
    ]
    if not outside:
        return _ok(
            len(owned),
            "The owned duty is held by a person inside the business.",
            "All {n} owned duties are held by people inside the business.",
        )
    return Evidence(
        f"{len(outside)} of {_plural(len(owned), 'owned duty', 'owned duties')} "
        f"{_verb(len(outside), 'is', 'are')} held outside the business "
        "(a vendor, a consultant, an IT department, or IT holding a business decision).",
        _refs(outside),
        WARN,
    )


def automation_rules(data: ReviewData) -> Evidence:
    automated = [h for h in data.handoffs if h.mechanism in AUTOMATED]
    if not automated:
        return Evidence("No handoff is automated or partly manual.", (), INFO)
    bad = [h for h in automated if automation_gaps(h)]
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
        f"{len(bad)} of {n} {_verb(len(bad), 'lacks', 'lack')} written rules or a human "
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


def project_parallel_run(data: ReviewData) -> Evidence:
    if not (data.parallel_run_start and data.parallel_run_end):
        return Evidence("No parallel-run window is set on the project.", (), WARN)
    days = (data.parallel_run_end - data.parallel_run_start).days + 1
    return Evidence(
        f"A parallel run of {_plural(days, 'day')} is planned, "
        f"{data.parallel_run_start:%-d %b} – {data.parallel_run_end:%-d %b %Y}.",
        (),
        OK,
    )


def cutover_calendar(data: ReviewData) -> Evidence:
    if not data.blackouts:
        return Evidence("No blackout periods are recorded on the cutover calendar.", (), INFO)
    run = data.parallel_run_start and data.parallel_run_end
    clashes = [
        b
        for b in data.blackouts
        if b.overlaps(data.go_live_date, data.go_live_date)
        or (run and b.overlaps(data.parallel_run_start, data.parallel_run_end))
    ]
    n = _plural(len(data.blackouts), "blackout period")
    if not clashes:
        return Evidence(f"Go-live and the parallel run are clear of all {n}.", (), OK)
    return Evidence(
        f"{len(clashes)} of {n} {_verb(len(clashes), 'overlaps', 'overlap')} go-live or the "
        "parallel run.",
        _refs(clashes),
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
    "data_criticality": data_criticality,
    "data_decision_fields": data_decision_fields,
    "data_quality": data_quality,
    "data_period_dates": data_period_dates,
    "handoff_triggers": handoff_triggers,
    "handoff_escalation": handoff_escalation,
    "interface_status": interface_status,
    "custom_builds": custom_builds,
    "exception_evidence": exception_evidence,
    "report_day_one_list": report_day_one_list,
    "report_definitions": report_definitions,
    "report_later": report_later,
    "duty_drift_scope": duty_drift_scope,
    "duty_monitoring": duty_monitoring,
    "duty_deputies": duty_deputies,
    "project_parallel_run": project_parallel_run,
    "cutover_calendar": cutover_calendar,
}
