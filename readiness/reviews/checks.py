"""The five guided integration checks, as data (DESIGN §4).

Each check is one versioned `CheckDefinition`. Question keys are stable: answers are stored under
them, so rename a key only together with a data migration, and bump `version` when the wording of
a check changes in a way that should make earlier sign-offs stale.
"""

from .definitions import CheckDefinition, Question

# Keys of the evidence functions in `reviews/evidence.py` a question may show beside itself.
EVIDENCE_KEYS: frozenset[str] = frozenset(
    {
        "data_truth",
        "data_definitions",
        "data_context",
        "data_stewards",
        "handoff_owners",
        "handoff_fixers",
        "handoff_wait_rules",
        "handoff_mechanisms",
        "handoff_workarounds",
        "exception_tests",
        "exception_owners",
        "exception_high",
        "report_day_one",
        "report_sources",
        "report_why",
        "duty_coverage",
        "duty_inside",
        "automation_rules",
        "project_outcome",
        "breakage_plan",
        "data_criticality",
        "data_decision_fields",
        "data_quality",
        "data_period_dates",
        "handoff_triggers",
        "handoff_escalation",
        "interface_status",
        "custom_builds",
        "exception_evidence",
        "report_day_one_list",
        "report_definitions",
        "report_later",
        "duty_drift_scope",
        "duty_monitoring",
        "duty_deputies",
        "project_parallel_run",
        "cutover_calendar",
    }
)


DATA = CheckDefinition(
    number=1,
    key="data",
    title="Data that must move",
    question_behind=(
        "Which records have to move between systems, with what meaning, which system holds the "
        "truth for each of them, and what context has to go along?"
    ),
    purpose=(
        "Before debating interfaces, list the record types this rollout depends on and agree "
        "what each of them means. For every record, name the system whose copy wins, the fields "
        "that drive decisions and the background a receiving system needs to act on it safely. "
        "The aim is a short, honest list of the records the business cannot afford to get wrong, "
        "not a perfect data set on day one."
    ),
    register="data-elements",
    rules=(
        "defined_differently",
        "truth_missing_or_disputed",
        "data_quality",
        "period_date_missing",
        "context_lost",
    ),
    questions=(
        Question(
            key="measurable_outcome",
            prompt="Is the result this rollout has to deliver written down in measurable terms?",
            help=(
                "A good yes names a number and a date, such as 'orders invoiced within one "
                "working day of shipping by the end of Q3', and it is recorded on the project. "
                "'Better visibility' or 'one system' is not measurable."
            ),
            evidence="project_outcome",
        ),
        Question(
            key="records_listed",
            prompt=(
                "Has the team listed every record type that must move between systems and "
                "marked which of them cannot be wrong?"
            ),
            help=(
                "Bring the data-element register with a criticality on each row; customers, "
                "suppliers, orders, employees and items are the usual place to start."
            ),
            evidence="data_criticality",
        ),
        Question(
            key="system_of_truth",
            prompt="Does every critical record have one agreed system of truth?",
            help=(
                "Each critical row names the system whose copy wins when two copies disagree, "
                "and every team that consumes the record has accepted that choice."
            ),
            evidence="data_truth",
        ),
        Question(
            key="shared_definitions",
            prompt="Do all teams that touch a critical record mean the same thing by it?",
            help=(
                "Differences such as what counts as an 'active' customer have been found and "
                "either settled or written down together with how each system maps them."
            ),
            evidence="data_definitions",
        ),
        Question(
            key="decision_fields",
            prompt="For each record, are the fields that drive decisions downstream identified?",
            help=(
                "Think of credit status, approval level, region or stock reservation. Naming "
                "them keeps mapping and testing focused on what actually changes an outcome."
            ),
            evidence="data_decision_fields",
        ),
        Question(
            key="context_travels",
            prompt=(
                "Does each critical record carry the context a receiver needs, such as its "
                "origin, freshness, creating process and approval state?"
            ),
            help=(
                "Show per record which of these travel with it and where the receiving system "
                "reads them. A bare field value with no provenance is at best a partial yes."
            ),
            evidence="data_context",
        ),
        Question(
            key="in_use_elsewhere",
            prompt=(
                "Can a receiving system tell when another workflow is already working on the "
                "record it has just received?"
            ),
            help=(
                "For example a status or flag showing that a credit review or a dispute is open, "
                "so the receiver does not act on a record that is mid-change somewhere else."
            ),
        ),
        Question(
            key="stewards_named",
            prompt=(
                "Does each critical record have a named steward inside the business who settles "
                "questions about its meaning?"
            ),
            help=(
                "A person, not a team or a vendor, who can rule on a definition and on which "
                "system is right when copies disagree."
            ),
            evidence="data_stewards",
        ),
        Question(
            key="data_quality",
            prompt=(
                "For each critical record, is it known how it is populated, is it validated "
                "where it is entered, and has its accuracy been measured recently?"
            ),
            help=(
                "Records keyed in by hand need checks at entry. Measure accuracy on a sample, "
                "record the percentage and the date, and compare it with the project's "
                "threshold before the plan locks."
            ),
            evidence="data_quality",
        ),
        Question(
            key="period_date",
            prompt=(
                "For financial records, is it decided which date — posting, value or document "
                "date — puts a transaction into an accounting period?"
            ),
            help=(
                "Every system that books the record uses the same date for the period, so a "
                "transaction near month-end or year-end lands in the same period everywhere."
            ),
            evidence="data_period_dates",
        ),
    ),
    version=2,
)


