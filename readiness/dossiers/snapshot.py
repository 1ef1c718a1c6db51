"""The frozen content of a readiness dossier: everything the PDF shows, as plain JSON.

A snapshot is taken when a dossier is requested and rendered later by a worker, so it must not
need the database again. It is built from `project_review` — the one source of readiness truth —
plus the project's own fields. Register rows are the canonical signed content of each item
(names, never ids), with choice values replaced by their labels.

`snapshot_hash` identifies the content: two snapshots of an unchanged project hash the same,
whenever and for whichever dossier version they were taken.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from readiness.core.clock import site_today
from readiness.projects.models import Lifecycle, Membership, Owner, OwnerKind, Project, Role
from readiness.registers.models import (
    Criticality,
    DutyKind,
    Handling,
    Mechanism,
    ReportTiming,
    Severity,
    TestRun,
    TestStatus,
)
from readiness.reviews.findings import ItemRef
from readiness.reviews.models import AnswerChoice, AssuranceReview, SignOff, SubjectKind
from readiness.reviews.selectors import CheckReview, FindingView, ProjectReview, project_review
from readiness.reviews.signing import content_hash

FORMAT = 3  # 3: the verdict lists blockers per check; the project's time zone

# Fields that describe the document rather than the project; they do not enter the hash.
VOLATILE_KEYS = frozenset({"generated_at", "dossier"})

# Register kind → (title, the model fields holding choice values and their labels).
REGISTERS: dict[str, tuple[str, dict[str, dict[str, str]]]] = {
    "data-elements": ("Data elements", {"criticality": dict(Criticality.choices)}),
    "handoffs": ("Handoffs", {"mechanism": dict(Mechanism.choices)}),
    "exceptions": (
        "Exception cases",
        {
            "expected_handling": dict(Handling.choices),
            "severity": dict(Severity.choices),
            "test_status": dict(TestStatus.choices),
        },
    ),
    "reports": ("Reports", {"timing": dict(ReportTiming.choices)}),
    "duties": ("Duties", {"kind": dict(DutyKind.choices)}),
}
ITEM_SUBJECTS = {"handoffs": SubjectKind.HANDOFF, "exceptions": SubjectKind.EXCEPTION}
ANSWER_LABELS = dict(AnswerChoice.choices)
# Items a finding names: register items first (in register order), then the owners involved.
ITEM_ORDER = {kind: i for i, kind in enumerate([*REGISTERS, "owners"])}
WHOLE_PROJECT = "Whole project"


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _label(choices: dict[str, str], value: Any) -> Any:
    return str(choices.get(value, value)) if isinstance(value, str) else value


def _duty_name(kind_label: Any, scope: str | None) -> str:
    # Duties have no name field; this is the name Duty.name gives them.
    return f"{kind_label} — {scope or WHOLE_PROJECT}"


def _row(kind: str, content: dict) -> dict:
    """One register item as the dossier shows it: its signed content, choices as labels."""
    row = dict(content)
    for field, choices in REGISTERS[kind][1].items():
        if field in row:
            row[field] = _label(choices, row[field])
    if kind == "duties":
        row["name"] = _duty_name(row.get("kind"), row.get("handoff"))
    return row


def _row_order(kind: str, row: dict) -> tuple:
    """Register tables read alphabetically; duties by kind, the whole-project one first."""
    if kind == "duties":
        scope = row.get("handoff") or ""
        return (str(row.get("kind") or "").casefold(), bool(scope), scope.casefold())
    name = str(row.get("name") or "")
    return (name.casefold(), name)


def _signoff(signoff: SignOff, *, stale: bool) -> dict:
    return {
        "owner": signoff.owner_name,
        "signer": _person(signoff.signer),
        "signed_at": _iso(signoff.signed_at),
        "statement": signoff.statement,
        "hash": signoff.content_hash,
        "stale": stale,
    }


def _item_name(ref: ItemRef, duty_names: dict[int, str]) -> str:
    return duty_names.get(ref.pk, ref.name) if ref.kind == "duties" else ref.name


def _finding(view: FindingView, duty_names: dict[int, str]) -> dict:
    finding = view.finding
    items = sorted(
        finding.items,
        key=lambda i: (ITEM_ORDER.get(i.kind, len(ITEM_ORDER)), i.name.casefold(), i.name),
    )
    acceptance, proposal = view.acceptance, view.proposal
    return {
        "key": view.key,
        "rule": finding.rule,
        "manual": view.risk is not None,
        "severity": str(finding.severity),
        "title": finding.title,
        "message": finding.message,
        "items": [_item_name(i, duty_names) for i in items],
        "accepted": {
            "by": acceptance.proposer_label,
            "approved_by": acceptance.approver_name,
            "approver_role": acceptance.approver_role,
            "rationale": acceptance.rationale,
            "at": _iso(acceptance.approved_at),
            "expires_on": _iso(acceptance.expires_on),
        }
        if acceptance
        else None,
        "proposed": {
            "by": proposal.proposer_label,
            "rationale": proposal.rationale,
            "expires_on": _iso(proposal.expires_on),
        }
        if proposal
        else None,
    }


def _check(
    review: ProjectReview, check: CheckReview, item_states: dict, duty_names: dict[int, str]
) -> dict:
    definition = check.definition
    kind = definition.register
    rows = []
    for content in check.content["register"]:
        row = _row(kind, content)
        if kind in ITEM_SUBJECTS:
            state = item_states.get((kind, content.get("name")))
            row["signoff"] = (
                {
                    "owner": state.signoff.owner_name,
                    "signed_at": _iso(state.signoff.signed_at),
                    "hash": state.signoff.content_hash,
                    "stale": state.stale,
                }
                if state
                else None
            )
        rows.append(row)
    rows.sort(key=lambda r: _row_order(kind, r))
    signatory = check.signatory
    return {
        "number": definition.number,
        "key": definition.key,
        "title": definition.title,
        "version": definition.version,
        "question_behind": definition.question_behind,
        "register": kind,
        "register_title": REGISTERS[kind][0],
        "status": str(check.status),
        "status_label": check.status.label,
        "signatory": {
            "name": signatory.name,
            "team": signatory.team,
            "kind": str(OwnerKind(signatory.kind).label),
        }
        if signatory
        else None,
        "questions": [
            {
                "key": q.key,
                "prompt": q.prompt,
                "answer": check.answers[q.key].answer if q.key in check.answers else None,
                "answer_label": str(ANSWER_LABELS.get(check.answers[q.key].answer, ""))
                if q.key in check.answers
                else "Not answered",
                "note": check.answers[q.key].note if q.key in check.answers else "",
            }
            for q in definition.questions
        ],
        "rows": rows,
        "findings": [_finding(f, duty_names) for f in check.findings],
        "content_hash": check.content_hash,
        "signoff": _signoff(check.signoff.signoff, stale=check.signoff.stale)
        if check.signoff
        else None,
    }


# What a listed blocker needs on a web page only: where it links to (ids, anchors).
LINK_KEYS = frozenset({"item_kind", "item_pk", "anchor"})


def _verdict(verdict) -> dict:
    """The verdict as the dossier keeps it: names, never ids."""
    data = {**verdict.as_json(), "label": verdict.label}
    for check in data["checks"]:
        check["blockers"] = [
            {k: v for k, v in b.items() if k not in LINK_KEYS} for b in check["blockers"]
        ]
    return data


def _stale_signoffs(review: ProjectReview) -> list[dict]:
    """Handoff and exception-decision sign-offs whose item changed after it was signed.

    Checks are not listed here: a stale check sign-off is already one of the verdict's blockers.
    """
    kinds = list(ITEM_SUBJECTS)
    entries = []
    for kind, pk, state in review.stale_items:
        signoff = state.signoff
        name = str(review.item_contents[(kind, pk)].get("name") or signoff.subject_name)
        entry = {
            "kind": str(ITEM_SUBJECTS[kind].label),
            "subject": name,
            "signed_as": signoff.subject_name,
            "owner": signoff.owner_name,
            "signer": _person(signoff.signer),
            "signed_at": _iso(signoff.signed_at),
            "hash": signoff.content_hash,
            "current_hash": review.item_hashes[(kind, pk)],
        }
        entries.append(((kinds.index(kind), name.casefold(), name, pk), entry))
    return [entry for _, entry in sorted(entries, key=lambda e: e[0])]


def _history(project: Project, review: ProjectReview) -> list[dict]:
    """Every sign-off of the project, oldest first, revoked and superseded ones included."""
    current: dict[int, bool] = {}
    for check in review.checks:
        if check.signoff:
            current[check.signoff.signoff.pk] = check.signoff.stale
    for state in review.item_signoffs.values():
        current[state.signoff.pk] = state.stale

    entries = []
    signoffs = (
        SignOff.objects.filter(project=project)
        .select_related("signer", "revoked_by")
        .order_by("signed_at", "pk")
    )
    for s in signoffs:
        if s.revoked_at is not None:
            state = "revoked"
        elif s.pk in current:
            state = "stale" if current[s.pk] else "current"
        elif (
            s.subject_kind != SubjectKind.CHECK
            and s.handoff_id is None
            and (s.exception_case_id is None)
        ):
            state = "item removed"
        else:
            state = "superseded"
        entries.append(
            {
                "kind": str(SubjectKind(s.subject_kind).label),
                "subject": s.subject_name,
                "owner": s.owner_name,
                "signer": _person(s.signer),
                "signed_at": _iso(s.signed_at),
                "statement": s.statement,
                "hash": s.content_hash,
                "state": state,
                "revoked_at": _iso(s.revoked_at),
                "revoked_by": _person(s.revoked_by),
                "revoke_reason": s.revoke_reason,
            }
        )
    return entries


def _test_runs(project: Project) -> list[dict]:
    """Every exception case's test runs, by case name then newest first."""
    runs = TestRun.objects.filter(project=project).select_related("exception_case")
    rows = [
        {
            "case": run.exception_case.name,
            "run_on": _iso(run.run_on),
            "result": run.result,
            "result_label": run.get_result_display(),
            "tester": run.tester,
            "evidence": run.evidence,
            "attachment": run.attachment_name,
            "attachment_sha256": run.attachment_sha256,
        }
        for run in runs
    ]
    rows.sort(key=lambda r: (r["case"].casefold(), r["case"], _neg_date(r["run_on"])))
    return rows


