"""E-mail reminders: what waits for each person's signature, and plan locks coming up.

Beat runs `send_reminders` every weekday morning. A person hears from us only while something
is theirs to act on, so the e-mail stops by itself once everything is signed and current.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from readiness.core.clock import site_today
from readiness.projects.models import Owner, Project
from readiness.projects.selectors import projects_for
from readiness.reviews.selectors import ProjectReview, WaitingItem, project_review
from readiness.reviews.state import signoffs_for
from readiness.reviews.verdict import VerdictState

# How far ahead a plan lock on a project that is not ready yet is worth a line in the e-mail.
PLAN_LOCK_WINDOW_DAYS = 14


@dataclass
class PlanLockSoon:
    project: Project
    days: int
    open_points: int

    @property
    def url(self) -> str:
        return self.project.get_absolute_url()


@dataclass
class Reminder:
    user: AbstractBaseUser
    waiting: list[WaitingItem] = field(default_factory=list)
    stale: list[WaitingItem] = field(default_factory=list)
    plan_locks: list[PlanLockSoon] = field(default_factory=list)
    approvals: list[WaitingItem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.waiting or self.stale or self.plan_locks or self.approvals)


def reminders_due(*, today: dt.date) -> list[Reminder]:
    """One reminder per active member who has something to act on, in username order.

    Each project is reviewed at most once per run, however many of its members are reminded.
    """
    reviews: dict[int, ProjectReview] = {}

    def review_of(project: Project) -> ProjectReview:
        if project.pk not in reviews:
            reviews[project.pk] = project_review(project, today=today)
        return reviews[project.pk]

    users = (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .order_by("username")
    )
    reminders = []
    for user in users:
        projects = projects_for(user).annotate(
            is_owner=Exists(Owner.objects.filter(project=OuterRef("pk"), user=user))
        )
        reminder = Reminder(user=user)
        for project in projects:
            days = (project.plan_lock_date - today).days
            lock_soon = 0 <= days <= PLAN_LOCK_WINDOW_DAYS
            if not (project.is_owner or lock_soon):
                continue
            # Reviewed here with `today`, so signoffs_for below finds it cached.
            verdict = review_of(project).verdict
            if lock_soon and verdict.state == VerdictState.NOT_READY:
                reminder.plan_locks.append(
                    PlanLockSoon(
                        project=project,
                        days=days,
                        open_points=verdict.blocker_count
                        + len(verdict.unsigned_checks)
                        + len(verdict.other_reasons),
                    )
                )
        for item in signoffs_for(user, reviews=reviews):
            if item.kind == "approval":
                reminder.approvals.append(item)
            else:
                (reminder.stale if item.stale else reminder.waiting).append(item)
        if reminder:
            reminders.append(reminder)
    return reminders


def reminder_subject(reminder: Reminder) -> str:
    parts = []
    waiting, stale = len(reminder.waiting), len(reminder.stale)
    if waiting:
        parts.append(
            f"{waiting} sign-off waits for you"
            if waiting == 1
            else f"{waiting} sign-offs wait for you"
        )
    if stale:
        parts.append(f"{stale} went stale" if waiting else f"{stale} of your sign-offs went stale")
    approvals = len(reminder.approvals)
    if approvals:
        parts.append(
            "1 acceptance waits for your approval"
            if approvals == 1
            else f"{approvals} acceptances wait for your approval"
        )
    if not parts:
        if len(reminder.plan_locks) == 1:
            lock = reminder.plan_locks[0]
            parts.append(f"{lock.project.name} locks its plan {_in_days(lock.days)}")
        else:
            parts.append(f"{len(reminder.plan_locks)} plans lock soon")
    return "Rollout Readiness: " + ", ".join(parts)


def _in_days(days: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def send_reminders(*, today: dt.date | None = None, base_url: str) -> int:
    """Send each reminder as plain text and HTML; returns how many e-mails went out.

    People without an e-mail address are skipped: there is nowhere to send theirs.
    """
    today = today or site_today()
    base_url = base_url.rstrip("/")
    messages = []
    for reminder in reminders_due(today=today):
        user = reminder.user
        if not user.email:
            continue
        context = {
            "name": user.first_name or user.get_username(),
            "reminder": reminder,
            "plan_locks": [(lock, _in_days(lock.days)) for lock in reminder.plan_locks],
            "base_url": base_url,
            "my_signoffs_url": base_url + reverse("reviews:my-signoffs"),
        }
        message = mail.EmailMultiAlternatives(
            subject=reminder_subject(reminder),
            body=render_to_string("emails/reminder.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("emails/reminder.html", context), "text/html")
        messages.append(message)
    if not messages:
        return 0
    return mail.get_connection().send_messages(messages) or 0
