"""The review's state, kept current by the one write path instead of recomputed per request.

Every recorded change bumps the project's revision in the change's transaction
(projects.activity). A review computed for (project, revision, day, check definitions) is
therefore valid until one of those moves, and is kept:

- in this process's memory, whole (pages that show a project: overview, checks, registers);
- in the database as a `ReviewSummary`: verdict, check statuses and who waits for what — what
  the portfolio and the navigation count need for *many* projects, read in one query.

The day is part of the key because day counts, and the warning signs that escalate near plan
lock, change at midnight.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from readiness.core.clock import site_today
from readiness.projects.models import Project, Role
from readiness.projects.selectors import projects_for
from readiness.reviews.checks import CHECKS
from readiness.reviews.definitions import CheckDefinition
from readiness.reviews.models import ReviewSummary
from readiness.reviews.selectors import (
    ProjectReview,
    WaitingItem,
    project_review,
    reviews_of_request,
    waiting_in,
)
from readiness.reviews.verdict import CheckStatus, Verdict

# Part of every kept summary's key: the check definitions, and the shape of what is kept
# (bump SUMMARY_FORMAT when the verdict or the review gains something a summary must hold).
SUMMARY_FORMAT = 3  # 3: the verdict lists blockers per check, with item and owner
DEFINITIONS = f"f{SUMMARY_FORMAT};" + ",".join(f"{c.key}:{c.version}" for c in CHECKS)
KEPT_REVIEWS = 12  # per process; a 2,800-item project's review holds about 18 MB

_kept: OrderedDict[tuple, ProjectReview] = OrderedDict()
_lock = threading.Lock()


def _key(project: Project, today: date) -> tuple:
    return (project.pk, project.revision, today, DEFINITIONS)


def forget_kept_reviews() -> None:
    """Drop this process's kept reviews (tests start from a clean slate)."""
    with _lock:
        _kept.clear()


def cached_review(project: Project, *, today: date | None = None) -> ProjectReview:
    """The project's review for its current revision and today: computed once, then kept.

    `project.revision` must be as read from the database at the start of the request.
    """
    today = today or site_today()
    key = _key(project, today)
    with _lock:
        review = _kept.get(key)
        if review is not None:
            _kept.move_to_end(key)
            return review
    review = project_review(project, today=today)
    with _lock:
        _kept[key] = review
        while len(_kept) > KEPT_REVIEWS:
            _kept.popitem(last=False)
    summary_store(review, revision=project.revision, today=today)
    return review


# --- Summaries --------------------------------------------------------------------------------


def waiting_key(user_id: int) -> str:
    # Not the bare id: a JSON key that looks like a number reads as an array index in SQL.
    return f"user{int(user_id)}"


def _waiting_counts(review: ProjectReview) -> dict[str, int]:
    users = {o.user_id for o in review.data.owners if o.user_id is not None} | review.lead_ids
    counts = {waiting_key(u): len(waiting_in(review, u)) for u in users}
    return {u: n for u, n in counts.items() if n}


def summary_store(review: ProjectReview, *, revision: int, today: date) -> None:
    values = {
        "revision": revision,
        "day": today,
        "definitions": DEFINITIONS,
        "verdict": review.verdict.as_json(),
        "checks": {c.key: str(c.status) for c in review.checks},
        "waiting": _waiting_counts(review),
    }
    # One INSERT … ON CONFLICT UPDATE: the same single query whether or not a summary exists,
    # and two requests storing at the same moment cannot collide.
    ReviewSummary.objects.bulk_create(
        [ReviewSummary(project_id=review.project.pk, computed_at=timezone.now(), **values)],
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=[*values, "computed_at"],
    )


@dataclass(frozen=True)
class CheckSummary:
    definition: CheckDefinition
    status: CheckStatus

    @property
    def key(self) -> str:
        return self.definition.key


@dataclass(frozen=True)
class ReviewSummaryView:
    """The parts of a ProjectReview that the portfolio shows, read from a stored summary."""

    project: Project
    verdict: Verdict
    checks: tuple[CheckSummary, ...]
    waiting: dict[str, int]


def _current(summary: ReviewSummary, project: Project, today: date) -> bool:
    return (
        summary.revision == project.revision
        and summary.day == today
        and summary.definitions == DEFINITIONS
    )


def _view(project: Project, summary: ReviewSummary) -> ReviewSummaryView:
    verdict = Verdict.from_json(summary.verdict)
    checks = tuple(CheckSummary(c, CheckStatus(summary.checks[c.key])) for c in CHECKS)
    return ReviewSummaryView(project, verdict, checks, summary.waiting)


def summaries_for(projects: QuerySet[Project]) -> dict[int, ReviewSummaryView]:
    """The kept summary of each project, read with the projects in one query; a project
    changed since its summary was stored (or not summarized today) is reviewed once, which
    stores a fresh summary."""
    today = site_today()
    views = {}
    for project in projects.select_related("review_summary"):
        summary = getattr(project, "review_summary", None)
        if summary is not None and _current(summary, project, today):
            views[project.pk] = _view(project, summary)
            continue
        review = cached_review(project, today=today)
        summary_store(review, revision=project.revision, today=today)
        views[project.pk] = ReviewSummaryView(
            project,
            review.verdict,
            tuple(CheckSummary(c.definition, c.status) for c in review.checks),
            _waiting_counts(review),
        )
    return views


def pending_signoff_count(user: AbstractBaseUser) -> int:
    """How many sign-offs wait for the user across their projects: one light query (each
    project's revision beside its summary's key and this user's count), whatever the number
    and size of those projects, once their summaries are current."""
    today = site_today()
    projects = with_something_to_sign(Project.objects.all(), user)
    rows = projects.values_list(
        "pk",
        "revision",
        "review_summary__revision",
        "review_summary__day",
        "review_summary__definitions",
        f"review_summary__waiting__{waiting_key(user.pk)}",
    )
    total, outdated = 0, []
    for pk, revision, kept_revision, day, definitions, count in rows:
        if (kept_revision, day, definitions) == (revision, today, DEFINITIONS):
            total += int(count or 0)
        else:
            outdated.append(pk)
    if outdated:
        views = summaries_for(projects_for(user).filter(pk__in=outdated))
        total += sum(v.waiting.get(waiting_key(user.pk), 0) for v in views.values())
    return total


def with_something_to_sign(projects: QuerySet[Project], user: AbstractBaseUser):
    """The projects where this user may have something to sign or approve: where they are a
    named owner, or a lead (leads approve accepting findings)."""
    return projects.filter(
        Q(memberships__user=user) & (Q(owners__user=user) | Q(memberships__role=Role.LEAD))
    ).distinct()


# --- What pages read -------------------------------------------------------------------------


def project_review_for(request, project: Project) -> ProjectReview:
    """The review of a project for a page: kept between requests until the project changes,
    fetched at most once per request."""
    reviews = reviews_of_request(request)
    if project.pk not in reviews:
        reviews[project.pk] = cached_review(project)
    return reviews[project.pk]


def signoffs_for(
    user: AbstractBaseUser, *, reviews: dict[int, ProjectReview] | None = None
) -> list[WaitingItem]:
    """What waits for this user's signature across projects, and their sign-offs gone stale."""
    reviews = {} if reviews is None else reviews
    waiting: list[WaitingItem] = []
    for project in with_something_to_sign(projects_for(user), user):
        if project.pk not in reviews:
            reviews[project.pk] = cached_review(project)
        waiting += waiting_in(reviews[project.pk], user.pk)
    return waiting