def _neg_date(iso: str) -> int:
    return -dt.date.fromisoformat(iso).toordinal()


def _label_of(model_choices, value: str) -> str:
    return str(dict(model_choices).get(value, value))


def build_snapshot(project: Project, *, generated_at: dt.datetime | None = None) -> dict:
    """Everything the dossier shows, as JSON-serialisable data, in a fixed number of queries.

    Its moments are written in the project's time zone, the one its pages show."""
    with timezone.override(project.zone):
        return _build_snapshot(project, generated_at=generated_at)


def _build_snapshot(project: Project, *, generated_at: dt.datetime | None = None) -> dict:
    generated_at = generated_at or timezone.now()
    today = site_today(generated_at)
    review = project_review(project, today=today)

    item_states = {
        (kind, review.item_contents[(kind, pk)].get("name")): state
        for (kind, pk), state in review.item_signoffs.items()
    }
    duty_names = {d.pk: _duty_name(d.kind_label, d.handoff_name) for d in review.data.duties}
    verdict = review.verdict
    members = Membership.objects.filter(project=project).select_related("user")
    owners = Owner.objects.filter(project=project).select_related("user")
    return {
        "format": FORMAT,
        "generated_at": _iso(generated_at),
        "as_of": today.isoformat(),
        "project": {
            "name": project.name,
            "slug": project.slug,
            "summary": project.summary,
            "desired_outcome": project.desired_outcome,
            "go_live_date": _iso(project.go_live_date),
            "plan_lock_date": _iso(project.plan_lock_date),
            "parallel_run_start": _iso(project.parallel_run_start),
            "parallel_run_end": _iso(project.parallel_run_end),
            "lifecycle": _label_of(Lifecycle.choices, project.lifecycle),
            "breakage_plan": project.breakage_plan,
            "time_zone": project.time_zone,
        },
        "members": [
            {
                "name": _person(m.user),
                "username": m.user.get_username(),
                "role": _label_of(Role.choices, m.role),
            }
            for m in members
        ],
        "owners": [
            {
                "name": o.name,
                "team": o.team,
                "email": o.email,
                "kind": _label_of(OwnerKind.choices, o.kind),
                "can_sign": o.user_id is not None,
            }
            for o in owners
        ],
        "systems": [{"name": s.name, "vendor": s.vendor} for s in review.data.systems],
        "verdict": _verdict(verdict),
        "assurance": [
            {
                "reviewed_on": _iso(a.reviewed_on),
                "reviewer": a.reviewer,
                "rating": a.rating,
                "rating_label": a.get_rating_display(),
                "summary": a.summary,
                "caveats": a.caveats,
            }
            for a in AssuranceReview.objects.filter(project=project)
        ],
        "test_runs": _test_runs(project),
        "stale_signoffs": _stale_signoffs(review),
        "checks": [_check(review, check, item_states, duty_names) for check in review.checks],
        "signoff_history": _history(project, review),
    }


def hashed_part(snapshot: dict) -> dict:
    return {k: v for k, v in snapshot.items() if k not in VOLATILE_KEYS}


def snapshot_hash(snapshot: dict) -> str:
    """SHA-256 of the canonical JSON of the snapshot, without the fields about the document."""
    return content_hash(hashed_part(snapshot))
