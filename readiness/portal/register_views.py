"""The register pages: filtered lists edited in place, one item at a time.

They sit on the portal floor because every row shows its review sign-off state.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.core.content import item_content
from readiness.core.http import htmx_redirect
from readiness.core.locking import DuplicateEntry, EditConflict
from readiness.core.pages import dont_keep, kept_page
from readiness.projects.selectors import get_project_for, project_page_state
from readiness.registers.forms import QUICK_ADD
from readiness.registers.selectors import get_item
from readiness.registers.services import (
    UNDO_SECONDS,
    DeleteNeedsConfirmation,
    DeleteRefused,
    RestoreRefused,
    items_deleted_with,
    register_item_delete,
    register_item_restore,
    register_item_save,
    undo_expired,
)
from readiness.registers.specs import get_spec
from readiness.reviews.selectors import (
    item_signoff_states,
    reviews_of_request,
    signoffs_a_save_makes_stale,
)
from readiness.reviews.state import project_review_for
from readiness.reviews.tables import register_table


def _list_url(project, spec) -> str:
    return reverse("registers:list", kwargs={"slug": project.slug, "kind": spec.kind})


def _context(request, project, spec, **extra) -> dict:
    can_edit = request.user.has_perm(f"projects.{spec.permission}", project)
    return {
        "project": project,
        "spec": spec,
        "can_edit": can_edit,
        # Registers a form's fields may add an item to on the spot (an owner, a system).
        "quick_add_kinds": [
            kind
            for kind in QUICK_ADD.values()
            if request.user.has_perm(f"projects.{get_spec(kind).permission}", project)
        ],
        # Called only by the templates that show a row's sign-off badge.
        "signoff_states": lambda: item_signoff_states(
            project_review_for(request, project), spec.kind
        ),
        "undo_minutes": UNDO_SECONDS // 60,
        **extra,
    }


@require_GET
@kept_page(project_page_state)
def register_list(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    spec = get_spec(kind)
    project = get_project_for(request.user, slug, "view")
    table = register_table(request, project, spec)
    if request.htmx and request.htmx.target == "register-table":
        return HttpResponse(table)
    review = project_review_for(request, project)
    undo = _undo_offered(request, project, spec)
    if undo is not None:
        dont_keep(request)  # the offer lives in this session, for a few minutes
    context = _context(request, project, spec, table=table, review=review, undo=undo)
    return render(request, "registers/list.html", context)


def _undo_offered(request, project, spec) -> dict | None:
    """The user's latest delete in this register, while it can still be undone (so the
    full-page delete, without JavaScript, can be undone too)."""
    kept = request.session.get("undo_deletes", {})
    offers = [
        u
        for u in kept.values()
        if u["project"] == project.pk
        and u["kind"] == spec.kind
        and u["revision"] == project.revision
        and not undo_expired(u)
    ]
    return max(offers, key=lambda u: u["at"], default=None)


def _after_change(request, project, message: str) -> str:
    """What an htmx write sends besides its row: the message for the page's live region, and
    the project's verdict bar as it stands after the change (out-of-band swaps)."""
    project.revision = (
        type(project).objects.filter(pk=project.pk).values_list("revision", flat=True).get()
    )
    reviews_of_request(request).pop(project.pk, None)
    context = {
        "review": project_review_for(request, project),
        "project": project,
        "live_message": message,
        # A check's pages show its five checks in their own menu: the bar there has no strip.
        "hide_strip": "/checks/" in (request.htmx.current_url or ""),
    }
    return render_to_string("registers/_after_change.html", context, request=request)


