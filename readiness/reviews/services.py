"""Writes of the guided review. Each checks the rule it enforces and raises ReviewRefused."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from readiness.projects.models import Owner, Project
from readiness.reviews.definitions import CheckDefinition
from readiness.reviews.models import (
    Acceptance,
    Answer,
    CheckSignatory,
    Risk,
    SignOff,
    SubjectKind,
)
from readiness.reviews.selectors import ITEM_KINDS, project_review
from readiness.reviews.signing import content_hash


class ReviewRefused(Exception):
    """A review action that the rules do not allow; the message says why, for the user."""


def answer_save(
    *,
    project: Project,
    check: CheckDefinition,
    question_key: str,
    answer: str,
    note: str,
    user: AbstractBaseUser,
) -> Answer:
    if question_key not in {q.key for q in check.questions}:
        raise ReviewRefused("No such question in this check.")
    obj, _ = Answer.objects.update_or_create(
        project=project,
        check_key=check.key,
        question_key=question_key,
        defaults={"answer": answer, "note": note.strip(), "answered_by": user},
    )
    return obj


def signatory_set(*, project: Project, check: CheckDefinition, owner: Owner | None) -> None:
    if owner is None:
        CheckSignatory.objects.filter(project=project, check_key=check.key).delete()
        return
    if owner.project_id != project.pk or owner.user_id is None:
        raise ReviewRefused("A signatory must be an owner of this project with a user account.")
    CheckSignatory.objects.update_or_create(
        project=project, check_key=check.key, defaults={"owner": owner}
    )


def risk_add(
    *,
    project: Project,
    check: CheckDefinition,
    title: str,
    detail: str,
    severity: str,
    user: AbstractBaseUser,
) -> Risk:
    return Risk.objects.create(
        project=project,
        check_key=check.key,
        title=title,
        detail=detail,
        severity=severity,
        created_by=user,
    )


def risk_delete(*, risk: Risk) -> None:
    if Acceptance.objects.filter(
        project=risk.project_id, finding_key=risk.finding_key, withdrawn_at__isnull=True
    ).exists():
        raise ReviewRefused("This risk was accepted by the signatory; withdraw that first.")
    risk.delete()


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
) -> Acceptance:
    owner = _signatory_owner(project, check, user)
    rationale = rationale.strip()
    if len(rationale) < 10:
        raise ReviewRefused("Write why this risk is acceptable (at least a sentence).")
    review = project_review(project).check(check.key)
    finding = next((f for f in review.findings if f.key == finding_key), None)
    if finding is None:
        raise ReviewRefused("That finding no longer exists — the data behind it changed.")
    if finding.acceptance is not None:
        raise ReviewRefused("That finding is already accepted.")
    return Acceptance.objects.create(
        project=project,
        check_key=check.key,
        finding_key=finding_key,
        finding_title=finding.finding.title,
        rationale=rationale,
        owner=owner,
        owner_name=owner.name,
        accepted_by=user,
    )


def acceptance_withdraw(
    *, project: Project, check: CheckDefinition, acceptance: Acceptance, user: AbstractBaseUser
) -> None:
    _signatory_owner(project, check, user)
    acceptance.withdrawn_at = timezone.now()
    acceptance.save(update_fields=["withdrawn_at"])


@transaction.atomic
def check_sign(
    *, project: Project, check: CheckDefinition, statement: str, user: AbstractBaseUser
) -> SignOff:
    owner = _signatory_owner(project, check, user)
    review = project_review(project).check(check.key)
    if review.unanswered:
        raise ReviewRefused(
            f"{len(review.unanswered)} question(s) still need an answer before signing."
        )
    if review.open_blockers:
        raise ReviewRefused(
            f"{len(review.open_blockers)} blocker(s) are open: fix them or accept them first."
        )
    return SignOff.objects.create(
        project=project,
        subject_kind=SubjectKind.CHECK,
        check_key=check.key,
        subject_name=f"Check {check.number} · {check.title}",
        owner=owner,
        owner_name=owner.name,
        signer=user,
        statement=statement.strip(),
        content_hash=review.content_hash,
        content=review.content,
    )


def item_owner(kind: str, item: Model) -> Owner | None:
    return item.receiving_owner if kind == "handoffs" else item.decision_owner


@transaction.atomic
def item_sign(
    *, project: Project, kind: str, item: Model, statement: str, user: AbstractBaseUser
) -> SignOff:
    owner = item_owner(kind, item)
    role = "receiving owner" if kind == "handoffs" else "decision owner"
    if owner is None:
        raise ReviewRefused(f"This item has no {role} to sign it.")
    if owner.user_id != user.pk:
        raise ReviewRefused(f"Only {owner.name}, the {role}, can sign this.")
    review = project_review(project)
    content = review.item_contents[(kind, item.pk)]
    return SignOff.objects.create(
        project=project,
        subject_kind=ITEM_KINDS[kind],
        handoff=item if kind == "handoffs" else None,
        exception_case=item if kind == "exceptions" else None,
        subject_name=str(item),
        owner=owner,
        owner_name=owner.name,
        signer=user,
        statement=statement.strip(),
        content_hash=content_hash(content),
        content=content,
    )


def signoff_revoke(*, signoff: SignOff, user: AbstractBaseUser, reason: str) -> SignOff:
    if signoff.signer_id != user.pk:
        raise ReviewRefused("Only the person who signed can revoke their sign-off.")
    if signoff.revoked_at is not None:
        raise ReviewRefused("This sign-off was already revoked.")
    signoff.revoked_at = timezone.now()
    signoff.revoked_by = user
    signoff.revoke_reason = reason.strip()
    signoff.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return signoff
