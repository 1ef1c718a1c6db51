"""Writes of register items. Each records its change in the project's activity history."""

import datetime as dt

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.core import serializers
from django.db import transaction
from django.db.models import CASCADE, SET_NULL, F, Model, ProtectedError
from django.utils import timezone

from readiness.core.content import content_diff, item_content
from readiness.core.locking import VersionedForm, save_versioned
from readiness.projects.activity import activity_record, person_name, project_lock
from readiness.projects.models import ActivityAction, ActivityVia, Project
from readiness.registers.attachments import CheckedAttachment
from readiness.registers.models import ExceptionCase, TestResult, TestRun
from readiness.registers.specs import SPECS, RegisterSpec, spec_for_model


def _content(spec: RegisterSpec, project: Project, pk: int) -> dict | None:
    item = spec.queryset(project).filter(pk=pk).first()
    return item_content(item) if item is not None else None


def _named_contents(spec: RegisterSpec, project: Project, pks) -> dict[int, tuple[str, dict]]:
    return {
        item.pk: (str(item), item_content(item))
        for item in spec.queryset(project).filter(pk__in=pks)
    }


def _record(project, user, action, spec, pk, name, changes, via, what=""):
    verb = dict(ActivityAction.choices)[action]
    summary = f"{verb} {spec.singular} “{name}”"
    if what:
        summary += f": {what}"
    activity_record(
        project=project,
        actor=user,
        action=action,
        target_kind=spec.kind,
        target_id=pk,
        target_name=name,
        summary=summary,
        changes=changes,
        via=via,
    )


@transaction.atomic
def register_item_save(
    *,
    spec: RegisterSpec,
    form: VersionedForm,
    user: AbstractBaseUser | None,
    via: str = ActivityVia.WEB,
) -> Model:
    """Create or update a register item; raises EditConflict on a stale form."""
    project = form.project
    creating = form.instance.pk is None
    before = None if creating else _content(spec, project, form.instance.pk)
    item = save_versioned(form)
    after = _content(spec, project, item.pk)
    changes = content_diff(spec.model, before, after)
    if creating or changes:
        what = "" if creating else ", ".join(c["label"] for c in changes)
        action = ActivityAction.CREATED if creating else ActivityAction.CHANGED
        _record(project, user, action, spec, item.pk, str(item), changes, via, what)
    return item


def _referrers(item: Model, project: Project) -> dict[tuple[str, int], tuple[str, dict]]:
    """Names and contents of the register items that point at `item`: a delete may change or
    remove them (a cleared owner, a duty scoped to a deleted handoff)."""
    found: dict[tuple[str, int], tuple[str, dict]] = {}
    for rel in item._meta.related_objects:
        spec = spec_for_model(rel.related_model)
        if spec is None:
            continue
        pks = rel.related_model.objects.filter(**{rel.field.name: item}).values("pk")
        for pk, named in _named_contents(spec, project, pks).items():
            found[(spec.kind, pk)] = named
    return found


class DeleteRefused(Exception):
    """Something still depends on the item; the message says what, for the user."""


class DeleteNeedsConfirmation(Exception):
    """Deleting the item deletes other items too (duties scoped to a handoff); `items`
    names them, and the user confirms before anything goes."""

    def __init__(self, items: list[str]):
        super().__init__(f"Deleting it also deletes: {'; '.join(items)}.")
        self.items = items


def items_deleted_with(item: Model) -> list[str]:
    """The register items that go when `item` goes (their link to it cascades)."""
    names: list[str] = []
    for rel in item._meta.related_objects:
        if rel.on_delete is not CASCADE or spec_for_model(rel.related_model) is None:
            continue
        related = rel.related_model.objects.filter(**{rel.field.name: item})
        names.extend(sorted(str(obj) for obj in related.select_related()))
    return names