def _back_url(request, project) -> str:
    """Where a full-page edit returns after saving, when it was opened from somewhere else in
    the same project (a finding, an item's page): a local path of this project, or nothing."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    prefix = f"/projects/{project.slug}/"
    if (
        url.startswith(prefix)
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None, require_https=False)
    ):
        return url
    return ""


def _form_response(request, project, spec, form, item=None, item_name="", **extra):
    template = "registers/item_form.html"
    if request.htmx:
        template += "#item-form-row"
    context = _context(
        request,
        project,
        spec,
        form=form,
        item=item,
        item_name=item_name,
        next_url=_back_url(request, project),
        **extra,
    )
    return render(request, template, context)


def _unconfirmed_staleness(request, project, spec, form, before: dict | None) -> list[str]:
    """The sign-offs this save would make stale, unless the user already confirmed it."""
    if request.POST.get("confirm_stale") == "1":
        return []
    return signoffs_a_save_makes_stale(
        review=project_review_for(request, project), kind=spec.kind, form=form, before=before
    )


def _row(request, project, spec, item, **extra) -> str:
    return render_to_string(
        "registers/list.html#item-row",
        _context(request, project, spec, item=item, **extra),
        request=request,
    )


def _saved_response(request, project, spec, item, verb: str) -> HttpResponse:
    if request.htmx:
        row = _row(request, project, spec, item, take_focus=True)
        return HttpResponse(row + _after_change(request, project, f"Saved — {item}"))
    messages.success(request, f"{spec.singular.capitalize()} “{item}” {verb}.")
    return htmx_redirect(request, _list_url(project, spec))


def _owner_naming(request, project) -> dict:
    return {"may_name_owners": request.user.has_perm("projects.manage_project", project)}


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    spec = get_spec(kind)
    project = get_project_for(request.user, slug, spec.permission)
    form = spec.form_class(
        request.POST or None, project=project, prefix="item-new", **_owner_naming(request, project)
    )
    if request.method == "POST" and form.is_valid():
        warnings = _unconfirmed_staleness(request, project, spec, form, None)
        if warnings:
            return _form_response(request, project, spec, form, stale_warnings=warnings)
        try:
            item = register_item_save(spec=spec, form=form, user=request.user)
        except DuplicateEntry:
            pass  # the form says what was taken
        else:
            item = get_item(spec=spec, project=project, pk=item.pk)
            if request.POST.get("then") == "add":
                return _saved_then_new(request, project, spec, item)
            return _saved_response(request, project, spec, item, "added")
    return _form_response(request, project, spec, form)


def _saved_then_new(request, project, spec, item) -> HttpResponse:
    """“Save and add another”: the saved item, and an empty form for the next one."""
    if request.htmx:
        row = _row(request, project, spec, item)
        form = spec.form_class(
            project=project, prefix="item-new", **_owner_naming(request, project)
        )
        blank = render_to_string(
            "registers/item_form.html#item-form-row",
            _context(request, project, spec, form=form, item=None),
            request=request,
        )
        return HttpResponse(row + blank + _after_change(request, project, f"Saved — {item}"))
    messages.success(request, f"{spec.singular.capitalize()} “{item}” added. Add the next one.")
    return redirect("registers:item-create", slug=project.slug, kind=spec.kind)


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    spec = get_spec(kind)
    project = get_project_for(request.user, slug, spec.permission)
    item = get_item(spec=spec, project=project, pk=pk)
    item_name = str(item)  # validation writes the typed values onto the instance
    before = item_content(item)
    form = spec.form_class(
        request.POST or None,
        instance=item,
        project=project,
        prefix=f"item-{item.pk}",
        **_owner_naming(request, project),
    )
    if request.method == "POST" and form.is_valid():
        warnings = _unconfirmed_staleness(request, project, spec, form, before)
        if warnings:
            return _form_response(
                request, project, spec, form, item, item_name, stale_warnings=warnings
            )
        try:
            item = register_item_save(spec=spec, form=form, user=request.user)
        except EditConflict:
            form.add_conflict_error()
        except DuplicateEntry:
            pass  # the form says what was taken
        else:
            back = _back_url(request, project)
            if back and not request.htmx:
                messages.success(request, f"{spec.singular.capitalize()} “{item}” saved.")
                return redirect(back)
            return _saved_response(
                request, project, spec, get_item(spec=spec, project=project, pk=item.pk), "saved"
            )
    return _form_response(request, project, spec, form, item, item_name)


def _row_with_message(request, project, spec, item, message: str) -> HttpResponse:
    """An htmx delete that was refused: the row stays, with the reason beneath it."""
    context = _context(request, project, spec, item=item, row_message=message, take_focus=True)
    response = render(request, "registers/list.html#item-row", context)
    response["HX-Reswap"] = "outerHTML"
    return response


@require_GET
def item_row(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """The display row of one item: what an inline form's Cancel swaps back in."""
    spec = get_spec(kind)
    project = get_project_for(request.user, slug, "view")
    item = get_item(spec=spec, project=project, pk=pk)
    return HttpResponse(_row(request, project, spec, item, take_focus=True))


UNDO_KEPT = 10  # undo records kept in a session, newest first


def _undo_key(project, kind: str, pk: int) -> str:
    return f"{project.pk}:{kind}:{pk}"


def _keep_undo(request, project, undo: dict) -> None:
    """The undo of a delete is offered to whoever deleted, in their session."""
    kept = {
        key: u for key, u in request.session.get("undo_deletes", {}).items() if not undo_expired(u)
    }
    kept[_undo_key(project, undo["kind"], undo["pk"])] = undo
    newest = sorted(kept.items(), key=lambda pair: pair[1]["at"], reverse=True)[:UNDO_KEPT]
    request.session["undo_deletes"] = dict(newest)


