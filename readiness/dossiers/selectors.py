"""Reads of dossiers: a project's versions, one of them by URL, and the portfolio's rows."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from readiness.core.db import hot_cursor
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.projects.models import Membership, Project, Role
from readiness.projects.selectors import project_page_state, projects_for, projects_page_state
from readiness.reviews.state import ReviewSummaryView, summaries_for


def dossiers_for(project: Project) -> QuerySet[Dossier]:
    """Every version of the project's dossier, newest first."""
    return (
        Dossier.objects.filter(project=project)
        .select_related("requested_by")
        .defer("snapshot")  # the snapshot can be large and no page shows it
        .order_by("-number")
    )


def get_dossier_for(project: Project, pk: int) -> Dossier:
    """A dossier of this project, or 404: another project's dossier is not found here."""
    try:
        dossier = dossiers_for(project).get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404("No such dossier.") from None
    dossier.project = project  # already fetched, with the caller's role on it
    return dossier


def latest_ready_dossiers(projects: Iterable[Project]) -> dict[int, Dossier]:
    """The newest ready dossier of each project, by project id, in one query."""
    by_id = {p.pk: p for p in projects}
    newest = (
        Dossier.objects.filter(project=OuterRef("project"), status=DossierStatus.READY)
        .order_by("-number")
        .values("pk")[:1]
    )
    dossiers = (
        Dossier.objects.filter(project_id__in=list(by_id), status=DossierStatus.READY)
        .filter(pk=Subquery(newest))
        .defer("snapshot")
    )
    latest = {}
    for dossier in dossiers:
        dossier.project = by_id[dossier.project_id]
        latest[dossier.project_id] = dossier
    return latest


@dataclass
class PortfolioRow:
    project: Project
    review: ReviewSummaryView
    latest_dossier: Dossier | None


def portfolio_for(user: AbstractBaseUser) -> list[PortfolioRow]:
    """Every project the user may see, soonest go-live first, with its verdict and latest
    ready dossier. Two queries whatever the number and size of the projects, once their
    kept summaries are current (a project changed since is reviewed once).
    """
    summaries = summaries_for(projects_for(user).order_by("go_live_date", "name"))
    projects = [s.project for s in summaries.values()]
    latest = latest_ready_dossiers(projects)
    return [
        PortfolioRow(project=p, review=summaries[p.pk], latest_dossier=latest.get(p.pk))
        for p in projects
    ]


def lands_on_portfolio(user: AbstractBaseUser) -> bool:
    """Leadership — members who only ever view — start on the portfolio, not the project list."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True).distinct())
    return roles == {Role.VIEWER}


# --- What a kept page depends on (readiness.core.pages) ---------------------------------------
# Moves whenever a dossier is added, starts, finishes, fails or is retried. Read on every
# request of a kept page, so one plain statement rather than a built query.
_DOSSIERS_STATE_SQL = (
    "SELECT COUNT(*), COUNT(*) FILTER (WHERE status NOT IN (%s, %s)), MAX(id),"
    " MAX(started_at), MAX(finished_at), SUM(attempts), COUNT(*) FILTER (WHERE status = %s)"
    f" FROM {Dossier._meta.db_table} WHERE project_id IN ({{ids}})"
)
_FINISHED = [DossierStatus.READY.value, DossierStatus.FAILED.value]


def _dossiers_state(project_ids: list[int]) -> tuple | None:
    """None while a dossier is queued or rendering: its page follows the job, so it is not
    kept."""
    if not project_ids:
        return ()
    sql = _DOSSIERS_STATE_SQL.format(ids=", ".join(["%s"] * len(project_ids)))
    with hot_cursor() as cursor:
        cursor.execute(sql, [*_FINISHED, DossierStatus.READY.value, *project_ids])
        row = cursor.fetchone()
    return None if row[1] else tuple(row)


def dossier_list_state(request, slug: str, *args, **kwargs) -> tuple | None:
    project_state = project_page_state(request, slug)
    dossiers = _dossiers_state([project_state[0]])
    return None if dossiers is None else (project_state, dossiers)


def portfolio_state(request, *args, **kwargs) -> tuple | None:
    projects = projects_page_state(request)
    dossiers = _dossiers_state([row[0] for row in projects])
    return None if dossiers is None else (projects, dossiers)
