"""Export a register or the whole project; import a file through a preview and a commit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.core.http import htmx_redirect
from readiness.projects.selectors import get_project_for
from readiness.registers.selectors import register_filtered
from readiness.registers.specs import SPECS, get_spec
from readiness.transfer import jobs, services
from readiness.transfer.columns import columns_for, transferable_specs
from readiness.transfer.exporting import XLSX_TYPE, export_csv, export_project_xlsx, export_xlsx
from readiness.transfer.forms import ImportUploadForm
from readiness.transfer.models import ImportStatus
from readiness.transfer.parsing import MAX_BYTES, ImportRefused, read_limited
from readiness.transfer.selectors import get_import_for


def _transferable(kind: str):
    spec = get_spec(kind)
    if spec not in transferable_specs():
        raise Http404("This register cannot be imported or exported.")
    return spec


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def register_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    spec = _transferable(kind)
    project = get_project_for(request.user, slug, "view")
    queryset = register_filtered(spec=spec, project=project, params=request.GET)
    stem = f"{project.slug}-{spec.kind}-{timezone.localdate():%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        return _download(export_xlsx([(spec, queryset)]), XLSX_TYPE, f"{stem}.xlsx")
    return _download(export_csv(spec, queryset), "text/csv; charset=utf-8", f"{stem}.csv")


@require_GET
def project_export(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    filename = f"{project.slug}-registers-{timezone.localdate():%Y-%m-%d}.xlsx"
    return _download(export_project_xlsx(project), XLSX_TYPE, filename)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str, kind: str = "") -> HttpResponse:
    spec = _transferable(kind) if kind else None
    project = get_project_for(request.user, slug, spec.permission if spec else "edit_registers")
    if request.method == "POST" and _too_large(request):
        # Refused before Django reads the body into a temporary file.
        refused = f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; nothing was read."
        return _upload_page(request, project, spec, ImportUploadForm(), 413, refused)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_limited(upload)
            batch = jobs.import_upload_and_plan(
                project=project,
                user=request.user,
                scope=spec.kind if spec else "project",
                filename=upload.name,
                data=data,
                create_missing=form.cleaned_data["create_missing"],
            )
        except ImportRefused as e:
            form.add_error("file", str(e))
        else:
            return redirect("transfer:preview", slug=project.slug, pk=batch.pk)
    return _upload_page(request, project, spec, form, status=400 if form.errors else 200)


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_BYTES + 64 * 1024  # the file and the form around it


def _upload_page(request, project, spec, form, status: int, refused: str = "") -> HttpResponse:
    context = {
        "refused": refused,
        "project": project,
        "spec": spec,
        "form": form,
        "columns": columns_for(spec) if spec else None,
        "specs": transferable_specs(),
    }
    return render(request, "transfer/upload.html", context, status=status)


def _batch(request, slug: str, pk: int):
    project = get_project_for(request.user, slug, "edit_registers")
    batch = get_import_for(user=request.user, project=project, pk=pk)
    if batch.scope != "project" and not request.user.has_perm(
        f"projects.{SPECS[batch.scope].permission}", project
    ):
        raise PermissionDenied
    return project, batch


@require_GET
def import_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, batch = _batch(request, slug, pk)
    template = "transfer/preview.html"
    if request.htmx and request.htmx.target == "import-status":
        if not batch.is_busy:
            # Done: the whole page changes (the rows appear), so reload it.
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        template += "#import-status"
    context = {"project": project, "batch": batch, "plan": batch.plan}
    return render(request, template, context)


@require_POST
def import_options(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, batch = _batch(request, slug, pk)
    if batch.status != ImportStatus.READY:
        raise Http404("This import is no longer waiting.")
    jobs.import_replan(batch=batch, create_missing=request.POST.get("create_missing") == "1")
    return htmx_redirect(request, reverse("transfer:preview", args=[project.slug, batch.pk]))


@require_POST
def import_commit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, batch = _batch(request, slug, pk)
    try:
        batch = jobs.import_commit_or_queue(batch=batch)
    except ImportRefused as e:
        messages.error(request, str(e))
    else:
        if batch.status == ImportStatus.COMMITTED:
            messages.success(request, batch.result)
    return htmx_redirect(request, reverse("transfer:preview", args=[project.slug, batch.pk]))


@require_POST
def import_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, batch = _batch(request, slug, pk)
    try:
        services.import_batch_cancel(batch=batch)
    except ImportRefused as e:
        messages.error(request, str(e))
        return htmx_redirect(request, reverse("transfer:preview", args=[project.slug, batch.pk]))
    messages.info(request, f"Import of “{batch.filename}” cancelled; nothing was written.")
    if batch.scope != "project":
        return htmx_redirect(request, reverse("registers:list", args=[project.slug, batch.scope]))
    return htmx_redirect(request, reverse("projects:overview", args=[project.slug]))