HANDOFFS = CheckDefinition(
    number=2,
    key="handoffs",
    title="Handoffs",
    question_behind=(
        "When work passes between systems or teams, who acts next, on what trigger, what has to "
        "wait, what happens if the record is rejected, and who may fix it?"
    ),
    purpose=(
        "The business feels most integrations as one team passing work to another. Walk through "
        "each handoff the rollout relies on and make sure the next step has a named owner, a "
        "clear trigger and a rule for when it must hold back. Gaps left here are what people "
        "later fill with e-mails, shared sheets and private workarounds."
    ),
    register="handoffs",
    rules=(
        "informal_handoff",
        "no_fixer",
        "no_wait_rule",
        "interface_gap",
        "custom_build",
        "local_workaround",
    ),
    questions=(
        Question(
            key="current_process_mapped",
            prompt=(
                "Is the current process written down step by step as it really runs today, "
                "exceptions included?"
            ),
            help=(
                "Bring a process map or walkthrough built with the people who do the work, not "
                "the official procedure; it should show where work actually takes detours."
            ),
        ),
        Question(
            key="trigger_defined",
            prompt="Does every handoff have a defined trigger that starts the next step?",
            help=(
                "For example 'order approved in the CRM' or 'hire date confirmed in HR'. A good "
                "trigger is an event a system records, not someone happening to notice."
            ),
            evidence="handoff_triggers",
        ),
        Question(
            key="receiving_owner",
            prompt=(
                "Does each handoff have a named owner on the receiving side who knows what they "
                "need in order to act?"
            ),
            help=(
                "The receiving owner is a person, and the handoff records what must arrive with "
                "the work: the fields and the context the receiver relies on."
            ),
            evidence="handoff_owners",
        ),
        Question(
            key="wait_rule",
            prompt=(
                "Where another process, automation or AI agent may already be acting on the same "
                "record, is there a rule for what waits?"
            ),
            help=(
                "For example, a shipment is held while a credit check on the same customer is "
                "still open. Each such handoff says what holds back and what goes first."
            ),
            evidence="handoff_wait_rules",
        ),
        Question(
            key="rejection_path",
            prompt=(
                "If the receiver rejects a record, finds a field missing or flags a conflict, is "
                "it clear where the record goes and who may fix it?"
            ),
            help=(
                "Each handoff names one person allowed to correct a rejected or conflicting "
                "record and the route back to them. 'Whoever spots it' counts as a no."
            ),
            evidence="handoff_fixers",
        ),
        Question(
            key="escalation_path",
            prompt="Is there an escalation path for when a handoff stalls or a fix does not come?",
            help=(
                "State who is told, after how long, and who can then decide. A time limit on a "
                "stuck record is a good sign."
            ),
            evidence="handoff_escalation",
        ),
        Question(
            key="no_informal_glue",
            prompt=(
                "Does every handoff work without leaning on e-mail threads, spreadsheets or a "
                "person's memory of what comes next?"
            ),
            help=(
                "A partly manual step is fine when it has an owner and leaves a record. A handoff "
                "held together by an inbox or a shared sheet is a no."
            ),
            evidence="handoff_mechanisms",
        ),
        Question(
            key="workarounds_resolved",
            prompt=(
                "Has each local workaround either been designed into the process on purpose or "
                "scheduled for removal?"
            ),
            help=(
                "Bring the workarounds flagged in the register, each with a decision: make it a "
                "proper part of the core process, or retire it before go-live."
            ),
            evidence="handoff_workarounds",
        ),
        Question(
            key="interfaces_tested",
            prompt=(
                "Has every interface that carries critical data been tested end to end, and is "
                "it clear which were descoped and how their work is carried instead?"
            ),
            help=(
                "Each system-to-system handoff records its interface status and the date of its "
                "end-to-end test. Bank, payroll and point-of-sale feeds deserve a second look."
            ),
            evidence="interface_status",
        ),
        Question(
            key="custom_builds",
            prompt=(
                "Is every custom-built component on the path of critical data known, tested "
                "like an interface and owned after launch?"
            ),
            help=(
                "Standard and configured products have other customers who find their faults; "
                "a custom build has only this rollout. List them and test them as such."
            ),
            evidence="custom_builds",
        ),
    ),
    version=2,
)


