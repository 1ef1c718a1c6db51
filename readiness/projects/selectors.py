from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404

from readiness.projects.models import Membership, Project


def projects_for(user: AbstractBaseUser) -> QuerySet[Project]:
    """Projects the user is a member of, each with `my_role` annotated."""
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return Project.objects.filter(memberships__user=user).annotate(my_role=Subquery(role))


def get_project_for(user: AbstractBaseUser, slug: str, action: str = "view") -> Project:
    """The project behind a URL, or 404 if the user is not a member, 403 if not allowed.

    `action` is a permission suffix: view_project, edit_registers, manage_project, …
    """
    try:
        project = projects_for(user).get(slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    perm = f"projects.{action}" if "_" in action else f"projects.{action}_project"
    if not user.has_perm(perm, project):
        raise PermissionDenied
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
