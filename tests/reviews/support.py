"""Builders shared by the guided-review tests: owners who can sign, answers, clean items."""

from django.urls import reverse

from readiness.projects.models import Role
from readiness.registers.models import Mechanism, Severity, TestStatus
from readiness.reviews.checks import CHECKS, get_check
from readiness.reviews.models import Answer, CheckSignatory
from tests.factories import (
    ExceptionCaseFactory,
    HandoffFactory,
    MembershipFactory,
    OwnerFactory,
    UserFactory,
)

CHECK_KEYS = [c.key for c in CHECKS]
STEPS = ["register", "questions", "findings", "signoff"]
HTMX = {"HX-Request": "true"}


def member_owner(project, username, role=Role.CONTRIBUTOR, name=None):
    """A member of `project` who is also a named owner linked to their account."""
    user = UserFactory(username=username)
    MembershipFactory(project=project, user=user, role=role)
    owner = OwnerFactory(project=project, user=user, name=name or username.title())
    return user, owner


def name_signatory(project, check_key, owner):
    return CheckSignatory.objects.create(project=project, check_key=check_key, owner=owner)


def answer_all(project, check_key, answer="yes", user=None, skip=()):
    for q in get_check(check_key).questions:
        if q.key in skip:
            continue
        Answer.objects.update_or_create(
            project=project,
            check_key=check_key,
            question_key=q.key,
            defaults={"answer": answer, "note": "", "answered_by": user},
        )


def clean_handoff(project, owner, **kwargs):
    """A handoff none of the warning-sign rules objects to."""
    values = {
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Retries three times, then a person reviews.",
        "rules_state": "written",
        "human_checkpoint": "yes",
        "receiving_owner": owner,
        "fixer": owner,
        **kwargs,
    }
    return HandoffFactory(project=project, **values)


def clean_exception(project, owner, **kwargs):
    values = {
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.PASSED,
        "tested_on": project.plan_lock_date,
        "decision_owner": owner,
        **kwargs,
    }
    return ExceptionCaseFactory(project=project, **values)


def check_url(project, key, step="questions"):
    return reverse("reviews:check", kwargs={"slug": project.slug, "key": key, "step": step})


def action_url(project, name, key, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"slug": project.slug, "key": key, **kwargs})


def item_signoff_url(project, kind, item):
    return reverse(
        "reviews:item-signoff", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk}
    )


def answer_url(project, key, question):
    return action_url(project, "answer-save", key, question=question)


def item_url(project, kind, item):
    return reverse("reviews:item", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk})
