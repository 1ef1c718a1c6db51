"""The ten warning signs (DESIGN §4) as pure functions over ReviewData.

Each rule returns one finding per offending item, so accepting a risk covers exactly that item;
only facts about the project as a whole (nobody reviews failures, nobody controls automation)
become findings without items."""

from collections.abc import Callable

from readiness.projects.models import OwnerKind
from readiness.registers.models import (
    Criticality,
    DutyKind,
    Mechanism,
    ReportTiming,
    Severity,
    TestStatus,
)
from readiness.reviews.data import DutyRow, ReviewData
from readiness.reviews.findings import Finding, FindingSeverity

Rule = Callable[[ReviewData], list[Finding]]

# Exceptions still untested this close to plan lock are escalated.
PLAN_LOCK_NEAR_DAYS = 14

CHECK_ORDER = ("data", "handoffs", "exceptions", "reporting", "ownership")

AUTOMATED = frozenset({Mechanism.AUTOMATED, Mechanism.PARTLY_MANUAL})
CORE_DUTIES = (DutyKind.REVIEW_FAILURES, DutyKind.APPROVE_CHANGES, DutyKind.MONITOR_FLOWS)
OUTSIDE_OWNER = {
    OwnerKind.VENDOR: "a vendor",
    OwnerKind.CONSULTANT: "a consultant",
    OwnerKind.IT: "an IT department",
}

B, H, M, L = (
    FindingSeverity.BLOCKER,
    FindingSeverity.HIGH,
    FindingSeverity.MEDIUM,
    FindingSeverity.LOW,
)
BY_CRITICALITY = {Criticality.CRITICAL: H, Criticality.IMPORTANT: M, Criticality.MINOR: L}
CRITICALITY_WORDS = {
    Criticality.CRITICAL: "and it cannot be wrong",
    Criticality.IMPORTANT: "and it is marked important",
    Criticality.MINOR: "though it is marked minor",
}


def _weight(criticality: str) -> str:
    return CRITICALITY_WORDS.get(criticality, "and it matters")


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def plan_lock_phrase(days: int) -> str:
    if days > 1:
        return f"the plan locks in {days} days"
    if days == 1:
        return "the plan locks tomorrow"
    if days == 0:
        return "the plan locks today"
    if days == -1:
        return "the plan locked yesterday"
    return f"the plan locked {-days} days ago"


def rule_defined_differently(data: ReviewData) -> list[Finding]:
    return [
        Finding(
            rule="defined_differently",
            check="data",
            severity=BY_CRITICALITY.get(de.criticality, M),
            title="Defined differently by different teams",
            message=f"Teams define “{de.name}” differently, {_weight(de.criticality)}: "
            "agree one definition before the systems start exchanging it.",
            items=(de.ref,),
        )
        for de in data.data_elements
        if de.defined_differently
    ]


INFORMAL = {
    Mechanism.MEMORY: (H, "someone’s memory"),
    Mechanism.EMAIL: (M, "e-mail"),
    Mechanism.SPREADSHEET: (M, "a spreadsheet"),
}


def rule_informal_handoff(data: ReviewData) -> list[Finding]:
    findings = []
    for h in data.handoffs:
        if h.mechanism not in Mechanism.informal():
            continue
        severity, how = INFORMAL[h.mechanism]
        findings.append(
            Finding(
                rule="informal_handoff",
                check="handoffs",
                severity=severity,
                title=f"Handoff runs on {how}",
                message=f"The handoff “{h.name}” runs on {how}: nothing guarantees the next "
                "person acts, and nothing records that they did.",
                items=(h.ref,),
            )
        )
    return findings


def rule_no_fixer(data: ReviewData) -> list[Finding]:
    return [
        Finding(
            rule="no_fixer",
            check="handoffs",
            severity=H,
            title="Nobody may fix a rejected record",
            message=f"Nobody is named who may fix a rejected or conflicting record in the "
            f"handoff “{h.name}”.",
            items=(h.ref,),
        )
        for h in data.handoffs
        if h.fixer is None
    ]


def rule_untested_exceptions(data: ReviewData) -> list[Finding]:
    days = data.days_to_plan_lock
    near = days <= PLAN_LOCK_NEAR_DAYS
    when = plan_lock_phrase(days)
    findings = []
    for ex in data.exceptions:
        if ex.test_status == TestStatus.PASSED:
            continue
        if ex.test_status == TestStatus.FAILED:
            severity = B if ex.severity == Severity.HIGH else H
            title = "Exception case failed its test"
            message = f"The exception case “{ex.name}” failed its test and {when}."
        else:
            if ex.severity == Severity.HIGH:
                severity = B if near else H
            elif ex.severity == Severity.MEDIUM:
                severity = H if near else M
            else:
                severity = L
            title = "Exception case untested"
            message = (
                f"The {ex.severity}-severity exception case “{ex.name}” has not been tested "
                f"and {when}."
            )
        findings.append(
            Finding(
                rule="untested_exceptions",
                check="exceptions",
                severity=severity,
                title=title,
                message=message,
                items=(ex.ref,),
            )
        )
    return findings