@transaction.atomic
def register_item_delete(
    *,
    spec: RegisterSpec,
    item: Model,
    user: AbstractBaseUser | None,
    via: str = ActivityVia.WEB,
    also_delete: list[str] | None = None,
) -> dict:
    """Delete an item and record it with its values, and what the delete did to other items.

    Items that would go with it must be named in `also_delete`, as the user confirmed them;
    otherwise (or when the list changed since) DeleteNeedsConfirmation names them.

    Returns what `register_item_restore` needs to undo the delete (plain JSON-safe data).
    """
    project = item.project
    going = items_deleted_with(item)
    if going and sorted(also_delete or []) != going:
        raise DeleteNeedsConfirmation(going)
    before = item_content(item)
    name, pk = str(item), item.pk
    referrers = _referrers(item, project)
    undo = _undo_record(spec, item, name)
    try:
        with transaction.atomic():
            item.delete()
    except ProtectedError as e:
        uses = sorted({str(obj) for obj in e.protected_objects})
        raise DeleteRefused(
            f"“{name}” cannot be deleted while it is still needed: {'; '.join(uses)}. "
            "Change that first."
        ) from None
    _record(
        project,
        user,
        ActivityAction.DELETED,
        spec,
        pk,
        name,
        content_diff(spec.model, before, None),
        via,
    )
    for (kind, other_pk), (other_name, old) in referrers.items():
        other_spec = SPECS[kind]
        new = _content(other_spec, project, other_pk)
        changes = content_diff(other_spec.model, old, new)
        if not changes:
            continue
        action = ActivityAction.DELETED if new is None else ActivityAction.CHANGED
        what = f"with {spec.singular} “{name}”"
        if new is not None:
            what = f"{', '.join(c['label'] for c in changes)} cleared {what}"
        _record(project, user, action, other_spec, other_pk, other_name, changes, via, what)
    undo["revision"] = (
        Project.objects.filter(pk=project.pk).values_list("revision", flat=True).get()
    )
    return undo


# --- Undoing a delete -------------------------------------------------------------------------

UNDO_SECONDS = 10 * 60


class RestoreRefused(Exception):
    """A delete that can no longer be undone; the message says why, for the user."""


def _undo_record(spec: RegisterSpec, item: Model, name: str) -> dict:
    """Everything the delete of `item` removes or clears, as it is just before the delete.

    Rows that go with it (the item, duties scoped to it, an exception case's test runs) are
    kept whole, parents first; links from rows that stay (a cleared owner field, a many-to-many
    membership) are kept as (model, field, rows). Walks the same relations the delete follows.
    """
    rows: list[Model] = []
    links: list[dict] = []

    def walk(obj: Model) -> None:
        rows.append(obj)
        for rel in obj._meta.related_objects:
            related = rel.related_model._base_manager.filter(**{rel.field.name: obj})
            label = rel.related_model._meta.label_lower
            if rel.many_to_many:
                pks = list(related.values_list("pk", flat=True))
                if pks:
                    links.append(
                        {"model": label, "field": rel.field.name, "pks": pks, "to": obj.pk}
                    )
            elif rel.on_delete is CASCADE:
                for child in related.order_by("pk"):
                    walk(child)
            elif rel.on_delete is SET_NULL:
                pks = list(related.values_list("pk", flat=True))
                if pks:
                    links.append(
                        {"model": label, "field": rel.field.name, "pks": pks, "value": obj.pk}
                    )

    walk(item)
    return {
        "kind": spec.kind,
        "pk": item.pk,
        "name": name,
        "project": item.project_id,
        "at": timezone.now().isoformat(),
        "rows": serializers.serialize("json", rows),
        "links": links,
    }


def undo_expired(undo: dict, *, now: dt.datetime | None = None) -> bool:
    at = dt.datetime.fromisoformat(undo["at"])
    return ((now or timezone.now()) - at).total_seconds() > UNDO_SECONDS


def _bump_versions(model, pks) -> None:
    if any(f.name == "version" for f in model._meta.concrete_fields):
        model._base_manager.filter(pk__in=pks).update(version=F("version") + 1)