def _deleted_row(request, project, spec, undo: dict, message: str = "") -> str:
    context = _context(request, project, spec, undo=undo, row_message=message)
    return render_to_string("registers/item_delete.html#deleted-row", context, request=request)


@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    spec = get_spec(kind)
    project = get_project_for(request.user, slug, spec.permission)
    item = get_item(spec=spec, project=project, pk=pk)
    if request.method == "POST":
        name = str(item)
        try:
            undo = register_item_delete(
                spec=spec, item=item, user=request.user, also_delete=request.POST.getlist("also")
            )
        except DeleteNeedsConfirmation as e:
            # Never a silent cascade: the page names what goes with it and asks again.
            url = reverse("registers:item-delete", kwargs={"slug": slug, "kind": kind, "pk": pk})
            if request.htmx:
                return htmx_redirect(request, url)
            context = _context(request, project, spec, item=item, also=e.items)
            return render(request, "registers/item_delete.html", context, status=409)
        except DeleteRefused as e:
            if request.htmx:
                return _row_with_message(request, project, spec, item, str(e))
            context = _context(request, project, spec, item=item, refused=str(e))
            return render(request, "registers/item_delete.html", context, status=409)
        _keep_undo(request, project, undo)
        if request.htmx:
            row = _deleted_row(request, project, spec, undo)
            return HttpResponse(row + _after_change(request, project, f"Deleted — {name}"))
        messages.success(request, f"{spec.singular.capitalize()} “{name}” deleted.")
        return htmx_redirect(request, _list_url(project, spec))
    context = _context(request, project, spec, item=item, also=items_deleted_with(item))
    if request.htmx:  # the question in place of the row
        return render(request, "registers/item_delete.html#delete-row", context)
    return render(request, "registers/item_delete.html", context)


@require_POST
def item_undo_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Undo of a delete, by whoever deleted, for a short while (see register_item_restore)."""
    spec = get_spec(kind)
    project = get_project_for(request.user, slug, spec.permission)
    undo = request.session.get("undo_deletes", {}).get(_undo_key(project, kind, pk))
    if undo is None:
        raise Http404("There is no delete of yours to undo here.")
    try:
        item = register_item_restore(project=project, undo=undo, user=request.user)
    except RestoreRefused as e:
        if request.htmx:
            row = _deleted_row(request, project, spec, undo, str(e))
            return HttpResponse(row, status=409)
        messages.error(request, str(e))
        return redirect(_list_url(project, spec))
    finally:
        kept = request.session.get("undo_deletes", {})
        if kept.pop(_undo_key(project, kind, pk), None) is not None:
            request.session["undo_deletes"] = kept
    if request.htmx:
        item = get_item(spec=spec, project=project, pk=item.pk)
        row = _row(request, project, spec, item, take_focus=True)
        return HttpResponse(row + _after_change(request, project, f"Restored — {item}"))
    messages.success(request, f"{spec.singular.capitalize()} “{item}” restored.")
    return redirect(_list_url(project, spec))


def _quick_add_refused(form, target: str) -> HttpResponse:
    """The quick-add form's errors, shown beside the field it was opened from."""
    errors = "; ".join(e for errs in form.errors.values() for e in errs)
    response = HttpResponse(escape(errors))
    response["HX-Retarget"] = f"#quick-error-{target}"
    response["HX-Reswap"] = "innerHTML"
    return response


@require_POST
def item_quick_add(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Add an owner or system from the field of another form that needs it (htmx): the new
    choice comes back selected, to be appended to that field."""
    spec = get_spec(kind)
    if kind not in QUICK_ADD.values():
        raise Http404("Nothing to add here.")
    project = get_project_for(request.user, slug, spec.permission)
    blank = spec.form_class(project=project, **_owner_naming(request, project))
    data = {name: blank[name].value() for name in blank.fields if blank[name].value() is not None}
    data["name"] = request.POST.get("quick-name", "")
    form = spec.form_class(data, project=project, **_owner_naming(request, project))
    field_name = request.POST.get("field", "")
    target = request.POST.get("target", "")
    if not form.is_valid():
        return _quick_add_refused(form, target)
    try:
        item = register_item_save(spec=spec, form=form, user=request.user)
    except DuplicateEntry:  # someone added the same name a moment ago: the form says so
        return _quick_add_refused(form, target)
    context = {
        "item": item,
        "field_name": field_name,
        "multiple": request.POST.get("multiple") == "1",
        "target": target,
    }
    return render(request, "registers/_quick_added.html", context)
