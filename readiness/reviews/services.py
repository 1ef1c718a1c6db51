"""Writes of the guided review. Each checks the rule it enforces and raises ReviewRefused.

Every write records itself in the project's activity history, in its own transaction.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from readiness.core.clock import site_today
from readiness.projects.activity import activity_record, person_name, project_lock
from readiness.projects.models import ActivityAction, ActivityVia, Owner, Project
from readiness.reviews.checks import get_check
from readiness.reviews.definitions import CheckDefinition
from readiness.reviews.findings import FindingSeverity
from readiness.reviews.models import (
    Acceptance,
    Answer,
    AnswerChoice,
    AssuranceReview,
    CheckSignatory,
    Risk,
    RiskSeverity,
    SignOff,
    SubjectKind,
)
from readiness.reviews.selectors import ITEM_KINDS
from readiness.reviews.signing import content_hash
from readiness.reviews.state import cached_review


class ReviewRefused(Exception):
    """A review action that the rules do not allow; the message says why, for the user."""


class ContentChanged(ReviewRefused):
    """The content changed between the moment the signer saw it and the signature."""


class AnswerChanged(ReviewRefused):
    """Someone else saved this answer after the page was opened; `current` is theirs."""

    def __init__(self, current: Answer):
        super().__init__(
            "Someone else saved this answer after you opened the page; theirs is shown. "
            "Your note is kept below: save again to replace their answer with yours."
        )
        self.current = current


def _refuse_stale_answer(old: Answer | None, opened_version: int | None, user) -> None:
    """A lost update guard. Your own saves in between (autosave while typing) never count."""
    if opened_version is None:
        return
    current = old.version if old else 0
    if current != opened_version and (old is None or old.answered_by_id != user.pk):
        raise AnswerChanged(old)


def _change(field: str, label: str, old, new) -> dict:
    return {"field": field, "label": label, "old": old or "—", "new": new or "—"}


def _check_title(check: CheckDefinition) -> str:
    return f"Check {check.number} · {check.title}"


@transaction.atomic
def answer_save(
    *,
    project: Project,
    check: CheckDefinition,
    question_key: str,
    answer: str,
    note: str,
    user: AbstractBaseUser,
    via: str = ActivityVia.WEB,
    opened_version: int | None = None,
) -> Answer:
    """Save an answer; AnswerChanged when someone else saved it since `opened_version`."""
    question = next((q for q in check.questions if q.key == question_key), None)
    if question is None:
        raise ReviewRefused("No such question in this check.")
    note = note.strip()
    if opened_version is not None:
        project_lock(project)  # the first answer of a question has no row to lock yet
    old = (
        Answer.objects.select_for_update()
        .filter(project=project, check_key=check.key, question_key=question_key)
        .first()
    )
    _refuse_stale_answer(old, opened_version, user)
    obj, _ = Answer.objects.update_or_create(
        project=project,
        check_key=check.key,
        question_key=question_key,
        defaults={
            "answer": answer,
            "note": note,
            "answered_by": user,
            "version": (old.version + 1) if old else 1,
        },
    )
    labels = dict(AnswerChoice.choices)
    changes = []
    if old is None or old.answer != answer:
        changes.append(
            _change("answer", "Answer", labels.get(old.answer) if old else None, labels[answer])
        )
    if (old.note if old else "") != note:
        changes.append(_change("note", "Note", old.note if old else "", note))
    if changes:
        activity_record(
            project=project,
            check_key=check.key,
            actor=user,
            action=ActivityAction.ANSWERED,
            target_kind="answer",
            target_id=obj.pk,
            target_name=question.prompt,
            summary=f"answered “{question.prompt}” in {_check_title(check)}: {labels[answer]}",
            changes=changes,
            via=via,
        )
    return obj


@transaction.atomic
def signatory_set(
    *,
    project: Project,
    check: CheckDefinition,
    owner: Owner | None,
    user: AbstractBaseUser | None = None,
    via: str = ActivityVia.WEB,
) -> None:
    if owner is not None and (owner.project_id != project.pk or owner.user_id is None):
        raise ReviewRefused("A signatory must be an owner of this project with a user account.")
    current = (
        CheckSignatory.objects.filter(project=project, check_key=check.key)
        .select_related("owner")
        .first()
    )
    old_name = current.owner.name if current else None
    if owner is None:
        CheckSignatory.objects.filter(project=project, check_key=check.key).delete()
    else:
        CheckSignatory.objects.update_or_create(
            project=project, check_key=check.key, defaults={"owner": owner}
        )
    new_name = owner.name if owner else None
    if old_name == new_name:
        return
    activity_record(
        project=project,
        check_key=check.key,
        actor=user,
        action=ActivityAction.CHANGED,
        target_kind="signatory",
        target_id=check.number,
        target_name=_check_title(check),
        summary=f"named {new_name or 'nobody'} as signatory of {_check_title(check)}",
        changes=[_change("signatory", "Signatory", old_name, new_name)],
        via=via,
    )


@transaction.atomic
def risk_add(
    *,
    project: Project,
    check: CheckDefinition,
    title: str,
    detail: str,
    severity: str,
    user: AbstractBaseUser,
    via: str = ActivityVia.WEB,
) -> Risk:
    risk = Risk.objects.create(
        project=project,
        check_key=check.key,
        title=title,
        detail=detail,
        severity=severity,
        created_by=user,
    )
    activity_record(
        project=project,
        check_key=check.key,
        actor=user,
        action=ActivityAction.CREATED,
        target_kind="risk",
        target_id=risk.pk,
        target_name=title,
        summary=f"added the risk “{title}” to {_check_title(check)}",
        changes=[
            _change("title", "Title", None, title),
            _change("severity", "Severity", None, dict(RiskSeverity.choices)[severity]),
            _change("detail", "Detail", None, detail),
        ],
        via=via,
    )
    return risk


@transaction.atomic
def risk_delete(
    *, risk: Risk, user: AbstractBaseUser | None = None, via: str = ActivityVia.WEB
) -> None:
    if Acceptance.objects.filter(
        project=risk.project_id, finding_key=risk.finding_key, withdrawn_at__isnull=True
    ).exists():
        raise ReviewRefused("This risk was accepted by the signatory; withdraw that first.")
    pk = risk.pk
    risk.delete()
    activity_record(
        project=risk.project,
        check_key=risk.check_key,
        actor=user,
        action=ActivityAction.DELETED,
        target_kind="risk",
        target_id=pk,
        target_name=risk.title,
        summary=f"removed the risk “{risk.title}”",
        changes=[
            _change("title", "Title", risk.title, None),
            _change("severity", "Severity", risk.get_severity_display(), None),
            _change("detail", "Detail", risk.detail, None),
        ],
        via=via,
    )


def _signatory_owner(project: Project, check: CheckDefinition, user) -> Owner:
    signatory = (
        CheckSignatory.objects.filter(project=project, check_key=check.key)
        .select_related("owner")
        .first()
    )
    if signatory is None:
        raise ReviewRefused("This check has no signatory yet; a lead names one.")
    if signatory.owner.user_id != user.pk:
        raise ReviewRefused(
            f"Only {signatory.owner.name}, the signatory of this check, can do this."
        )
    return signatory.owner


ACCEPTANCE_MAX_DAYS_AFTER_GO_LIVE = 90


def latest_expiry(project: Project):
    return project.go_live_date + dt.timedelta(days=ACCEPTANCE_MAX_DAYS_AFTER_GO_LIVE)


def _acceptance_changes(acceptance: Acceptance) -> list[dict]:
    return [
        _change("rationale", "Rationale", None, acceptance.rationale),
        _change("expires_on", "Expires on", None, f"{acceptance.expires_on:%-d %b %Y}"),
        _change("severity", "Severity", None, acceptance.get_severity_display()),
    ]


@transaction.atomic
def acceptance_propose(
    *,
    project: Project,
    check: CheckDefinition,
    finding_key: str,
    rationale: str,
    expires_on: dt.date,
    user: AbstractBaseUser,
    via: str = ActivityVia.WEB,
) -> Acceptance:
    """The check's signatory proposes accepting a finding as a known risk, until a date.

    It counts only once someone else approves it (`acceptance_approve`). A proposal replaces
    one that waits, lapsed or was approved for a lower severity than the finding has now.
    """
    project.revision = project_lock(project)
    owner = _signatory_owner(project, check, user)
    rationale = rationale.strip()
    if len(rationale) < 10:
        raise ReviewRefused("Write why this risk is acceptable (at least a sentence).")
    today = site_today()
    if expires_on < today:
        raise ReviewRefused("The acceptance must expire on a day still to come.")
    if expires_on > latest_expiry(project):
        raise ReviewRefused(
            f"An acceptance may last at most {ACCEPTANCE_MAX_DAYS_AFTER_GO_LIVE} days after "
            f"go-live: until {latest_expiry(project):%-d %b %Y} at the latest."
        )
    review = cached_review(project).check(check.key)
    finding = next((f for f in review.findings if f.key == finding_key), None)
    if finding is None:
        raise ReviewRefused("That finding no longer exists — the data behind it changed.")
    if finding.acceptance is not None:
        raise ReviewRefused("That finding is already accepted.")
    waiting = finding.proposal
    if (
        waiting is not None
        and waiting.proposed_by_id == user.pk
        and (waiting.rationale, waiting.expires_on) == (rationale, expires_on)
    ):
        return waiting  # the same proposal sent twice: one record, one history entry
    if finding.record is not None:
        _close(finding.record, user, "Replaced by a new proposal.")
    acceptance = Acceptance.objects.create(
        project=project,
        check_key=check.key,
        finding_key=finding_key,
        finding_title=finding.finding.title,
        severity=str(finding.finding.severity),
        rationale=rationale,
        expires_on=expires_on,
        owner=owner,
        owner_name=owner.name,
        proposed_by=user,
        proposed_by_name=person_name(user),
    )
    _record_acceptance(
        project,
        acceptance,
        user,
        ActivityAction.PROPOSED,
        f"proposed accepting the {acceptance.severity} finding “{acceptance.finding_title}” in "
        f"{_check_title(check)} as a known risk until {expires_on:%-d %b %Y}; it counts once "
        "someone else approves it",
        _acceptance_changes(acceptance),
        via,
    )
    return acceptance


def _record_acceptance(
    project: Project, acceptance: Acceptance, user, action, summary: str, changes, via
) -> None:
    """A step of an acceptance (proposed, approved, withdrawn, declined), filed under it."""
    activity_record(
        project=project,
        check_key=acceptance.check_key,
        actor=user,
        action=action,
        target_kind="finding",
        target_id=acceptance.pk,
        target_name=acceptance.finding_title,
        summary=summary,
        changes=changes,
        via=via,
    )


def _close(acceptance: Acceptance, user, reason: str) -> None:
    acceptance.withdrawn_at = timezone.now()
    acceptance.withdrawn_by = user
    acceptance.withdrawn_by_name = person_name(user)
    acceptance.withdraw_reason = reason
    acceptance.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_by_name", "withdraw_reason"]
    )


def _open_acceptance(project: Project, pk: int) -> Acceptance:
    acceptance = Acceptance.objects.filter(project=project, pk=pk).first()
    if acceptance is None or acceptance.withdrawn_at is not None:
        raise ReviewRefused("That acceptance was withdrawn or declined in the meantime.")
    return acceptance


@transaction.atomic
def acceptance_approve(
    *,
    project: Project,
    acceptance: Acceptance,
    user: AbstractBaseUser,
    via: str = ActivityVia.WEB,
) -> Acceptance:
    """The second person approves a proposal: a lead, or for a blocker the accountable
    executive. Nobody approves their own proposal."""
    project.revision = project_lock(project)
    acceptance = _open_acceptance(project, acceptance.pk)
    if acceptance.approved_at is not None:
        return acceptance  # a double submit: the first one approved it
    review = cached_review(project)
    if acceptance.proposed_by_id == user.pk:
        raise ReviewRefused("Nobody approves their own proposal: someone else must approve it.")
    if not review.may_approve(acceptance, user.pk):
        raise ReviewRefused(f"Only {review.approver_wanted(acceptance)} can approve this.")
    finding = next((f for f in review.findings if f.key == acceptance.finding_key), None)
    if finding is None:
        raise ReviewRefused("That finding no longer exists — the data behind it changed.")
    if finding.finding.severity.rank < FindingSeverity(acceptance.severity).rank:
        raise ReviewRefused(
            f"The finding became {finding.finding.severity} after it was proposed as "
            f"{acceptance.severity}; the signatory must propose it again."
        )
    if acceptance.expires_on < site_today():
        raise ReviewRefused("This proposal expired before it was approved; propose it again.")
    executive = review.executive
    acceptance.approved_by = user
    acceptance.approver_name = person_name(user)
    acceptance.approver_role = (
        "accountable executive"
        if executive is not None and executive.user_id == user.pk
        else "project lead"
    )
    acceptance.approved_at = timezone.now()
    acceptance.save(update_fields=["approved_by", "approver_name", "approver_role", "approved_at"])
    _record_acceptance(
        project,
        acceptance,
        user,
        ActivityAction.APPROVED,
        f"approved, as {acceptance.approver_role}, accepting “{acceptance.finding_title}” as a "
        f"known risk until {acceptance.expires_on:%-d %b %Y} (proposed by "
        f"{acceptance.proposer_label})",
        [_change("approved_by", "Approved by", None, acceptance.approver_name)],
        via,
    )
    return acceptance


@transaction.atomic
def acceptance_withdraw(
    *,
    project: Project,
    acceptance: Acceptance,
    user: AbstractBaseUser,
    reason: str = "",
    via: str = ActivityVia.WEB,
) -> None:
    """Withdraw an acceptance (the check's signatory or a lead), or decline a proposal (anyone
    who could approve it). The finding is open again; the record is kept."""
    project.revision = project_lock(project)
    try:
        acceptance = _open_acceptance(project, acceptance.pk)
    except ReviewRefused:
        return  # a double submit: the first one withdrew it
    review = cached_review(project)
    signatory = review.check(acceptance.check_key).signatory
    is_signatory = signatory is not None and signatory.user_id == user.pk
    is_lead = user.pk in review.lead_ids
    declining = acceptance.approved_at is None and review.may_approve(acceptance, user.pk)
    if not (is_signatory or is_lead or declining):
        raise ReviewRefused(
            "Only the check's signatory, a project lead or the person asked to approve can "
            "withdraw this."
        )
    reason = reason.strip()
    _close(acceptance, user, reason)
    action = ActivityAction.DECLINED if declining and not is_signatory else ActivityAction.WITHDRAWN
    verb = "declined accepting" if action == ActivityAction.DECLINED else "withdrew accepting"
    _record_acceptance(
        project,
        acceptance,
        user,
        action,
        f"{verb} “{acceptance.finding_title}” as a known risk; the finding is open",
        [_change("withdraw_reason", "Reason", None, reason)],
        via,
    )


@transaction.atomic
def assurance_add(
    *,
    project: Project,
    review: AssuranceReview,
    user: AbstractBaseUser | None,
    via: str = ActivityVia.WEB,
) -> AssuranceReview:
    """Record an independent assurance review (an unsaved instance). Reviews are never
    edited: a changed opinion is a newer review."""
    project_lock(project)
    review.project = project
    review.recorded_by = user
    review.recorded_by_name = person_name(user)
    review.save()
    activity_record(
        project=project,
        actor=user,
        action=ActivityAction.CREATED,
        target_kind="assurance",
        target_id=review.pk,
        target_name=f"Assurance review by {review.reviewer}",
        summary=f"recorded an independent assurance review by {review.reviewer}: "
        f"{review.get_rating_display()} on {review.reviewed_on:%-d %b %Y}",
        changes=[
            _change("rating", "Rating", None, review.get_rating_display()),
            _change("summary", "Summary", None, review.summary),
            _change("caveats", "Caveats", None, review.caveats),
        ],
        via=via,
    )
    return review


def _same_signature(project: Project, owner: Owner, digest: str, **subject) -> SignOff | None:
    """The subject's current sign-off if it is this owner's signature of exactly this content:
    a second submit of the same signature returns it instead of adding a record."""
    latest = SignOff.objects.filter(project=project, **subject).order_by("-signed_at", "-pk")
    latest = latest.first()
    if (
        latest is not None
        and latest.revoked_at is None
        and latest.owner_id == owner.pk
        and latest.content_hash == digest
    ):
        return latest
    return None


def _refuse_if_changed(seen_hash: str | None, digest: str) -> None:
    if seen_hash is not None and seen_hash != digest:
        raise ContentChanged(
            "The content changed after you opened this page, so your signature was not "
            "recorded. Review the changes below, then sign again if you agree."
        )


def _record_signoff(signoff: SignOff, user, action, summary: str, changes, via) -> None:
    """A signature or its revocation, filed under the item or the check it covers."""
    target_kind, target_id = signoff_target(signoff)
    activity_record(
        project=signoff.project,
        check_key=signoff.check_key,
        actor=user,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        target_name=signoff.subject_name,
        summary=summary,
        changes=changes,
        via=via,
    )


@transaction.atomic
def check_sign(
    *,
    project: Project,
    check: CheckDefinition,
    statement: str,
    user: AbstractBaseUser,
    seen_hash: str | None = None,
    via: str = ActivityVia.WEB,
) -> SignOff:
    project.revision = project_lock(project)
    owner = _signatory_owner(project, check, user)
    review = cached_review(project).check(check.key)
    _refuse_if_changed(seen_hash, review.content_hash)
    if review.unanswered:
        raise ReviewRefused(
            f"{len(review.unanswered)} question(s) still need an answer before signing."
        )
    if review.open_blockers:
        raise ReviewRefused(
            f"{len(review.open_blockers)} blocker(s) are open: fix them or accept them first."
        )
    if review.needs_note:
        raise ReviewRefused(
            f"{len(review.needs_note)} answer(s) of Partly or No still need a note saying what "
            "is missing."
        )
    same = _same_signature(
        project, owner, review.content_hash, subject_kind=SubjectKind.CHECK, check_key=check.key
    )
    if same is not None:
        return same
    signoff = SignOff.objects.create(
        project=project,
        subject_kind=SubjectKind.CHECK,
        check_key=check.key,
        subject_name=_check_title(check),
        owner=owner,
        owner_name=owner.name,
        signer=user,
        signer_name=person_name(user),
        statement=statement.strip(),
        content_hash=review.content_hash,
        content=review.content,
    )
    _record_signoff(
        signoff,
        user,
        ActivityAction.SIGNED,
        f"signed {signoff.subject_name} as {signoff.owner_name}",
        [
            _change("statement", "Statement", None, signoff.statement),
            _change("content_hash", "Content hash", None, signoff.content_hash),
        ],
        via,
    )
    return signoff


def item_owner(kind: str, item: Model) -> Owner | None:
    return item.receiving_owner if kind == "handoffs" else item.decision_owner


@transaction.atomic
def item_sign(
    *,
    project: Project,
    kind: str,
    item: Model,
    statement: str,
    user: AbstractBaseUser,
    seen_hash: str | None = None,
    via: str = ActivityVia.WEB,
) -> SignOff:
    project.revision = project_lock(project)
    role = "receiving owner" if kind == "handoffs" else "decision owner"
    item = (
        type(item)
        .objects.select_related("receiving_owner" if kind == "handoffs" else "decision_owner")
        .get(pk=item.pk)
    )
    owner = item_owner(kind, item)
    if owner is None:
        raise ReviewRefused(f"This item has no {role} to sign it.")
    if owner.user_id != user.pk:
        raise ReviewRefused(f"Only {owner.name}, the {role}, can sign this.")
    review = cached_review(project)
    content = review.item_contents[(kind, item.pk)]
    digest = content_hash(content)
    _refuse_if_changed(seen_hash, digest)
    subject = {"handoff": item} if kind == "handoffs" else {"exception_case": item}
    same = _same_signature(project, owner, digest, **subject)
    if same is not None:
        return same
    signoff = SignOff.objects.create(
        project=project,
        subject_kind=ITEM_KINDS[kind],
        subject_name=str(item),
        owner=owner,
        owner_name=owner.name,
        signer=user,
        signer_name=person_name(user),
        statement=statement.strip(),
        content_hash=digest,
        content=content,
        **subject,
    )
    _record_signoff(
        signoff,
        user,
        ActivityAction.SIGNED,
        f"signed {signoff.subject_name} as {signoff.owner_name}",
        [
            _change("statement", "Statement", None, signoff.statement),
            _change("content_hash", "Content hash", None, signoff.content_hash),
        ],
        via,
    )
    return signoff


def signoff_target(signoff: SignOff) -> tuple[str, int | None]:
    """Where a sign-off's history entries are filed: the item, or the check by number."""
    if signoff.subject_kind == SubjectKind.HANDOFF:
        return "handoffs", signoff.handoff_id
    if signoff.subject_kind == SubjectKind.EXCEPTION:
        return "exceptions", signoff.exception_case_id
    return "check", get_check(signoff.check_key).number


@transaction.atomic
def signoff_revoke(
    *, signoff: SignOff, user: AbstractBaseUser, reason: str, via: str = ActivityVia.WEB
) -> SignOff:
    project_lock(signoff.project)
    signoff = SignOff.objects.select_related("project").get(pk=signoff.pk)
    if signoff.signer_id != user.pk:
        raise ReviewRefused("Only the person who signed can revoke their sign-off.")
    if signoff.revoked_at is not None:
        raise ReviewRefused("This sign-off was already revoked.")
    signoff.revoked_at = timezone.now()
    signoff.revoked_by = user
    signoff.revoke_reason = reason.strip()
    signoff.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _record_signoff(
        signoff,
        user,
        ActivityAction.REVOKED,
        f"revoked the sign-off of {signoff.subject_name}",
        [_change("revoke_reason", "Reason", None, signoff.revoke_reason)],
        via,
    )
    return signoff