def rule_report_reconciliation(data: ReviewData) -> list[Finding]:
    findings = []
    for r in data.reports:
        if not r.needs_reconciliation:
            continue
        day_one = r.timing == ReportTiming.DAY_ONE
        findings.append(
            Finding(
                rule="report_reconciliation",
                check="reporting",
                severity=H if day_one else L,
                title="Day-one report needs manual reconciliation"
                if day_one
                else "Report needs manual reconciliation",
                message=f"The report “{r.name}” still needs manual reconciliation"
                + (
                    ", and leaders rely on it from day one."
                    if day_one
                    else "; it is only needed after stabilization."
                ),
                items=(r.ref,),
            )
        )
    return findings


TRUTH_SEVERITY = {Criticality.CRITICAL: B, Criticality.IMPORTANT: M, Criticality.MINOR: L}


def rule_truth_missing_or_disputed(data: ReviewData) -> list[Finding]:
    findings = []
    for de in data.data_elements:
        missing = _blank(de.system_of_truth)
        if not (missing or de.truth_disputed):
            continue
        if missing:
            title = "System of truth missing"
            message = f"No system of truth is named for “{de.name}”"
        else:
            title = "System of truth disputed"
            message = (
                f"Teams dispute whether {de.system_of_truth} is the system of truth for “{de.name}”"
            )
        findings.append(
            Finding(
                rule="truth_missing_or_disputed",
                check="data",
                severity=TRUTH_SEVERITY.get(de.criticality, M),
                title=title,
                message=f"{message}, {_weight(de.criticality)}.",
                items=(de.ref,),
            )
        )
    return findings


def rule_no_wait_rule(data: ReviewData) -> list[Finding]:
    return [
        Finding(
            rule="no_wait_rule",
            check="handoffs",
            severity=H,
            title="No wait or conflict rule",
            message=f"Another process can act on the same record as the handoff “{h.name}”, "
            "but nothing says what must wait.",
            items=(h.ref,),
        )
        for h in data.handoffs
        if h.shared_record and _blank(h.wait_rule)
    ]


def _has_owned_duty(data: ReviewData, kind: str) -> bool:
    return any(d.kind == kind and d.owner is not None for d in data.duties)


def _automated_phrase(mechanism: str) -> str:
    return "partly automated" if mechanism == Mechanism.PARTLY_MANUAL else "automated"


def _automated_count(automated: list) -> str:
    """ "3 handoffs are automated", "2 handoffs are automated and 1 is partly automated"."""
    partly = sum(1 for h in automated if h.mechanism == Mechanism.PARTLY_MANUAL)
    full = len(automated) - partly

    def are(n: int) -> str:
        return "are" if n != 1 else "is"

    first = full or partly
    subject = f"{first} handoff{'s' if first != 1 else ''} {are(first)}"
    if full and partly:
        return f"{subject} automated and {partly} {are(partly)} partly automated"
    return f"{subject} {'automated' if full else 'partly automated'}"


def rule_automation_unguarded(data: ReviewData) -> list[Finding]:
    automated = [h for h in data.handoffs if h.mechanism in AUTOMATED]
    findings = [
        Finding(
            rule="automation_unguarded",
            check="ownership",
            severity=H,
            title="Automation without stated rules",
            message=f"The handoff “{h.name}” is {_automated_phrase(h.mechanism)} but states no "
            "rules, guardrails or human checkpoint.",
            items=(h.ref,),
        )
        for h in automated
        if _blank(h.automation_rules)
    ]
    if automated and not _has_owned_duty(data, DutyKind.AUTOMATION_RULES):
        findings.append(
            Finding(
                rule="automation_unguarded",
                check="ownership",
                severity=M,
                title="Nobody controls automation rules",
                message=f"{_automated_count(automated)}, but nobody is named to control the "
                "automation rules after launch.",
            )
        )
    return findings


def _duty_owner_findings(duty: DutyRow) -> list[Finding]:
    if duty.owner is None:
        return [
            Finding(
                rule="missing_owner",
                check="ownership",
                severity=H,
                title="Duty without an owner",
                message=f"Nobody owns the duty “{duty.name}”.",
                items=(duty.ref,),
            )
        ]
    outside = OUTSIDE_OWNER.get(duty.owner.kind)
    if outside is None:
        return []
    return [
        Finding(
            rule="missing_owner",
            check="ownership",
            severity=H,
            title="Duty owned outside the business",
            message=f"The duty “{duty.name}” is owned by {outside} ({duty.owner.name}), "
            "not a person inside the business.",
            items=(duty.ref, duty.owner.ref),
        )
    ]


