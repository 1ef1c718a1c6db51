"""Everything a page needs to tell the truth about a project's readiness, computed in one place.

`project_review` loads the registers, runs the warning-sign rules, recomputes the hash of every
signed subject and derives check statuses and the verdict. Pages, the portfolio and the dossier
all read this one object. Its query count does not depend on register size.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.db import DatabaseError, transaction
from django.db.models import QuerySet

from readiness.core.clock import site_today
from readiness.core.content import form_content
from readiness.projects.models import Membership, Owner, Project, Role
from readiness.registers.specs import SPECS
from readiness.reviews.checks import CHECKS
from readiness.reviews.data import ReviewData, review_data_for
from readiness.reviews.definitions import CheckDefinition
from readiness.reviews.findings import Finding, FindingSeverity
from readiness.reviews.models import (
    Acceptance,
    AcceptanceState,
    Answer,
    AnswerChoice,
    CheckSignatory,
    Risk,
    SignOff,
    SubjectKind,
)
from readiness.reviews.rules import evaluate
from readiness.reviews.signing import canonical_json, content_hash, item_content
from readiness.reviews.verdict import (
    BLOCKERS_LISTED,
    AcceptedBlocker,
    AssuranceStanding,
    Blocker,
    CheckStanding,
    CheckStatus,
    Verdict,
    check_status,
    project_verdict,
)

ITEM_KINDS = {"handoffs": SubjectKind.HANDOFF, "exceptions": SubjectKind.EXCEPTION}


@dataclass
class FindingView:
    """A derived finding or a manual risk, with the acceptance recorded for it, if any.

    `record` is the finding's acceptance that was not withdrawn; `state` says where it stands
    today. Only an approved acceptance that has not lapsed (and was approved for at least the
    finding's present severity) closes the finding.
    """

    finding: Finding
    key: str
    record: Acceptance | None = None
    state: AcceptanceState | None = None
    risk: Risk | None = None

    @property
    def acceptance(self) -> Acceptance | None:
        return self.record if self.state == AcceptanceState.ACCEPTED else None

    @property
    def proposal(self) -> Acceptance | None:
        return self.record if self.state == AcceptanceState.PROPOSED else None

    @property
    def lapsed(self) -> Acceptance | None:
        """An approved acceptance that no longer counts: expired, or the finding grew worse."""
        if self.state in (AcceptanceState.LAPSED, AcceptanceState.ESCALATED):
            return self.record
        return None

    @property
    def anchor(self) -> str:
        return "finding-" + hashlib.sha1(self.key.encode()).hexdigest()[:12]

    @property
    def is_open(self) -> bool:
        return self.acceptance is None

    @property
    def is_open_blocker(self) -> bool:
        return self.is_open and self.finding.severity == FindingSeverity.BLOCKER

    def signed_form(self) -> dict:
        # The message is left out on purpose: it counts days to plan lock, and a signature
        # must not go stale because a day passed.
        accepted = self.acceptance
        return {
            "rule": self.finding.rule,
            "severity": str(self.finding.severity),
            "title": self.finding.title,
            "items": sorted(i.name for i in self.finding.items),
            "accepted": {
                "rationale": accepted.rationale,
                "proposed_by": accepted.owner_name,
                "approved_by": accepted.approver_name,
                "expires_on": accepted.expires_on.isoformat(),
            }
            if accepted
            else None,
        }


@dataclass
class SignOffState:
    signoff: SignOff
    stale: bool


@dataclass
class CheckReview:
    definition: CheckDefinition
    signatory: Owner | None
    answers: dict[str, Answer]
    findings: list[FindingView]
    content: dict
    content_hash: str
    signoff: SignOffState | None
    history: list[SignOff] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def answered(self) -> int:
        keys = {q.key for q in self.definition.questions}
        return sum(1 for k in self.answers if k in keys)

    @property
    def unanswered(self) -> list:
        return [q for q in self.definition.questions if q.key not in self.answers]

    @property
    def open_blockers(self) -> list[FindingView]:
        return [f for f in self.findings if f.is_open_blocker]

    @property
    def open_findings(self) -> list[FindingView]:
        return [f for f in self.findings if f.is_open]

    @property
    def accepted(self) -> list[FindingView]:
        return [f for f in self.findings if not f.is_open]

    @cached_property
    def status(self) -> CheckStatus:
        return check_status(
            answered=self.answered,
            questions=len(self.definition.questions),
            open_blockers=len(self.open_blockers),
            signed=self.signoff is not None,
            stale=bool(self.signoff and self.signoff.stale),
            notes_missing=len(self.needs_note),
        )

    @property
    def can_be_signed(self) -> bool:
        return not self.unanswered and not self.open_blockers and not self.needs_note

    @property
    def needs_note(self) -> list:
        """Questions answered Partly or No without saying what is missing."""
        return [
            q
            for q in self.definition.questions
            if (a := self.answers.get(q.key)) is not None and answer_needs_note(a.answer, a.note)
        ]


@dataclass
class ProjectReview:
    project: Project
    data: ReviewData
    checks: list[CheckReview]
    item_signoffs: dict[tuple[str, int], SignOffState]
    item_hashes: dict[tuple[str, int], str]
    item_contents: dict[tuple[str, int], dict]
    verdict: Verdict
    lead_ids: frozenset[int] = frozenset()
    _evidence: dict[str, object] = field(default_factory=dict, repr=False)

    def register_counts(self) -> dict[str, int]:
        """How many items each register holds, by register kind: no query."""
        rows = {
            "data-elements": self.data.data_elements,
            "handoffs": self.data.handoffs,
            "exceptions": self.data.exceptions,
            "reports": self.data.reports,
            "duties": self.data.duties,
            "owners": self.data.owners,
            "systems": self.data.systems,
            "blackouts": self.data.blackouts,
        }
        return {kind: len(rows[kind]) for kind in SPECS}

    def evidence(self, key: str):
        """The evidence a question shows, computed once per kept review."""
        if key not in self._evidence:
            from readiness.reviews.evidence import EVIDENCE

            self._evidence[key] = EVIDENCE[key](self.data)
        return self._evidence[key]

    def check(self, key: str) -> CheckReview:
        for c in self.checks:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def findings(self) -> list[FindingView]:
        return [f for c in self.checks for f in c.findings]

    @property
    def stale_items(self) -> list[tuple[str, int, SignOffState]]:
        """Handoff and exception sign-offs whose item changed after it was signed."""
        return [(kind, pk, s) for (kind, pk), s in self.item_signoffs.items() if s.stale]

    def item_states(self, kind: str) -> list[tuple[int, SignOffState]]:
        return [(pk, s) for (k, pk), s in self.item_signoffs.items() if k == kind]

    @property
    def executive(self):
        """The accountable executive's owner row (with its user id), if one is named."""
        pk = self.project.accountable_executive_id
        return next((o for o in self.data.owners if o.pk == pk), None) if pk else None

    def may_approve(self, acceptance: Acceptance, user_id: int) -> bool:
        """Whether this user may approve this proposal: never their own; a blocker only by
        the accountable executive; anything else by a lead or the accountable executive."""
        if user_id is None or acceptance.proposed_by_id == user_id:
            return False
        executive = self.executive
        is_executive = executive is not None and executive.user_id == user_id
        if acceptance.severity == FindingSeverity.BLOCKER:
            return is_executive
        return is_executive or user_id in self.lead_ids

    def approver_wanted(self, acceptance: Acceptance) -> str:
        """Who may approve, in words, for the page that shows a waiting proposal."""
        executive = self.executive
        if acceptance.severity == FindingSeverity.BLOCKER:
            if executive is None or executive.user_id is None:
                return "the accountable executive (a lead names one in the project settings)"
            return f"{executive.name}, the accountable executive"
        return "a project lead or the accountable executive"


def answer_needs_note(answer: str, note: str) -> bool:
    """A Partly or No must say what is missing, so the gap can be closed."""
    return answer in (AnswerChoice.PARTLY, AnswerChoice.NO) and not (note or "").strip()


def _latest_active(signoffs: list[SignOff]) -> dict[tuple, SignOff]:
    """The current sign-off per subject: the newest one, unless that one was revoked.

    Revoking the newest sign-off leaves the subject unsigned; it never brings back an older one.
    """
    newest: dict[tuple, SignOff] = {}
    for s in signoffs:  # ordered newest first
        newest.setdefault(s.subject_ref, s)
    return {ref: s for ref, s in newest.items() if s.revoked_at is None}


def check_content(
    definition: CheckDefinition,
    register: list[dict],
    answers: dict[str, Answer],
    findings: list[FindingView],
) -> dict:
    """Exactly what a check's signatory signs: its register, its answers and its findings."""
    return {
        "check": definition.key,
        "definition_version": definition.version,
        # Sorted by their own canonical form, so database row order never changes the hash.
        "register": sorted(register, key=canonical_json),
        "answers": {
            k: {"answer": a.answer, "note": a.note}
            for k, a in sorted(answers.items())
            if any(q.key == k for q in definition.questions)
        },
        "findings": sorted((f.signed_form() for f in findings), key=canonical_json),
    }


def project_review(project: Project, *, today=None) -> ProjectReview:
    today = today or site_today()
    data = review_data_for(project, today=today)
    derived = evaluate(data)

    answers: dict[str, dict[str, Answer]] = {}
    for a in Answer.objects.filter(project=project).select_related("answered_by"):
        answers.setdefault(a.check_key, {})[a.question_key] = a
    acceptances = {
        a.finding_key: a
        for a in Acceptance.objects.filter(project=project, withdrawn_at__isnull=True)
    }
    lead_ids = frozenset(
        Membership.objects.filter(project=project, role=Role.LEAD).values_list("user_id", flat=True)
    )
    risks = list(Risk.objects.filter(project=project))
    signatories = {
        s.check_key: s.owner
        for s in CheckSignatory.objects.filter(project=project).select_related("owner__user")
    }
    signoffs = list(SignOff.objects.filter(project=project).select_related("signer"))
    latest = _latest_active(signoffs)

    item_hashes: dict[tuple[str, int], str] = {}
    item_contents: dict[tuple[str, int], dict] = {}
    registers: dict[str, list[dict]] = {}
    for definition in CHECKS:
        contents = []
        for item in SPECS[definition.register].queryset(project):
            content = item_content(item)
            contents.append(content)
            if definition.register in ITEM_KINDS:
                item_contents[(definition.register, item.pk)] = content
                item_hashes[(definition.register, item.pk)] = content_hash(content)
        registers[definition.key] = contents

    checks = []
    for definition in CHECKS:
        views = [
            _finding_view(f, f.key, acceptances.get(f.key), today)
            for f in derived
            if f.check == definition.key
        ]
        for risk in risks:
            if risk.check_key == definition.key:
                finding = Finding(
                    rule="manual",
                    check=definition.key,
                    severity=FindingSeverity(risk.severity),
                    title=risk.title,
                    message=risk.detail,
                )
                views.append(
                    _finding_view(
                        finding, risk.finding_key, acceptances.get(risk.finding_key), today, risk
                    )
                )
        views.sort(key=lambda v: (not v.is_open, v.finding.severity.rank, v.finding.title))
        check_answers = answers.get(definition.key, {})
        content = check_content(definition, registers[definition.key], check_answers, views)
        digest = content_hash(content)
        signoff = latest.get(("check", definition.key))
        checks.append(
            CheckReview(
                definition=definition,
                signatory=signatories.get(definition.key),
                answers=check_answers,
                findings=views,
                content=content,
                content_hash=digest,
                signoff=SignOffState(signoff, signoff.content_hash != digest) if signoff else None,
                history=[
                    s
                    for s in signoffs
                    if s.subject_kind == SubjectKind.CHECK and s.check_key == definition.key
                ],
            )
        )

    item_signoffs = {}
    for ref, signoff in latest.items():
        kind = {"handoff": "handoffs", "exception": "exceptions"}.get(ref[0])
        if kind is None or ref[1] == "None":
            continue
        key = (kind, int(ref[1]))
        current = item_hashes.get(key)
        if current is not None:
            item_signoffs[key] = SignOffState(signoff, signoff.content_hash != current)

    owners = item_owners(data)
    verdict = project_verdict(
        checks=[_standing(c, owners) for c in checks],
        accepted_risks=sum(len(c.accepted) for c in checks),
        today=today,
        plan_lock_date=project.plan_lock_date,
        go_live_date=project.go_live_date,
        open_highs=sum(
            f.is_open and f.finding.severity == FindingSeverity.HIGH
            for c in checks
            for f in c.findings
        ),
        high_limit=project.ready_max_open_highs,
        no_answers=sum(
            a.answer == AnswerChoice.NO
            for c in checks
            for k, a in c.answers.items()
            if any(q.key == k for q in c.definition.questions)
        ),
        accepted_blockers=tuple(
            AcceptedBlocker(
                title=f.finding.title,
                check=_check_title(c.definition),
                proposer=f.acceptance.proposer_label,
                approver=f.acceptance.approver_name,
                expires_on=f.acceptance.expires_on,
            )
            for c in checks
            for f in c.accepted
            if f.finding.severity == FindingSeverity.BLOCKER
        ),
        assurance=AssuranceStanding(
            rating=data.assurance.rating,
            reviewer=data.assurance.reviewer,
            reviewed_on=data.assurance.reviewed_on,
        )
        if data.assurance
        else None,
    )
    return ProjectReview(
        project=project,
        data=data,
        checks=checks,
        item_signoffs=item_signoffs,
        item_hashes=item_hashes,
        item_contents=item_contents,
        verdict=verdict,
        lead_ids=lead_ids,
    )


# Who owns each kind of register item, in the words pages use.
OWNER_ROLES = {
    "data-elements": ("steward", "steward"),
    "handoffs": ("receiving_owner", "receiving owner"),
    "exceptions": ("decision_owner", "decision owner"),
    "reports": ("owner", "report owner"),
    "duties": ("owner", "duty owner"),
}


def item_owners(data: ReviewData) -> dict[tuple[str, int], tuple[str, str]]:
    """(register kind, pk) → (owner's name, their role) for every item that names an owner."""
    rows = {
        "data-elements": data.data_elements,
        "handoffs": data.handoffs,
        "exceptions": data.exceptions,
        "reports": data.reports,
        "duties": data.duties,
    }
    owners = {}
    for kind, (field_name, role) in OWNER_ROLES.items():
        for row in rows[kind]:
            owner = getattr(row, field_name)
            if owner is not None:
                owners[(kind, row.pk)] = (owner.name, role)
    return owners


def _blocker(view: FindingView, check: "CheckReview", owners: dict) -> Blocker:
    """An open blocker with the item that clears it and who owns that item; the check's
    signatory owns what has no item, or an item without an owner."""
    items = view.finding.items
    first = items[0] if items else None
    owner, role = owners.get((first.kind, first.pk), ("", "")) if first else ("", "")
    if not owner and check.signatory is not None:
        owner, role = check.signatory.name, "signatory"
    proposal = view.proposal
    return Blocker(
        title=view.finding.title,
        anchor=view.anchor,
        item_kind=first.kind if first else "",
        item_pk=first.pk if first else None,
        item_name=first.name if first else "",
        more_items=max(0, len(items) - 1),
        owner=owner,
        owner_role=role,
        proposed_by=proposal.proposer_label if proposal else "",
    )


def _standing(check: "CheckReview", owners: dict) -> CheckStanding:
    blockers = check.open_blockers
    unanswered = check.unanswered
    return CheckStanding(
        key=check.key,
        number=check.definition.number,
        title=check.definition.title,
        status=check.status,
        signatory=check.signatory.name if check.signatory else "",
        blocker_count=len(blockers),
        blockers=tuple(_blocker(f, check, owners) for f in blockers[:BLOCKERS_LISTED]),
        next_question=unanswered[0].key if unanswered else "",
    )


def _check_title(definition: CheckDefinition) -> str:
    return f"Check {definition.number} · {definition.title}"


def _finding_view(finding, key, record, today, risk=None) -> FindingView:
    state = record.state(today=today, severity=str(finding.severity)) if record else None
    return FindingView(finding=finding, key=key, record=record, state=state, risk=risk)


@dataclass
class WaitingItem:
    project: Project
    kind: str  # "check" | "handoffs" | "exceptions"
    title: str
    url: str
    stale: bool
    reason: str
    signoff: SignOff | None = None
    changes: list = field(default_factory=list)  # what changed since the stale signature


def reviews_of_request(request) -> dict[int, ProjectReview]:
    """Reviews used while answering one request, so a page and its navigation share them."""
    return request.__dict__.setdefault("_project_reviews", {})


def waiting_in(review: ProjectReview, user_id: int) -> list[WaitingItem]:
    """What waits in one project for this user's signature, and their sign-offs gone stale."""
    from django.urls import reverse

    project = review.project
    waiting: list[WaitingItem] = approvals_waiting(review, user_id)
    mine = {o.pk for o in review.data.owners if o.user_id == user_id}
    if not mine:
        return waiting
    for c in review.checks:
        if not c.signatory or c.signatory.pk not in mine:
            continue
        # Only what the signatory can act on now: a check still missing answers or with an
        # open blocker waits for the team, not for a signature.
        if c.status not in (CheckStatus.READY_TO_SIGN, CheckStatus.STALE):
            continue
        waiting.append(
            WaitingItem(
                project=project,
                kind="check",
                title=f"Check {c.definition.number} · {c.definition.title}",
                url=reverse(
                    "reviews:check",
                    kwargs={"slug": project.slug, "key": c.key, "step": "signoff"},
                ),
                stale=c.status == CheckStatus.STALE,
                reason=c.status.label,
                signoff=c.signoff.signoff if c.signoff else None,
            )
        )
    for row in review.data.handoffs:
        if row.receiving_owner and row.receiving_owner.pk in mine:
            waiting += _item_waiting(review, project, "handoffs", row)
    for row in review.data.exceptions:
        if row.decision_owner and row.decision_owner.pk in mine:
            waiting += _item_waiting(review, project, "exceptions", row)
    return waiting


def approvals_waiting(review: ProjectReview, user_id: int) -> list[WaitingItem]:
    """Proposals to accept a finding that this user may approve (never their own)."""
    from django.urls import reverse

    if user_id not in review.lead_ids and not (
        review.executive and review.executive.user_id == user_id
    ):
        return []
    waiting = []
    for c in review.checks:
        for f in c.findings:
            proposal = f.proposal
            if proposal is None or not review.may_approve(proposal, user_id):
                continue
            url = reverse(
                "reviews:check",
                kwargs={"slug": review.project.slug, "key": c.key, "step": "findings"},
            )
            waiting.append(
                WaitingItem(
                    project=review.project,
                    kind="approval",
                    title=f"Approve accepting “{f.finding.title}” ({f.finding.severity})",
                    url=f"{url}#{f.anchor}",
                    stale=False,
                    reason=f"Proposed by {proposal.proposer_label} in {_check_title(c.definition)}"
                    f", to hold until {proposal.expires_on:%-d %b %Y}",
                )
            )
    return waiting


def _item_waiting(review: ProjectReview, project: Project, kind: str, row) -> list[WaitingItem]:
    from django.urls import reverse

    state = review.item_signoffs.get((kind, row.pk))
    if state and not state.stale:
        return []
    label = "Handoff" if kind == "handoffs" else "Exception decision"
    return [
        WaitingItem(
            project=project,
            kind=kind,
            title=f"{label} · {row.name}",
            url=reverse("reviews:item", kwargs={"slug": project.slug, "kind": kind, "pk": row.pk}),
            stale=bool(state),
            reason="Stale — changed since you signed" if state else "Waiting for your sign-off",
            signoff=state.signoff if state else None,
        )
    ]


def item_signoff_history(*, kind: str, item) -> QuerySet[SignOff]:
    """Every sign-off of one handoff or exception decision, newest first, revoked ones too."""
    field = "handoff" if kind == "handoffs" else "exception_case"
    return SignOff.objects.filter(**{field: item}).select_related("signer", "revoked_by")


def item_signoff_states(review: ProjectReview, kind: str) -> dict[int, SignOffState]:
    """Sign-off state of every handoff or exception case of the project, by primary key: read
    from the kept review, so a register page never hashes its rows."""
    return {pk: state for pk, state in review.item_states(kind)}


@dataclass
class ItemPage:
    """Everything the read-only page of one register item shows."""

    content: list[tuple[str, object]]
    findings: list[FindingView]
    state: SignOffState | None
    current_hash: str | None
    changes: list  # how the current content differs from a stale signature
    history: list
    history_total: int
    last_seq: int


ITEM_HISTORY_LIMIT = 50


def item_page(*, review: ProjectReview, kind: str, item) -> ItemPage:
    from readiness.projects.models import ActivityEntry
    from readiness.reviews.history import item_changes, last_activity_seq
    from readiness.reviews.signing import content_for_people

    project = review.project
    spec = SPECS[kind]
    content = review.item_contents.get((kind, item.pk)) or item_content(item)
    state = review.item_signoffs.get((kind, item.pk))
    changes = []
    if state and state.stale:
        changes = item_changes(
            project=project, kind=kind, pk=item.pk, signoff=state.signoff, current=content
        )
    entries = ActivityEntry.objects.filter(project=project, target_kind=kind, target_id=item.pk)
    return ItemPage(
        content=content_for_people(spec.model, content),
        findings=[
            f
            for f in review.findings
            if any(ref.kind == kind and ref.pk == item.pk for ref in f.finding.items)
        ],
        state=state,
        current_hash=review.item_hashes.get((kind, item.pk)),
        changes=changes,
        history=list(entries.order_by("-seq")[:ITEM_HISTORY_LIMIT]),
        history_total=entries.count(),
        last_seq=last_activity_seq(project),
    )


class _DryRun(Exception):
    """Raised to roll back a save that was only tried."""


def signoffs_a_save_makes_stale(
    *, review: ProjectReview, kind: str, form, before: dict | None
) -> list[str]:
    """Who loses a current signature if this valid register form is saved.

    A save can make stale more than the item's own sign-off and its register's check: a
    renamed data element, owner or system is named in the items that point at it, and any
    change can raise or clear findings of other checks. So the save is tried in a savepoint
    that is always rolled back, and the review after it is compared with the review now.
    """
    if before is not None and before == form_content(form):
        return []
    signed_items = {key: s for key, s in review.item_signoffs.items() if not s.stale}
    signed_checks = [c for c in review.checks if c.signoff and not c.signoff.stale]
    if not signed_items and not signed_checks:
        return []  # nothing current to lose: no need to try
    instance = form.instance
    adding = instance._state.adding
    after = None
    try:
        with transaction.atomic():
            form.save()
            after = project_review(review.project)
            raise _DryRun
    except _DryRun:
        pass
    except DatabaseError:
        return []  # the real save will meet the same error and report it
    finally:
        if adding:  # the rolled-back insert must not leave the form thinking it exists
            instance.pk = None
            instance._state.adding = True

    warnings = []
    for (item_kind, pk), state in signed_items.items():
        now = after.item_signoffs.get((item_kind, pk))
        if now is not None and not now.stale:
            continue
        spec = SPECS[item_kind]
        what = (
            f"this {spec.singular}"
            if item_kind == kind and pk == instance.pk
            else f"{spec.singular} “{state.signoff.subject_name}”"
        )
        warnings.append(f"Saving makes {state.signoff.owner_name}’s sign-off of {what} stale.")
    for c in signed_checks:
        now = after.check(c.key).signoff
        if now is not None and not now.stale:
            continue
        warnings.append(
            f"Saving makes {c.signoff.signoff.owner_name}’s sign-off of "
            f"Check {c.definition.number} · {c.definition.title} stale."
        )
    return warnings


def explain_stale(items: list[WaitingItem], reviews: dict[int, ProjectReview]) -> None:
    """Fill in, for each stale item, what changed since it was signed and who changed it."""
    from readiness.reviews.history import check_changes, item_changes

    for item in items:
        if not item.stale or item.signoff is None:
            continue
        review = reviews[item.project.pk]
        signoff = item.signoff
        if item.kind == "check":
            check = review.check(signoff.check_key)
            item.changes = check_changes(
                project=item.project,
                check=check.definition,
                signoff=signoff,
                current=check.content,
            )
        else:
            pk = signoff.handoff_id if item.kind == "handoffs" else signoff.exception_case_id
            item.changes = item_changes(
                project=item.project,
                kind=item.kind,
                pk=pk,
                signoff=signoff,
                current=review.item_contents[(item.kind, pk)],
            )
