"""The warning signs (DESIGN §4) as pure functions over ReviewData, each documented beside it.

Each rule returns one finding per offending item, so accepting a risk covers exactly that item;
only facts about the project as a whole (nobody reviews failures, nobody controls automation)
become findings without items. Every rule is registered with `@rule(...)`, whose text — what it
checks, why it matters, how to clear it and how severe it gets — is what the Rules page shows."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from readiness.projects.models import OwnerKind
from readiness.registers.models import (
    Checkpoint,
    ContextTravels,
    Criticality,
    DutyKind,
    InterfaceStatus,
    Mechanism,
    PeriodDate,
    Population,
    ReportTiming,
    RulesState,
    Severity,
    TestStatus,
)
from readiness.reviews.assurance import RED_BLOCKS_WITHIN_DAYS, assurance_finding
from readiness.reviews.data import DataElementRow, DutyRow, OwnerRow, ReviewData
from readiness.reviews.findings import Finding, FindingSeverity

Rule = Callable[[ReviewData], list[Finding]]

# Findings that escalate as the plan-lock date nears do so inside this window.
PLAN_LOCK_NEAR_DAYS = 14
# Lesser untested exceptions (not touching critical data) escalate only inside this window.
PLAN_LOCK_CLOSE_DAYS = 7
# Concentration of signatures is only judged once there are this many to sign.
CONCENTRATION_MIN_SIGNATURES = 6

CHECK_ORDER = ("data", "handoffs", "exceptions", "reporting", "ownership")

AUTOMATED = frozenset({Mechanism.AUTOMATED, Mechanism.PARTLY_MANUAL})
CORE_DUTIES = (DutyKind.REVIEW_FAILURES, DutyKind.APPROVE_CHANGES, DutyKind.MONITOR_FLOWS)
# Duties whose absence of a stand-in hurts first.
CRITICAL_DUTIES = frozenset({*CORE_DUTIES, DutyKind.AUTOMATION_RULES})
# Duties a named person in IT may own: watching flows, reading failures, keeping docs.
TECHNICAL_DUTIES = frozenset(
    {DutyKind.MONITOR_FLOWS, DutyKind.REVIEW_FAILURES, DutyKind.UPDATE_DOCS}
)
OUTSIDE_OWNER = {
    OwnerKind.VENDOR: "a vendor",
    OwnerKind.CONSULTANT: "a consultant",
    OwnerKind.IT: "an IT department",
}
UNTESTED_INTERFACE = frozenset(
    {InterfaceStatus.NOT_BUILT, InterfaceStatus.BUILT, InterfaceStatus.DESCOPED}
)

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


@dataclass(frozen=True)
class RuleDoc:
    """A rule as the Rules page explains it; written next to the function it describes."""

    key: str
    check: str  # key of the check its findings belong to
    title: str
    checks: str  # what it looks for, in one or two sentences
    why: str  # why it matters
    clear: str  # how to clear it
    severity: tuple[str, ...]  # the severity logic, one line per case
    function: Rule


RULES: dict[str, Rule] = {}
RULE_DOCS: dict[str, RuleDoc] = {}


def rule(*, key: str, check: str, title: str, checks: str, why: str, clear: str, severity):
    """Register a rule function together with its documentation."""

    def register(function: Rule) -> Rule:
        RULES[key] = function
        RULE_DOCS[key] = RuleDoc(key, check, title, checks, why, clear, tuple(severity), function)
        return function

    return register


def _weight(criticality: str) -> str:
    return CRITICALITY_WORDS.get(criticality, "and it matters")


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _critical_ids(data: ReviewData) -> set[int]:
    return {de.pk for de in data.data_elements if de.criticality == Criticality.CRITICAL}


def _outside(owner: OwnerRow | None) -> str | None:
    return OUTSIDE_OWNER.get(owner.kind) if owner is not None else None


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


# --- Check 1 · Data that must move -----------------------------------------------------------


@rule(
    key="defined_differently",
    check="data",
    title="Defined differently by different teams",
    checks="A data element that teams define differently.",
    why="Two teams that mean different things by the same record will each trust numbers the "
    "other cannot reproduce; the integration moves the disagreement, it does not settle it.",
    clear="Agree one definition, record how each system maps to it, and untick "
    "“Teams define it differently”.",
    severity=(
        "High when the element cannot be wrong.",
        "Medium when it is important.",
        "Low when it is minor.",
    ),
)
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


TRUTH_SEVERITY = {Criticality.CRITICAL: B, Criticality.IMPORTANT: M, Criticality.MINOR: L}


@rule(
    key="truth_missing_or_disputed",
    check="data",
    title="System of truth missing or disputed",
    checks="A data element with no system of truth named, or one that teams dispute.",
    why="When two copies disagree, somebody has to know which one wins; without that the "
    "integration copies errors in both directions.",
    clear="Name the system whose copy wins and get every consuming team to accept it; then "
    "untick “System of truth disputed”.",
    severity=(
        "Blocker when the element cannot be wrong.",
        "Medium when it is important.",
        "Low when it is minor.",
    ),
)
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


CONTEXT_SEVERITY = {ContextTravels.LOST: {Criticality.CRITICAL: M, Criticality.IMPORTANT: L}}
CONTEXT_SEVERITY[ContextTravels.PARTLY] = {Criticality.CRITICAL: L}


@rule(
    key="context_lost",
    check="data",
    title="Context does not travel with the record",
    checks="A data element recorded as one whose context (origin, freshness, creating "
    "process, approval, whether another workflow is using it) does not travel, or only partly "
    "travels, with it.",
    why="A receiving system that gets a bare value cannot tell a fresh, approved record from "
    "a stale draft that another workflow is still changing; it acts on both the same way.",
    clear="Carry the context with the record (fields, a status, a reference back), then "
    "choose “Travels with the record” and say what travels.",
    severity=(
        "Medium when the context of an element that cannot be wrong does not travel; low when "
        "it only partly travels.",
        "Low when the context of an important element does not travel.",
        "Not judged while the choice is not stated (the question's evidence shows those).",
    ),
)
def rule_context_lost(data: ReviewData) -> list[Finding]:
    findings = []
    for de in data.data_elements:
        severity = CONTEXT_SEVERITY.get(de.context_travels, {}).get(de.criticality)
        if severity is None:
            continue
        partly = de.context_travels == ContextTravels.PARTLY
        how = "only partly travels" if partly else "does not travel"
        findings.append(
            Finding(
                rule="context_lost",
                check="data",
                severity=severity,
                title="Context only partly travels" if partly else "Context does not travel",
                message=f"The context of “{de.name}” {how} with it, {_weight(de.criticality)}: "
                "a receiver cannot tell how fresh or settled it is.",
                items=(de.ref,),
            )
        )
    return findings


def percent_text(value) -> str:
    return f"{Decimal(value).normalize():f}"


def quality_problems(de: DataElementRow, threshold) -> list[str]:
    problems = []
    if de.population == Population.KEYED and not de.entry_validated:
        problems.append("it is keyed in by hand and nothing validates it at entry")
    if de.accuracy_percent is None:
        problems.append("its accuracy has never been measured")
    elif de.accuracy_percent < threshold:
        problems.append(
            f"its measured accuracy is {percent_text(de.accuracy_percent)} %, below the project’s "
            f"threshold of {percent_text(threshold)} %"
        )
    return problems


@rule(
    key="data_quality",
    check="data",
    title="Critical data of unknown or poor quality",
    checks="A data element that cannot be wrong which is keyed in by hand without validation "
    "at entry, whose accuracy has never been measured, or whose measured accuracy is below the "
    "project’s threshold (98 % unless the project sets another).",
    why="Master data keyed by hand and never measured is the most common cause of a go-live "
    "that works technically and fails in the business: the new system acts faithfully on wrong "
    "records.",
    clear="Add validation where the record is entered, measure accuracy on a sample and record "
    "the percentage and the date; correct the data until it meets the threshold.",
    severity=(
        "High for a critical element keyed by hand without validation, or with accuracy "
        "unmeasured or below the threshold.",
        f"Blocker when the measured accuracy is below the threshold and the plan locks within "
        f"{PLAN_LOCK_NEAR_DAYS} days (or has locked).",
        "Elements not marked critical are not judged.",
    ),
)
def rule_data_quality(data: ReviewData) -> list[Finding]:
    near = data.days_to_plan_lock <= PLAN_LOCK_NEAR_DAYS
    findings = []
    for de in data.data_elements:
        if de.criticality != Criticality.CRITICAL:
            continue
        problems = quality_problems(de, data.accuracy_threshold)
        if not problems:
            continue
        below = de.accuracy_percent is not None and de.accuracy_percent < data.accuracy_threshold
        if below:
            title = "Critical data below the accuracy threshold"
        elif de.accuracy_percent is None and len(problems) == 1:
            title = "Accuracy of critical data never measured"
        else:
            title = "Critical data keyed by hand without validation"
        when = f", and {plan_lock_phrase(data.days_to_plan_lock)}" if below and near else ""
        findings.append(
            Finding(
                rule="data_quality",
                check="data",
                severity=B if below and near else H,
                title=title,
                message=f"“{de.name}” cannot be wrong, yet {' and '.join(problems)}{when}.",
                items=(de.ref,),
            )
        )
    return findings


@rule(
    key="period_date_missing",
    check="data",
    title="Financial data without its period date",
    checks="A critical financial data element for which nobody has decided which date — "
    "posting, value or document date — puts a transaction into an accounting period.",
    why="When two systems pick different dates, the same transaction lands in different periods "
    "and month-end figures stop agreeing, often first noticed at a year-end close.",
    clear="Choose the date that drives the accounting period on the data element (or mark it "
    "as not financial).",
    severity=(
        "High for a critical financial element.",
        "Medium for an important one; minor elements are not judged.",
    ),
)
def rule_period_date_missing(data: ReviewData) -> list[Finding]:
    severity = {Criticality.CRITICAL: H, Criticality.IMPORTANT: M}
    return [
        Finding(
            rule="period_date_missing",
            check="data",
            severity=severity[de.criticality],
            title="Financial data without its period date",
            message=f"“{de.name}” is financial data {_weight(de.criticality)}, but nobody has "
            "decided which date puts it into an accounting period.",
            items=(de.ref,),
        )
        for de in data.data_elements
        if de.period_date == PeriodDate.UNKNOWN and de.criticality in severity
    ]


# --- Check 2 · Handoffs ---------------------------------------------------------------------

INFORMAL = {
    Mechanism.MEMORY: (H, "someone’s memory"),
    Mechanism.EMAIL: (M, "e-mail"),
    Mechanism.SPREADSHEET: (M, "a spreadsheet"),
}


@rule(
    key="informal_handoff",
    check="handoffs",
    title="Handoff runs on e-mail, a spreadsheet or memory",
    checks="A handoff whose mechanism is e-mail, a spreadsheet or someone remembering.",
    why="Nothing guarantees that the next person acts, and nothing records that they did; "
    "these are the handoffs that silently stop during go-live week.",
    clear="Give the handoff a mechanism that leaves a record (automated, or partly manual with "
    "an owner and a queue) and change its mechanism in the register.",
    severity=("High when it runs on someone’s memory.", "Medium for e-mail or a spreadsheet."),
)
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


@rule(
    key="no_fixer",
    check="handoffs",
    title="Nobody may fix a rejected record",
    checks="A handoff that names nobody allowed to fix a rejected or conflicting record.",
    why="Rejected records with no one allowed to fix them pile up in queues, or get fixed by "
    "whoever notices — differently each time.",
    clear="Name the person who may fix a rejected or conflicting record on the handoff.",
    severity=("High.",),
)
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


@rule(
    key="no_wait_rule",
    check="handoffs",
    title="No wait or conflict rule",
    checks="A handoff where another process, automation or agent can act on the same record, "
    "with no rule saying what must wait.",
    why="Two processes acting on one record at once produce the conflicts nobody can "
    "reproduce afterwards: a shipment released during a credit hold, an update overwritten.",
    clear="Write the wait/conflict rule on the handoff: what holds back, and what goes first.",
    severity=("High.",),
)
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


INTERFACE_WORDS = {
    InterfaceStatus.NOT_BUILT: "is not built yet",
    InterfaceStatus.BUILT: "is built but has not been tested end to end",
    InterfaceStatus.DESCOPED: "was descoped",
}


@rule(
    key="interface_gap",
    check="handoffs",
    title="Interface on a critical path not tested end to end",
    checks="A handoff carrying a data element that cannot be wrong whose interface is not "
    "built, built but not tested end to end, or descoped.",
    why="Interfaces dropped from scope or never run end to end — point-of-sale, bank, payroll "
    "feeds — are where real rollouts stop on the first day.",
    clear="Test the interface end to end with production-like data and record the status "
    "“Tested end to end” with its date; for a descoped interface, record how the work is "
    "carried instead and mark it “No interface”.",
    severity=(
        "High.",
        f"Blocker when the plan locks within {PLAN_LOCK_NEAR_DAYS} days (or has locked).",
        "Handoffs that carry no critical data are not judged.",
    ),
)
def rule_interface_gap(data: ReviewData) -> list[Finding]:
    critical = _critical_ids(data)
    near = data.days_to_plan_lock <= PLAN_LOCK_NEAR_DAYS
    when = plan_lock_phrase(data.days_to_plan_lock)
    findings = []
    for h in data.handoffs:
        if h.interface_status not in UNTESTED_INTERFACE:
            continue
        if not critical.intersection(h.data_element_ids):
            continue
        descoped = h.interface_status == InterfaceStatus.DESCOPED
        findings.append(
            Finding(
                rule="interface_gap",
                check="handoffs",
                severity=B if near else H,
                title="Interface descoped on a critical path"
                if descoped
                else "Interface on a critical path not tested end to end",
                message=f"The interface of the handoff “{h.name}” "
                f"{INTERFACE_WORDS[h.interface_status]}, it carries data that cannot be wrong, "
                f"and {when}.",
                items=(h.ref,),
            )
        )
    return findings


@rule(
    key="custom_build",
    check="handoffs",
    title="Custom build carrying critical data",
    checks="A system recorded as a custom build that holds, sends, receives or consumes a data "
    "element that cannot be wrong.",
    why="A custom component has no other customers to find its faults first; on a critical "
    "path each of its defects reaches the business directly.",
    clear="Test the custom build like an interface (end to end, with ugly cases), name who "
    "maintains it after launch, and accept the risk explicitly if it stays.",
    severity=("Medium.",),
)
def rule_custom_build(data: ReviewData) -> list[Finding]:
    critical = _critical_ids(data)
    carrying: dict[int, set[str]] = {}
    names = {de.pk: de.name for de in data.data_elements}
    for de in data.data_elements:
        if de.pk not in critical:
            continue
        for system_id in (de.system_of_truth_id, *de.consuming_ids):
            if system_id is not None:
                carrying.setdefault(system_id, set()).add(de.name)
    for h in data.handoffs:
        touched = {names[pk] for pk in h.data_element_ids if pk in critical}
        for system_id in (h.from_system_id, h.to_system_id):
            if system_id is not None and touched:
                carrying.setdefault(system_id, set()).update(touched)
    findings = []
    for system in data.systems:
        if system.build != "custom" or system.pk not in carrying:
            continue
        elements = sorted(carrying[system.pk])
        shown = ", ".join(f"“{n}”" for n in elements[:3])
        more = f" and {len(elements) - 3} more" if len(elements) > 3 else ""
        findings.append(
            Finding(
                rule="custom_build",
                check="handoffs",
                severity=M,
                title="Custom build carrying critical data",
                message=f"{system.name} is a custom build and carries data that cannot be wrong: "
                f"{shown}{more}.",
                items=(system.ref,),
            )
        )
    return findings


@rule(
    key="local_workaround",
    check="handoffs",
    title="Local workaround in the process",
    checks="A handoff recorded as a local workaround.",
    why="Workarounds built for one team quietly become the process; after go-live nobody "
    "owns them and the integration is blamed when they break.",
    clear="Decide whether it becomes core (then design it in) or goes away before go-live, "
    "and untick “Local workaround”.",
    severity=("Medium.",),
)
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


# --- Check 3 · Exceptions -------------------------------------------------------------------


def _touches_critical(ex, critical: set[int], handoff_elements: dict[int, tuple]) -> bool:
    touched = set(ex.data_element_ids)
    if ex.handoff_id is not None:
        touched.update(handoff_elements.get(ex.handoff_id, ()))
    return bool(critical & touched)


def untested_severity(severity: str, critical_data: bool, days: int) -> FindingSeverity:
    """How bad an untested exception case is today: each escalates by its own severity and
    the criticality of the data it touches, so they do not all jump at once near plan lock."""
    if severity == Severity.HIGH:
        return B if days <= PLAN_LOCK_NEAR_DAYS else H
    if severity == Severity.MEDIUM:
        window = PLAN_LOCK_NEAR_DAYS if critical_data else PLAN_LOCK_CLOSE_DAYS
        return H if days <= window else M
    if critical_data and days <= PLAN_LOCK_CLOSE_DAYS:
        return M
    return L


@rule(
    key="untested_exceptions",
    check="exceptions",
    title="Exception case untested or failed",
    checks="An exception case that has not passed its test.",
    why="The routine transaction always works in the demo; rollouts fail on the awkward cases "
    "nobody ran before the plan locked.",
    clear="Test the case with production-like data and record the result and its date; a "
    "failed case needs a fix and a retest, or an accepted risk.",
    severity=(
        "Failed: blocker for a high-severity case, high otherwise.",
        f"Untested high-severity case: high; blocker within {PLAN_LOCK_NEAR_DAYS} days of plan "
        "lock.",
        f"Untested medium-severity case touching critical data: medium; high within "
        f"{PLAN_LOCK_NEAR_DAYS} days of plan lock.",
        f"Untested medium-severity case touching no critical data: medium; high within "
        f"{PLAN_LOCK_CLOSE_DAYS} days of plan lock.",
        f"Untested low-severity case: low; medium within {PLAN_LOCK_CLOSE_DAYS} days of plan "
        "lock if it touches critical data.",
        "Critical data means a data element that cannot be wrong, linked to the case or carried "
        "by its handoff.",
    ),
)
def rule_untested_exceptions(data: ReviewData) -> list[Finding]:
    days = data.days_to_plan_lock
    when = plan_lock_phrase(days)
    critical = _critical_ids(data)
    handoff_elements = {h.pk: h.data_element_ids for h in data.handoffs}
    findings = []
    for ex in data.exceptions:
        if ex.test_status == TestStatus.PASSED:
            continue
        if ex.test_status == TestStatus.FAILED:
            severity = B if ex.severity == Severity.HIGH else H
            title = "Exception case failed its test"
            message = f"The exception case “{ex.name}” failed its test and {when}."
        else:
            touches = _touches_critical(ex, critical, handoff_elements)
            severity = untested_severity(ex.severity, touches, days)
            title = "Exception case untested"
            subject = f"The {ex.severity}-severity exception case “{ex.name}”"
            if touches:
                subject += " touches data that cannot be wrong and"
            message = f"{subject} has not been tested and {when}."
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


# --- Check 4 · Reporting --------------------------------------------------------------------


@rule(
    key="report_reconciliation",
    check="reporting",
    title="Report needs manual reconciliation",
    checks="A report that still needs someone to reconcile its figures by hand.",
    why="A report that needs a spreadsheet to agree with another means the integration is not "
    "finished; on day one leaders cannot tell a real problem from a reconciliation gap.",
    clear="Remove the cause (a missing source, a definition difference) and untick “Needs "
    "manual reconciliation”.",
    severity=("High for a day-one report.", "Low for a report needed after stabilization."),
)
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


@rule(
    key="report_cannot_show_why",
    check="reporting",
    title="Report cannot show why a number moved",
    checks="A report that cannot trace why a process advanced: the trigger, the acting system "
    "and any human approval.",
    why="When a figure jumps after go-live, leaders need to tell a business change from an "
    "automation acting on its own; a report that only shows the number cannot.",
    clear="Add a status history or audit trail the report can read, then tick “Shows why a "
    "process moved”.",
    severity=("Medium for a day-one report.", "Low for a report needed after stabilization."),
)
def rule_report_cannot_show_why(data: ReviewData) -> list[Finding]:
    return [
        Finding(
            rule="report_cannot_show_why",
            check="reporting",
            severity=M if r.timing == ReportTiming.DAY_ONE else L,
            title="Report cannot show why a number moved",
            message=f"The report “{r.name}” cannot show the trigger, the acting system or the "
            "approval behind a change"
            + (
                ", and leaders rely on it from day one."
                if r.timing == ReportTiming.DAY_ONE
                else "."
            ),
            items=(r.ref,),
        )
        for r in data.reports
        if not r.shows_why
    ]


# --- Check 5 · Ownership after launch -------------------------------------------------------


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


def automation_gaps(h) -> list[str]:
    """What an automated handoff leaves unguarded, read from the explicit choices."""
    gaps = []
    if h.rules_state == RulesState.UNSTATED:
        gaps.append("states no rules or guardrails")
    elif h.rules_state == RulesState.NONE:
        gaps.append("runs with no rules or guardrails")
    if h.human_checkpoint == Checkpoint.UNSTATED:
        gaps.append("does not say whether a person checks")
    elif h.human_checkpoint == Checkpoint.NO:
        gaps.append("has no human checkpoint")
    return gaps


@rule(
    key="automation_unguarded",
    check="ownership",
    title="Automation without rules, checkpoint or controller",
    checks="An automated or partly manual handoff whose rules are not written down (or are "
    "recorded as none), or that has no human checkpoint (or does not say); and automation "
    "with nobody named to control its rules after launch.",
    why="Automation acts faster than anyone can notice; without written rules, a point where a "
    "person can step in and an owner of those rules, a wrong rule runs unchecked.",
    clear="Choose “Written down” for the rules and “A person checks” for the checkpoint on "
    "the handoff (with the text), and name an owner of the duty “Controls automation rules”.",
    severity=(
        "High for each automated handoff with a gap.",
        "Medium when nobody controls the automation rules.",
    ),
)
def rule_automation_unguarded(data: ReviewData) -> list[Finding]:
    automated = [h for h in data.handoffs if h.mechanism in AUTOMATED]
    findings = []
    for h in automated:
        gaps = automation_gaps(h)
        if not gaps:
            continue
        findings.append(
            Finding(
                rule="automation_unguarded",
                check="ownership",
                severity=H,
                title="Automation without stated rules"
                if h.rules_state != RulesState.WRITTEN
                else "Automation without a human checkpoint",
                message=f"The handoff “{h.name}” is {_automated_phrase(h.mechanism)} but "
                f"{' and '.join(gaps)}.",
                items=(h.ref,),
            )
        )
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
    if duty.owner.kind == OwnerKind.IT_PERSON and duty.kind not in TECHNICAL_DUTIES:
        return [
            Finding(
                rule="missing_owner",
                check="ownership",
                severity=M,
                title="Business duty owned in IT",
                message=f"The duty “{duty.name}” is a business decision, but it is owned by "
                f"{duty.owner.name} in IT.",
                items=(duty.ref, duty.owner.ref),
            )
        ]
    outside = _outside(duty.owner)
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


def _handoff_role_findings(data: ReviewData) -> list[Finding]:
    critical = _critical_ids(data)
    findings = []
    for h in data.handoffs:
        carries_critical = bool(critical.intersection(h.data_element_ids))
        for owner, role in ((h.receiving_owner, "received"), (h.fixer, "fixed")):
            outside = _outside(owner)
            if outside is None:
                continue
            findings.append(
                Finding(
                    rule="missing_owner",
                    check="ownership",
                    severity=H if carries_critical else M,
                    title="Handoff received outside the business"
                    if role == "received"
                    else "Rejected records fixed outside the business",
                    message=f"{'Work in' if role == 'received' else 'Rejected records of'} the "
                    f"handoff “{h.name}” {'is' if role == 'received' else 'are'} {role} by "
                    f"{outside} ({owner.name}), not a person inside the business"
                    + (", and it carries data that cannot be wrong." if carries_critical else "."),
                    items=(h.ref, owner.ref),
                )
            )
    return findings


@rule(
    key="missing_owner",
    check="ownership",
    title="Missing owner, or owned outside the business",
    checks="A handoff without a receiving owner; a duty without an owner; a receiving owner, a "
    "person who may fix rejected records, a data steward or a duty owner who is a vendor, a "
    "consultant or “IT” as a department; a business duty owned by a named person in IT; "
    "critical data without a steward; a high-severity exception without a decision owner; no "
    "duty at all for reviewing failures, approving changes or monitoring flows.",
    why="After launch the integration keeps changing; only a named person inside the business "
    "answers for the process it serves. Vendors leave, consultants roll off, and a department "
    "is nobody in particular.",
    clear="Name a person inside the business (kind “Business”) for the role; a named person "
    "in IT (kind “IT — a named person”) may own technical duties: monitoring flows, reviewing "
    "failures and updating documentation.",
    severity=(
        "High: a handoff without a receiving owner; a duty without an owner or owned outside "
        "the business; a high-severity exception without a decision owner; a receiving owner "
        "or fixer outside the business on a handoff carrying critical data; a steward outside "
        "the business for critical data.",
        "Medium: a receiving owner or fixer outside the business on other handoffs; a steward "
        "outside the business for important data; a business duty owned by a named person in "
        "IT; critical data without a steward; no duty for a core responsibility.",
        "Low: a steward outside the business for minor data.",
    ),
)
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
    findings += _handoff_role_findings(data)
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
            severity=BY_CRITICALITY.get(de.criticality, M),
            title="Data steward outside the business",
            message=f"“{de.name}” is stewarded by {_outside(de.steward)} ({de.steward.name}), "
            f"not a person inside the business, {_weight(de.criticality)}.",
            items=(de.ref, de.steward.ref),
        )
        for de in data.data_elements
        if _outside(de.steward) is not None
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


@rule(
    key="no_deputy",
    check="ownership",
    title="Critical duty without a deputy",
    checks="An owned duty to review failures, approve changes, monitor critical data flows or "
    "control automation rules that names no deputy.",
    why="Failures do not wait for the owner’s holiday; a critical duty held by one person "
    "stops whenever that person is away.",
    clear="Name a deputy on the duty — someone other than its owner.",
    severity=("Medium.",),
)
def rule_no_deputy(data: ReviewData) -> list[Finding]:
    return [
        Finding(
            rule="no_deputy",
            check="ownership",
            severity=M,
            title="Critical duty without a deputy",
            message=f"Only {d.owner.name} holds the duty “{d.name}”: nobody is named to step in.",
            items=(d.ref,),
        )
        for d in data.duties
        if d.kind in CRITICAL_DUTIES and d.owner is not None and d.deputy is None
    ]


def signatures(data: ReviewData) -> Counter:
    """Who must sign what: check signatories, receiving owners of handoffs and decision
    owners of exception cases, counted per owner pk."""
    counts: Counter = Counter(owner_id for _check, owner_id in data.check_signatories)
    counts.update(h.receiving_owner.pk for h in data.handoffs if h.receiving_owner)
    counts.update(ex.decision_owner.pk for ex in data.exceptions if ex.decision_owner)
    return counts


@rule(
    key="signature_concentration",
    check="ownership",
    title="One person holds most of the signatures",
    checks="One owner who must sign more than half of the project’s sign-offs (checks, "
    f"handoffs and exception decisions), once there are at least "
    f"{CONCENTRATION_MIN_SIGNATURES} of them.",
    why="A signature is a second pair of eyes only when the eyes differ; one person signing "
    "most of a rollout is a bottleneck before go-live and a single point of failure after it.",
    clear="Spread the sign-offs: name other receiving owners, decision owners or check "
    "signatories where someone else answers for the work.",
    severity=("Medium.",),
)
def rule_signature_concentration(data: ReviewData) -> list[Finding]:
    counts = signatures(data)
    total = sum(counts.values())
    if total < CONCENTRATION_MIN_SIGNATURES:
        return []
    owners = {o.pk: o for o in data.owners}
    return [
        Finding(
            rule="signature_concentration",
            check="ownership",
            severity=M,
            title="One person holds most of the signatures",
            message=f"{owners[pk].name} must sign {n} of the project’s {total} sign-offs.",
            items=(owners[pk].ref,),
        )
        for pk, n in sorted(counts.items())
        if n * 2 > total and pk in owners
    ]


@rule(
    key="blackout_cutover",
    check="ownership",
    title="Cutover inside a blackout period",
    checks="A go-live date or parallel-run window that falls inside one of the project’s "
    "blackout periods (peak season, year-end close, payroll runs).",
    why="A cutover competes with the business’s busiest days for the same people; errors "
    "made then land in the figures that matter most and are hardest to correct.",
    clear="Move the go-live or the parallel run out of the period, or record the blackout "
    "correctly if it does not apply.",
    severity=("High.",),
)
def rule_blackout_cutover(data: ReviewData) -> list[Finding]:
    findings = []
    for b in data.blackouts:
        clashes = []
        if b.overlaps(data.go_live_date, data.go_live_date):
            clashes.append(f"go-live on {data.go_live_date:%-d %b %Y}")
        if (
            data.parallel_run_start
            and data.parallel_run_end
            and b.overlaps(data.parallel_run_start, data.parallel_run_end)
        ):
            clashes.append("the parallel run")
        if not clashes:
            continue
        findings.append(
            Finding(
                rule="blackout_cutover",
                check="ownership",
                severity=H,
                title="Cutover inside a blackout period",
                message=f"{' and '.join(clashes).capitalize()} "
                f"{'falls' if len(clashes) == 1 else 'fall'} inside “{b.name}” "
                f"({b.starts_on:%-d %b} – {b.ends_on:%-d %b %Y}).",
                items=(b.ref,),
            )
        )
    return findings


@rule(
    key="assurance_red",
    check="ownership",
    title="Independent assurance rated the rollout red",
    checks="The latest independent assurance review (internal audit, the integrator’s quality "
    "review, an outside consultancy) rated the rollout red.",
    why="Rollouts that failed were often rated red by someone independent before they went "
    "ahead; the rating belongs beside the verdict, not in a drawer.",
    clear="Resolve what the reviewers raised and record their newer review, or have the "
    "check’s signatory propose accepting it — for a blocker only the accountable executive "
    "approves.",
    severity=(
        f"Blocker from {RED_BLOCKS_WITHIN_DAYS} days before plan lock on.",
        "High before that.",
        "Amber and green ratings raise no finding; the rating is shown beside the verdict.",
    ),
)
def rule_assurance_red(data: ReviewData) -> list[Finding]:
    finding = assurance_finding(
        data.assurance, today=data.today, plan_lock_date=data.plan_lock_date
    )
    return [finding] if finding else []


# Kept for callers that only need a rule's check and a one-line description.
RULE_INFO: dict[str, tuple[str, str]] = {k: (d.check, d.checks) for k, d in RULE_DOCS.items()}


def _sort_key(f: Finding) -> tuple:
    check_rank = CHECK_ORDER.index(f.check) if f.check in CHECK_ORDER else len(CHECK_ORDER)
    return (f.severity.rank, check_rank, f.title, f.message, f.key)


def evaluate(data: ReviewData) -> list[Finding]:
    """Every warning sign in the data, worst first, then in check order, then by title."""
    findings = [finding for rule in RULES.values() for finding in rule(data)]
    return sorted(findings, key=_sort_key)