def rule_missing_owner(data: ReviewData) -> list[Finding]:
    findings = [
        Finding(
            rule="missing_owner",
            check="ownership",
            severity=H,
            title="Handoff without a receiving owner",
            message=f"Nobody is named to receive the handoff “{h.name}”.",
            items=(h.ref,),
        )
        for h in data.handoffs
        if h.receiving_owner is None
    ]
    for duty in data.duties:
        findings += _duty_owner_findings(duty)
    findings += [
        Finding(
            rule="missing_owner",
            check="ownership",
            severity=M,
            title="Critical data without a steward",
            message=f"“{de.name}” cannot be wrong, yet nobody is named as its steward.",
            items=(de.ref,),
        )
        for de in data.data_elements
        if de.criticality == Criticality.CRITICAL and de.steward is None
    ]
    findings += [
        Finding(
            rule="missing_owner",
            check="ownership",
            severity=H,
            title="High-severity exception without a decision owner",
            message=f"Nobody is named to decide when the exception case “{ex.name}” must stop "
            "the process.",
            items=(ex.ref,),
        )
        for ex in data.exceptions
        if ex.severity == Severity.HIGH and ex.decision_owner is None
    ]
    present = {d.kind for d in data.duties}
    findings += [
        Finding(
            rule="missing_owner",
            check="ownership",
            severity=M,
            title=f"No duty: {kind.label.lower()}",
            message=f"Nobody is named to {_duty_infinitive(kind)} after launch.",
        )
        for kind in CORE_DUTIES
        if kind not in present
    ]
    return findings


def _duty_infinitive(kind: DutyKind) -> str:
    return {
        DutyKind.REVIEW_FAILURES: "review failures",
        DutyKind.APPROVE_CHANGES: "approve changes",
        DutyKind.MONITOR_FLOWS: "monitor critical data flows",
    }.get(kind, kind.label.lower())


def rule_local_workaround(data: ReviewData) -> list[Finding]:
    return [
        Finding(
            rule="local_workaround",
            check="handoffs",
            severity=M,
            title="Local workaround in the process",
            message=f"The handoff “{h.name}” is a local workaround recorded as part of the "
            "process: decide whether it becomes core or goes away.",
            items=(h.ref,),
        )
        for h in data.handoffs
        if h.is_workaround
    ]


RULES: dict[str, Rule] = {
    "defined_differently": rule_defined_differently,
    "informal_handoff": rule_informal_handoff,
    "no_fixer": rule_no_fixer,
    "untested_exceptions": rule_untested_exceptions,
    "report_reconciliation": rule_report_reconciliation,
    "truth_missing_or_disputed": rule_truth_missing_or_disputed,
    "no_wait_rule": rule_no_wait_rule,
    "automation_unguarded": rule_automation_unguarded,
    "missing_owner": rule_missing_owner,
    "local_workaround": rule_local_workaround,
}

RULE_INFO: dict[str, tuple[str, str]] = {
    "defined_differently": ("data", "A data element that different teams define differently."),
    "informal_handoff": ("handoffs", "A handoff that runs on e-mail, spreadsheets or memory."),
    "no_fixer": (
        "handoffs",
        "A handoff with no one allowed to fix a rejected or conflicting record.",
    ),
    "untested_exceptions": (
        "exceptions",
        "Exception cases not passed before the plan locks — "
        "worse as plan lock nears, blocking for high severity.",
    ),
    "report_reconciliation": (
        "reporting",
        "A day-one report that still needs manual reconciliation.",
    ),
    "truth_missing_or_disputed": (
        "data",
        "A data element whose system of truth is missing or disputed.",
    ),
    "no_wait_rule": (
        "handoffs",
        "A handoff with no wait/conflict rule where another process can act on the same record.",
    ),
    "automation_unguarded": (
        "ownership",
        "Automation with no stated rules or human checkpoint, or nobody controlling the rules.",
    ),
    "missing_owner": (
        "ownership",
        "An integration, duty or critical record without an owner, or "
        "owned by a vendor, consultant or IT department.",
    ),
    "local_workaround": ("handoffs", "A local workaround recorded as part of the process."),
}


def _sort_key(f: Finding) -> tuple:
    check_rank = CHECK_ORDER.index(f.check) if f.check in CHECK_ORDER else len(CHECK_ORDER)
    return (f.severity.rank, check_rank, f.title, f.message, f.key)


def evaluate(data: ReviewData) -> list[Finding]:
    """Every warning sign in the data, worst first, then in check order, then by title."""
    findings = [finding for rule in RULES.values() for finding in rule(data)]
    return sorted(findings, key=_sort_key)