@transaction.atomic
def register_item_restore(
    *,
    project: Project,
    undo: dict,
    user: AbstractBaseUser | None,
    via: str = ActivityVia.WEB,
) -> Model:
    """Undo a delete from the record `register_item_delete` returned: the item comes back with
    its values and id, with what went with it, and the links the delete cleared.

    Allowed for UNDO_SECONDS and only while nothing else changed in the project since the delete
    (its revision is still the one the delete left), so every restored value still fits; the
    restore is recorded in the history and moves the revision on, so a second undo of the same
    delete (a double submit) is refused.
    """
    spec = SPECS[undo["kind"]]
    revision = project_lock(project)
    if undo["project"] != project.pk:
        raise RestoreRefused("That delete was in another project.")
    name = undo["name"]
    if spec.model._base_manager.filter(pk=undo["pk"]).exists():
        raise RestoreRefused(f"“{name}” is back already.")
    if undo_expired(undo):
        raise RestoreRefused(
            f"Too late to undo: “{name}” was deleted more than {UNDO_SECONDS // 60} minutes ago. "
            "The history keeps what it held."
        )
    if undo["revision"] != revision:
        raise RestoreRefused(
            f"“{name}” can no longer be restored here: the project changed since the delete. "
            "The history keeps what it held."
        )
    before_links = {}
    for link in undo["links"]:
        other = SPECS.get(_kind_of(link["model"]))
        if other is not None:
            for pk, named in _named_contents(other, project, link["pks"]).items():
                before_links[(other.kind, pk)] = named
    restored = list(serializers.deserialize("json", undo["rows"]))
    for row in restored:
        if getattr(row.object, "project_id", project.pk) != project.pk:
            raise RestoreRefused("That delete was in another project.")
        row.save()
    for link in undo["links"]:
        model = apps.get_model(link["model"])
        field = model._meta.get_field(link["field"])
        rows = model._base_manager.filter(pk__in=link["pks"], project=project)
        if field.many_to_many:
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": pk, f"{target}_id": link["to"]})
                    for pk in rows.values_list("pk", flat=True)
                ],
                ignore_conflicts=True,
            )
        else:
            rows.filter(**{f"{field.attname}__isnull": True}).update(
                **{field.attname: link["value"]}
            )
        _bump_versions(model, link["pks"])
    item = spec.queryset(project).get(pk=undo["pk"])
    _record(
        project,
        user,
        ActivityAction.RESTORED,
        spec,
        item.pk,
        name,
        content_diff(spec.model, None, item_content(item)),
        via,
        "undoing its delete",
    )
    for row in restored[1:]:
        other = spec_for_model(type(row.object))
        if other is None:
            continue
        obj = other.queryset(project).get(pk=row.object.pk)
        changes = content_diff(other.model, None, item_content(obj))
        what = f"with {spec.singular} “{name}”"
        _record(project, user, ActivityAction.RESTORED, other, obj.pk, str(obj), changes, via, what)
    for (kind, other_pk), (other_name, old) in before_links.items():
        other = SPECS[kind]
        new = _content(other, project, other_pk)
        changes = content_diff(other.model, old, new)
        if changes:
            what = (
                f"{', '.join(c['label'] for c in changes)} restored with {spec.singular} “{name}”"
            )
            _record(
                project,
                user,
                ActivityAction.CHANGED,
                other,
                other_pk,
                other_name,
                changes,
                via,
                what,
            )
    return item


def _kind_of(model_label: str) -> str:
    spec = spec_for_model(apps.get_model(model_label))
    return spec.kind if spec is not None else ""


@transaction.atomic
def test_run_add(
    *,
    case: ExceptionCase,
    run: TestRun,
    user: AbstractBaseUser | None,
    attachment: CheckedAttachment | None = None,
    via: str = ActivityVia.WEB,
) -> TestRun:
    """Record a run (an unsaved instance) of an exception case's test; the case's test status
    becomes its result.

    Runs are never edited. The case's status, date and evidence follow the latest run, so a
    sign-off of the decision goes stale when a new result comes in.
    """
    project = case.project
    project_lock(project)
    case = ExceptionCase.objects.select_for_update().get(pk=case.pk)
    before = _content(SPECS["exceptions"], project, case.pk)
    run.project = project
    run.exception_case = case
    run.recorded_by = user
    run.recorded_by_name = person_name(user) or dict(ActivityVia.choices).get(via, "")
    if attachment is not None:
        run.attachment_name = attachment.name
        run.attachment_type = attachment.content_type
        run.attachment_size = attachment.size
        run.attachment_sha256 = attachment.sha256
    if run.result == TestResult.PASSED and not run.evidence.strip():
        raise TestRunRefused("A passed run needs its evidence: what was done and what was seen.")
    latest = case.test_runs.order_by("-run_on").values_list("run_on", flat=True).first()
    if latest is not None and run.run_on < latest:
        raise TestRunRefused(
            f"The previous run is dated {latest:%-d %b %Y}; a new run cannot be older."
        )
    run.save()
    ExceptionCase.objects.filter(pk=case.pk).update(
        test_status=run.result,
        tested_on=run.run_on,
        evidence=_case_evidence(run),
        version=F("version") + 1,
        updated=timezone.now(),
    )
    after = _content(SPECS["exceptions"], project, case.pk)
    changes = content_diff(ExceptionCase, before, after)
    activity_record(
        project=project,
        actor=user,
        action=ActivityAction.TESTED,
        target_kind="exceptions",
        target_id=case.pk,
        target_name=str(case),
        summary=f"recorded a test run of exception case “{case}”: "
        f"{run.get_result_display().lower()} on {run.run_on:%-d %b %Y}, run by {run.tester}",
        changes=changes,
        via=via,
    )
    return run


class TestRunRefused(Exception):
    """A run that cannot be recorded; the message says why, for the user."""


def _case_evidence(run: TestRun) -> str:
    lines = [run.evidence.strip()] if run.evidence.strip() else []
    if run.attachment_name:
        lines.append(f"Attached: {run.attachment_name} (SHA-256 {run.attachment_sha256})")
    return "\n".join(lines)
