from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.core.http import htmx_redirect
from readiness.core.locking import DuplicateEntry, EditConflict
from readiness.core.pages import kept_page
from readiness.projects import services
from readiness.projects.forms import MemberAddForm, MemberRoleForm, ProjectForm
from readiness.projects.models import Membership, Role
from readiness.projects.selectors import (
    ACTIVITY_AREAS,
    ITEM_KINDS,
    activity_filters,
    activity_page,
    activity_people,
    get_project_for,
    project_list_for,
    project_page_state,
    projects_page_state,
)


@require_GET
@kept_page(projects_page_state)
def project_list(request: HttpRequest) -> HttpResponse:
    projects = project_list_for(request.user)
    return render(request, "projects/list.html", {"projects": projects})


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(form=form, creator=request.user)
        except DuplicateEntry:
            pass  # the form says what was taken
        else:
            messages.success(request, f"Project “{project}” created. You are its lead.")
            return htmx_redirect(request, project.get_absolute_url())
    return render(request, "projects/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "manage")
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(form=form, user=request.user)
        except EditConflict:
            form.add_conflict_error()
        except DuplicateEntry:
            pass  # the form says what was taken
        else:
            messages.success(request, "Project settings saved.")
            return htmx_redirect(request, project.get_absolute_url())
    return render(request, "projects/form.html", {"form": form, "project": project})


def _members_page(request, project, add_form, status=200) -> HttpResponse:
    memberships = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "memberships": memberships,
            "add_form": add_form,
            "roles": Role.choices,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@kept_page(project_page_state)
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "manage")
    form = MemberAddForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(
                project=project,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except services.AlreadyMember:
            form.add_error("user", f"{form.cleaned_data['user'].username} is already a member.")
        else:
            messages.success(
                request, f"{member.user.username} added as {member.get_role_display()}."
            )
            return redirect("projects:members", slug=project.slug)
    return _members_page(request, project, form)


def _get_membership(project, pk) -> Membership:
    try:
        return project.memberships.select_related("user").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("No such member.") from None


def _last_lead_refused(request, project) -> HttpResponse:
    """Refused (403): the members page again, saying why."""
    messages.error(request, "A project needs at least one lead.")
    return _members_page(request, project, MemberAddForm(project=project), status=403)


@require_POST
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "manage")
    membership = _get_membership(project, pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            services.member_change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except services.LastLeadError:
            return _last_lead_refused(request, project)
        else:
            messages.success(
                request,
                f"{membership.user.username} is now {membership.get_role_display().lower()}.",
            )
    else:
        messages.error(request, "Choose a valid role.")
    return redirect("projects:members", slug=project.slug)


@require_POST
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "manage")
    membership = _get_membership(project, pk)
    try:
        services.member_remove(membership=membership, by=request.user)
    except services.LastLeadError:
        return _last_lead_refused(request, project)
    messages.success(request, f"{membership.user.username} removed from the project.")
    if membership.user_id == request.user.id:
        return redirect(reverse("projects:list"))
    return redirect("projects:members", slug=project.slug)


@require_GET
@kept_page(project_page_state)
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    filters = activity_filters(request.GET)
    page = activity_page(project=project, filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/activity.html",
        {
            "project": project,
            "page": page,
            "entries": page.object_list,
            "filters": filters,
            "areas": [(key, label) for key, (label, _) in ACTIVITY_AREAS.items()],
            "people": activity_people(project),
            "query": query.urlencode(),
            "item_kinds": ITEM_KINDS,
        },
    )
