"""Writes of the guided review. Each checks the rule it enforces and raises ReviewRefused.

Every write records itself in the project's activity history, in its own transaction.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from readiness.projects.activity import activity_record, project_lock
from readiness.projects.models import ActivityAction, ActivityVia, Owner, Project
from readiness.reviews.checks import get_check
from readiness.reviews.definitions import CheckDefinition
from readiness.reviews.models import (
    Acceptance,
    Answer,
    AnswerChoice,
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


@transaction.atomic
def finding_accept(
    *,
    project: Project,
    check: CheckDefinition,
    finding_key: str,
    rationale: str,
    user: AbstractBaseUser,
    via: str = ActivityVia.WEB,
) -> Acceptance:
    project.revision = project_lock(project)
    owner = _signatory_owner(project, check, user)
    rationale = rationale.strip()
    if len(rationale) < 10:
        raise ReviewRefused("Write why this risk is acceptable (at least a sentence).")
    review = cached_review(project).check(check.key)
    finding = next((f for f in review.findings if f.key == finding_key), None)
    if finding is None:
        raise ReviewRefused("That finding no longer exists — the data behind it changed.")
    if finding.acceptance is not None:
        raise ReviewRefused("That finding is already accepted.")
    acceptance = Acceptance.objects.create(
        project=project,
        check_key=check.key,
        finding_key=finding_key,
        finding_title=finding.finding.title,
        rationale=rationale,
        owner=owner,
        owner_name=owner.name,
        accepted_by=user,
    )
    activity_record(
        project=project,
        check_key=check.key,
        actor=user,
        action=ActivityAction.ACCEPTED,
        target_kind="finding",
        target_id=acceptance.pk,
        target_name=finding.finding.title,
        summary=f"accepted the finding “{finding.finding.title}” in {_check_title(check)} "
        f"as a known risk",
        changes=[_change("rationale", "Rationale", None, rationale)],
        via=via,
    )
    return acceptance


@transaction.atomic
def acceptance_withdraw(
    *,
    project: Project,
    check: CheckDefinition,
    acceptance: Acceptance,
    user: AbstractBaseUser,
    via: str = ActivityVia.WEB,
) -> None:
    project_lock(project)
    _signatory_owner(project, check, user)
    acceptance = Acceptance.objects.get(pk=acceptance.pk)
    if acceptance.withdrawn_at is not None:
        return  # a double submit: the first one withdrew it
    acceptance.withdrawn_at = timezone.now()
    acceptance.save(update_fields=["withdrawn_at"])
    activity_record(
        project=project,
        check_key=check.key,
        actor=user,
        action=ActivityAction.WITHDRAWN,
        target_kind="finding",
        target_id=acceptance.pk,
        target_name=acceptance.finding_title,
        summary=f"withdrew the acceptance of “{acceptance.finding_title}”; the finding is "
        f"open again",
        changes=[_change("rationale", "Rationale", acceptance.rationale, None)],
        via=via,
    )


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