EXCEPTIONS = CheckDefinition(
    number=3,
    key="exceptions",
    title="Exceptions",
    question_behind=(
        "Which awkward cases were tested before the plan locks, and who decides when the process "
        "has to stop?"
    ),
    purpose=(
        "A plan that only covers the routine transaction is untested exactly where rollouts "
        "tend to go wrong. Record the awkward cases this rollout will meet, decide for each "
        "whether work continues, pauses, escalates or waits for a person, and test them with "
        "realistic data while there is still time to change the plan."
    ),
    register="exceptions",
    rules=("untested_exceptions",),
    questions=(
        Question(
            key="ugly_cases_listed",
            prompt=(
                "Has the team listed the awkward cases this rollout will meet, beyond the "
                "routine transaction?"
            ),
            help=(
                "Think of duplicate customer identifiers, orders amended after approval, people "
                "changing role and manager at once, or a supplier blocked in only one region. "
                "Each belongs in the register."
            ),
        ),
        Question(
            key="works_manually",
            prompt=(
                "Has the target process, exceptions included, been run by hand and shown to "
                "work before anyone automates it?"
            ),
            help=(
                "Point to a dry run or pilot where the manual version handled the listed cases "
                "without improvising. Automating a process that does not yet work only "
                "multiplies its faults."
            ),
        ),
        Question(
            key="handling_decided",
            prompt=(
                "For each case, is it decided whether work continues, pauses, escalates, is "
                "rejected or waits for a person?"
            ),
            help=(
                "'Someone will sort it out' is not a handling rule. The register records the "
                "expected behaviour of the process for every case."
            ),
        ),
        Question(
            key="stop_decider",
            prompt=(
                "Is a named person responsible for deciding when the process must stop in each "
                "case?"
            ),
            help=(
                "The decision owner works in the business, can pause or reject work, has agreed "
                "to the role and signs off the decision."
            ),
            evidence="exception_owners",
        ),
        Question(
            key="tested_before_lock",
            prompt="Have the exception cases been tested before the plan-lock date?",
            help=(
                "Each case shows a test result with a date ahead of plan lock. Cases still "
                "untested close to the lock date are a warning sign."
            ),
            evidence="exception_tests",
        ),
        Question(
            key="high_severity_passed",
            prompt="Has every high-severity exception case passed its test?",
            help=(
                "An untested or failed high-severity case blocks readiness. Bring the retest "
                "result, or an accepted risk with a rationale signed by its owner."
            ),
            evidence="exception_high",
        ),
        Question(
            key="production_like_data",
            prompt="Were the tests run with production-like data rather than tidy demo records?",
            help=(
                "Use realistic samples of real records, with their duplicates, gaps and odd "
                "histories. Clean test data hides the very problems the test is looking for."
            ),
        ),
        Question(
            key="test_evidence_kept",
            prompt="Is the evidence of each test kept where a reviewer can find it?",
            help=(
                "Attach or link screenshots, logs or test-run references to each case, so "
                "someone who was not there can see what was tried and what happened."
            ),
            evidence="exception_evidence",
        ),
    ),
)


