import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404, QueryDict
from django.utils import timezone

from readiness.core.db import hot_cursor
from readiness.projects.models import ActivityEntry, Membership, Project


def projects_for(user: AbstractBaseUser) -> QuerySet[Project]:
    """Projects the user is a member of, each with `my_role` annotated."""
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return Project.objects.filter(memberships__user=user).annotate(my_role=Subquery(role))


def get_project_for(user: AbstractBaseUser, slug: str, action: str = "view") -> Project:
    """The project behind a URL, or 404 if the user is not a member, 403 if not allowed.

    `action` is a permission suffix: view_project, edit_registers, manage_project, …
    """
    # One plain join (membership → project): the cheapest way to the project and the role.
    membership = (
        Membership.objects.filter(user=user, project__slug=slug)
        .select_related("project")
        .only("role", "project")
        .first()
    )
    if membership is None:
        raise Http404("No such project.")
    project = membership.project
    project.my_role = membership.role
    perm = f"projects.{action}" if "_" in action else f"projects.{action}_project"
    if not user.has_perm(perm, project):
        raise PermissionDenied
    # The page shows its times in the project's zone (ProjectTimeZoneMiddleware resets it).
    timezone.activate(project.zone)
    return project


def project_list_for(user: AbstractBaseUser) -> QuerySet[Project]:
    # A subquery: counting the joined memberships would count only the user's own.
    members = (
        Membership.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return projects_for(user).annotate(member_count=Subquery(members))


ACTIVITY_PAGE_SIZE = 50

# What the Activity page's "Register" filter offers: register kinds, and the review's parts.
ACTIVITY_AREAS = {
    "data-elements": ("Data elements", ["data-elements"]),
    "handoffs": ("Handoffs", ["handoffs"]),
    "exceptions": ("Exception cases", ["exceptions"]),
    "reports": ("Reports", ["reports"]),
    "duties": ("Duties after launch", ["duties"]),
    "owners": ("Owners", ["owners"]),
    "systems": ("Systems", ["systems"]),
    "review": (
        "Checks: answers, risks, findings, sign-offs",
        ["answer", "risk", "finding", "check", "signatory"],
    ),
    "project": ("Project settings and members", ["project", "member"]),
    "dossiers": ("Dossiers", ["dossier"]),
}
# History entries about register items link to the item's page (the kinds are register keys).
ITEM_KINDS = {key for key, (_, kinds) in ACTIVITY_AREAS.items() if kinds == [key]}


@dataclass
class ActivityFilters:
    area: str = ""
    person: int | None = None
    item: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    errors: list[str] = field(default_factory=list)


def _date_param(params: QueryDict, name: str, label: str, errors: list[str]):
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label}: “{value[:20]}” is not a date (use YYYY-MM-DD).")
        return None


def _plain_number(value: str) -> bool:
    # isdigit() alone lets "²" through, which int() refuses.
    return value.isascii() and value.isdigit() and len(value) < 12


def activity_filters(params: QueryDict) -> ActivityFilters:
    """The Activity page's filters from a query string; unknown values are ignored, not errors."""
    errors: list[str] = []
    area = params.get("register", "")
    person = params.get("person", "")
    item = params.get("item", "")
    return ActivityFilters(
        area=area if area in ACTIVITY_AREAS else "",
        person=int(person) if _plain_number(person) else None,
        item=int(item) if _plain_number(item) and area else None,
        date_from=_date_param(params, "from", "From", errors),
        date_to=_date_param(params, "to", "To", errors),
        errors=errors,
    )


def activity_page(*, project: Project, filters: ActivityFilters, page: str | None) -> Page:
    """One page of the project's history, newest first; its cost does not grow with length."""
    qs = ActivityEntry.objects.filter(project=project).order_by("-seq")
    if filters.area:
        qs = qs.filter(target_kind__in=ACTIVITY_AREAS[filters.area][1])
    if filters.item is not None:
        qs = qs.filter(target_id=filters.item)
    if filters.person is not None:
        qs = qs.filter(actor_id=filters.person)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=tz)
        qs = qs.filter(at__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(filters.date_to, datetime.time.max, tzinfo=tz)
        qs = qs.filter(at__lte=end)
    return Paginator(qs, ACTIVITY_PAGE_SIZE).get_page(page)


def activity_people(project: Project) -> QuerySet:
    """Everyone who appears in the project's history, for the person filter."""
    user_model = get_user_model()
    actors = ActivityEntry.objects.filter(project=project, actor__isnull=False).values("actor")
    return user_model.objects.filter(pk__in=actors).order_by("first_name", "last_name", "username")


def recent_activity(project: Project, limit: int = 6) -> list[ActivityEntry]:
    return list(ActivityEntry.objects.filter(project=project).order_by("-seq")[:limit])


# --- What a kept page depends on (readiness.core.pages) ---------------------------------------


def project_page_state(request, slug: str, *args, **kwargs) -> tuple:
    """What a page of one project shows depends on: the project's revision (every recorded
    change to the review moves it), its history head (every recorded entry moves it) and the
    user's role. Checks access exactly as the page does: 404 for a non-member."""
    # Every member may view (projects.view_project), so the membership is the access check.
    # Read with the session's user (projects.auth.MemberBackend), else one plain statement.
    states = getattr(request.user, "membership_states", None)
    if states is not None:
        row = states.get(slug)
    else:
        with hot_cursor() as cursor:
            cursor.execute(_PAGE_STATE_SQL, [request.user.pk, slug])
            row = cursor.fetchone()
    if row is None:
        raise Http404("No such project.")
    return tuple(row)


_MEMBERSHIP_STATE_SQL = (
    f"SELECT p.id, p.revision, p.history_head, m.role"
    f" FROM {Membership._meta.db_table} m JOIN {Project._meta.db_table} p ON p.id = m.project_id"
    f" WHERE m.user_id = %s"
)
_PAGE_STATE_SQL = _MEMBERSHIP_STATE_SQL + " AND p.slug = %s"
_PROJECTS_STATE_SQL = _MEMBERSHIP_STATE_SQL + " ORDER BY p.id"


def projects_page_state(request, *args, **kwargs) -> tuple:
    """The same for a page about all of the user's projects: one row per membership."""
    states = getattr(request.user, "membership_states", None)
    if states is not None:
        return tuple(sorted(states.values()))
    with hot_cursor() as cursor:
        cursor.execute(_PROJECTS_STATE_SQL, [request.user.pk])
        return tuple(tuple(row) for row in cursor.fetchall())
