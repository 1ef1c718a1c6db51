"""Writes of register items. Each records its change in the project's activity history."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import CASCADE, Model, ProtectedError

from readiness.core.content import content_diff, item_content
from readiness.core.locking import VersionedForm, save_versioned
from readiness.projects.activity import activity_record
from readiness.projects.models import ActivityAction, ActivityVia, Project
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
) -> None:
    """Delete an item and record it with its values, and what the delete did to other items.

    Items that would go with it must be named in `also_delete`, as the user confirmed them;
    otherwise (or when the list changed since) DeleteNeedsConfirmation names them.
    """
    project = item.project
    going = items_deleted_with(item)
    if going and sorted(also_delete or []) != going:
        raise DeleteNeedsConfirmation(going)
    before = item_content(item)
    name, pk = str(item), item.pk
    referrers = _referrers(item, project)
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