REPORTING = CheckDefinition(
    number=4,
    key="reporting",
    title="Reporting",
    question_behind=(
        "Which reports must be right on day one, which sources feed them, and can they be "
        "produced without reconciling numbers by hand?"
    ),
    purpose=(
        "Reports are where leaders find out whether the integration works, so test them early "
        "instead of after go-live. Agree which reports are needed from the first day, where each "
        "figure comes from and where definitions differ between systems. If a dashboard still "
        "needs a spreadsheet to line it up with another one, the integration is not finished."
    ),
    register="reports",
    rules=("report_reconciliation", "report_cannot_show_why"),
    questions=(
        Question(
            key="day_one_reports",
            prompt="Has the team agreed which reports and dashboards leaders need from day one?",
            help=(
                "A short list, each entry with the business question it answers and an owner; "
                "everything else is explicitly marked as needed after stabilization."
            ),
            evidence="report_day_one_list",
        ),
        Question(
            key="outcome_tracked",
            prompt=(
                "Will a day-one report show whether the rollout is delivering its measurable "
                "outcome?"
            ),
            help=(
                "Point to the report that tracks the outcome recorded on the project and the "
                "baseline it will be compared against."
            ),
        ),
        Question(
            key="sources_agreed",
            prompt=(
                "Are the sources of every day-one report agreed, including where definitions "
                "differ between systems?"
            ),
            help=(
                "Each report lists the data elements and systems it draws on, and any known "
                "definition difference is noted together with how the report handles it."
            ),
            evidence="report_sources",
        ),
        Question(
            key="no_manual_reconciliation",
            prompt=(
                "Can each day-one report be produced without anyone reconciling figures by hand "
                "across systems?"
            ),
            help=(
                "If a report still needs a spreadsheet to make two systems agree, record it as a "
                "finding and name who will remove the cause."
            ),
            evidence="report_day_one",
        ),
        Question(
            key="meaning_kept",
            prompt=(
                "Where a workflow or field changes meaning in the new system, has the reporting "
                "model been updated to match?"
            ),
            help=(
                "Check that each measure still means what leaders think it means. A plausible "
                "number that now measures something else is worse than a visibly broken one."
            ),
            evidence="report_definitions",
        ),
        Question(
            key="why_it_moved",
            prompt=(
                "Can a reader trace from the reports why a process advanced: the triggering "
                "event, the acting system and any human approval?"
            ),
            help=(
                "Look for a status history or audit trail that leaders can read, including steps "
                "taken by automations or AI agents."
            ),
            evidence="report_why",
        ),
        Question(
            key="single_view",
            prompt=(
                "Will the integrated view replace local and shadow reports rather than compete "
                "with them?"
            ),
            help=(
                "Name the local reports to be retired at go-live. If a team plans to keep its own "
                "copy, find out why it does not trust the shared one."
            ),
        ),
        Question(
            key="later_reports_planned",
            prompt=(
                "Is there a plan, with owners and dates, for the reports only needed after the "
                "system has stabilized?"
            ),
            help=(
                "Deferred reports are listed with an owner and a target date, so they are "
                "postponed by decision rather than forgotten."
            ),
            evidence="report_later",
        ),
    ),
)


