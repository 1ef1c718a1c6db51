"""Readiness dossiers on the web: request one, watch it render, download it."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from readiness.core.pages import kept_page
from readiness.dossiers import jobs, services
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.dossiers.selectors import dossier_list_state, dossiers_for, get_dossier_for
from readiness.projects.models import Project
from readiness.projects.selectors import get_project_for


def _list_context(project: Project, **extra) -> dict:
    dossiers = list(dossiers_for(project))
    unfinished = [d for d in dossiers if not d.is_finished]
    # The panel follows the dossier still in the works; failing that, a newest one that failed.
    failed_last = dossiers[:1] if dossiers and dossiers[0].status == DossierStatus.FAILED else []
    current = (unfinished or failed_last or [None])[0]
    busy = bool(unfinished)
    return {"project": project, "dossiers": dossiers, "current": current, "busy": busy, **extra}


def _status_update(
    request: HttpRequest, project: Project, dossier: Dossier, *, unchanged: bool = False
) -> HttpResponse:
    """The dossier's status panel, and the list of versions swapped out of band with it."""
    context = _list_context(
        project, dossier=dossier, oob_table=True, unchanged=unchanged, oob_generate=True
    )
    return render(request, "dossiers/list.html#dossier-update", context)


def _list_url(project: Project, dossier: Dossier | None = None) -> str:
    url = reverse("dossiers:list", kwargs={"slug": project.slug})
    return f"{url}#dossier-{dossier.pk}" if dossier else url


@require_GET
@kept_page(dossier_list_state)
def dossier_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    return render(request, "dossiers/list.html", _list_context(project))


@require_POST
def dossier_request(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "request_dossier")
    # Only a lead may render a new version of content a ready dossier already shows.
    force = request.POST.get("force") == "1" and request.user.has_perm(
        "projects.manage_project", project
    )
    dossier = jobs.dossier_request_and_queue(
        project=project, user=request.user, reuse_ready=not force
    )
    unchanged = getattr(dossier, "unchanged", False)
    # Re-read: with an eager worker the dossier may already be rendered (or have failed).
    dossier = get_dossier_for(project, dossier.pk)
    if request.htmx:
        return _status_update(request, project, dossier, unchanged=unchanged)
    if unchanged:
        messages.info(
            request,
            f"Nothing changed since dossier v{dossier.number}: its PDF shows the current state.",
        )
    elif dossier.status == DossierStatus.FAILED and dossier.error == services.RENDERER_UNAVAILABLE:
        messages.error(request, services.RENDERER_UNAVAILABLE)
    else:
        messages.success(request, f"Dossier v{dossier.number} requested.")
    return redirect(_list_url(project, dossier))


@require_GET
def dossier_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    dossier = get_dossier_for(project, pk)
    if not request.htmx:
        return redirect(_list_url(project, dossier))
    return _status_update(request, project, dossier)


@require_POST
def dossier_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "request_dossier")
    dossier = get_dossier_for(project, pk)
    try:
        jobs.dossier_retry_and_queue(dossier=dossier)
    except services.DossierRefused as refused:
        # A second click, or another member retried first: show where it stands instead.
        level, message = messages.WARNING, str(refused)
    else:
        level, message = messages.SUCCESS, f"Dossier v{dossier.number} queued again."
    if request.htmx:
        return _status_update(request, project, get_dossier_for(project, pk))
    messages.add_message(request, level, message)
    return redirect(_list_url(project, dossier))


@require_GET
@cache_control(private=True, no_store=True)
def dossier_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    project = get_project_for(request.user, slug, "view")
    dossier = get_dossier_for(project, pk)
    if dossier.status != DossierStatus.READY or not dossier.file:
        raise Http404("This dossier has no file to download.")
    try:
        handle = dossier.file.open("rb")  # the storage API: a local file or an S3 object
    except OSError:
        raise Http404("The dossier's file is missing.") from None
    return FileResponse(
        handle, as_attachment=True, filename=dossier.download_name, content_type="application/pdf"
    )