OWNERSHIP = CheckDefinition(
    number=5,
    key="ownership",
    title="Ownership after launch",
    question_behind=(
        "Who owns each integration and its rules once people rely on it, and what happens when "
        "it breaks?"
    ),
    purpose=(
        "Integrations keep changing after go-live as rules, fields, vendors and teams change. "
        "Name a person inside the business for each integration and for each duty that keeps it "
        "healthy, and agree what happens on the day it fails. Involving several departments is "
        "not the same as having an owner."
    ),
    register="duties",
    rules=(
        "automation_unguarded",
        "missing_owner",
        "no_deputy",
        "signature_concentration",
        "blackout_cutover",
        "assurance_red",
    ),
    questions=(
        Question(
            key="owner_per_integration",
            prompt=(
                "Does every integration have a named owner inside the business who answers for "
                "the process it serves?"
            ),
            help=(
                "A person with a name, not a vendor, a consultant or 'IT' as a department, who "
                "has accepted the role, ideally before the build starts."
            ),
            evidence="duty_inside",
        ),
        Question(
            key="duties_covered",
            prompt=(
                "Is one person named for each ongoing duty: reviewing failures, approving "
                "changes and keeping documentation current?"
            ),
            help=(
                "The duty register has an owner for every duty of each critical integration. "
                "A duty shared by several teams still names one person who answers for it."
            ),
            evidence="duty_coverage",
        ),
        Question(
            key="drift_and_scope",
            prompt=(
                "Is it clear who acts when the process and the integration drift apart, and who "
                "rules whether a new need is built into the main platform or handled locally?"
            ),
            help=(
                "Both decisions have a named owner in the duty register, and teams know to bring "
                "new requirements to that person instead of building around the system."
            ),
            evidence="duty_drift_scope",
        ),
        Question(
            key="automation_control",
            prompt=(
                "Does a named person control the workflow and escalation rules, AI-agent "
                "guardrails and human checkpoints?"
            ),
            help=(
                "Every automated step has written rules, a point where a person reviews or can "
                "step in, and an owner who must approve changes to those rules."
            ),
            evidence="automation_rules",
        ),
        Question(
            key="flows_monitored",
            prompt="Are critical data flows monitored so that a silent failure is noticed quickly?",
            help=(
                "Say what is watched (queues, error counts, records arriving late), who is "
                "alerted and how quickly they are expected to respond."
            ),
            evidence="duty_monitoring",
        ),
        Question(
            key="breakage_plan",
            prompt="Is there a written plan for what happens when this integration breaks?",
            help=(
                "It says how a failure is detected, who is called, how work carries on in the "
                "meantime and how affected records are repaired afterwards."
            ),
            evidence="breakage_plan",
        ),
        Question(
            key="parallel_run",
            prompt=(
                "Will old and new ways of working overlap for a while, with a named person "
                "comparing what each one produces?"
            ),
            help=(
                "The parallel-run window is set on the project, someone owns the comparison, "
                "and it is agreed who may delay the cutover if the results disagree."
            ),
            evidence="project_parallel_run",
        ),
        Question(
            key="built_for_target_process",
            prompt=(
                "Is the integration designed around the process the business needs next, rather "
                "than how the current team happens to work today?"
            ),
            help=(
                "Show the target process the design started from. Where scope follows present "
                "habits or particular people, note what will have to change and when."
            ),
        ),
        Question(
            key="cutover_calendar",
            prompt=(
                "Are go-live and the parallel run clear of the business's blackout periods, "
                "such as peak season, year-end close and payroll runs?"
            ),
            help=(
                "The project's cutover calendar lists those periods. A go-live in the middle "
                "of one competes for the same people on the busiest days of the year."
            ),
            evidence="cutover_calendar",
        ),
        Question(
            key="depth",
            prompt=(
                "Does each critical duty have a deputy, and are sign-offs spread so that no "
                "single person holds most of them?"
            ),
            help=(
                "Failures do not wait for a holiday. A deputy is named on each duty that "
                "reviews failures, approves changes, monitors flows or controls automation."
            ),
            evidence="duty_deputies",
        ),
    ),
    version=2,
)


CHECKS: tuple[CheckDefinition, ...] = (DATA, HANDOFFS, EXCEPTIONS, REPORTING, OWNERSHIP)

CHECKS_BY_KEY: dict[str, CheckDefinition] = {check.key: check for check in CHECKS}


def get_check(key: str) -> CheckDefinition:
    """Return the check with this key; raise KeyError for an unknown key (callers answer 404)."""
    try:
        return CHECKS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown check: {key!r}") from None
