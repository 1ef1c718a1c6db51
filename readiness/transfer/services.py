"""Imports: keeping an upload for its preview, and committing it all or nothing.

The commit is the import's one write path. Under the project's lock and row locks on the
registers it writes, it plans again from the stored upload against the project as it is now,
refuses if anything is wrong or changed meanwhile, then writes every row in bulk, bumps each
changed item's version, and records one activity entry (which also moves the project's
revision once, so reviews and sign-offs see the change like any edit).
"""

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from readiness.projects.activity import activity_record, project_lock
from readiness.projects.models import ActivityAction, ActivityVia, Project
from readiness.registers.specs import SPECS
from readiness.transfer.columns import Kind
from readiness.transfer.models import ImportBatch, ImportStatus
from readiness.transfer.parsing import ImportRefused, Sheet, read_upload
from readiness.transfer.planning import Action, ImportPlan, SheetPlan, plan_import

# Above this many rows, planning and committing run in a Celery task.
BACKGROUND_ROWS = 2000
# How many items an import's activity entry lists one by one.
ACTIVITY_ITEMS = 500
BATCH = 1000
UPDATE_BATCH = 100

Progress = Callable[[int], None]


def import_permissions(user: AbstractBaseUser, project: Project) -> dict[str, bool]:
    return {
        kind: user.has_perm(f"projects.{spec.permission}", project) for kind, spec in SPECS.items()
    }


def import_batch_create(
    *,
    project: Project,
    user: AbstractBaseUser,
    scope: str,
    filename: str,
    data: bytes,
    create_missing: bool = False,
) -> ImportBatch:
    """Read the upload (ImportRefused if it cannot be) and keep its sheets for the preview."""
    sheets = read_upload(data, filename)
    ImportBatch.objects.filter(project=project, expires_at__lt=timezone.now()).delete()
    return ImportBatch.objects.create(
        project=project,
        created_by=user,
        scope=scope,
        filename=filename[:200],
        create_missing=create_missing,
        row_count=sum(len(s.rows) for s in sheets),
        sheets=[s.as_json() for s in sheets],
    )


def _sheets(batch: ImportBatch) -> list[Sheet]:
    return [Sheet.from_json(s) for s in batch.sheets]


def _plan(batch: ImportBatch, *, lock: bool = False, progress=None) -> ImportPlan:
    return plan_import(
        progress=progress,
        project=batch.project,
        sheets=_sheets(batch),
        scope=batch.scope,
        create_missing=batch.create_missing,
        may=import_permissions(batch.created_by, batch.project),
        lock=lock,
        # The register forms' own limits on who changes what, e.g. only a lead names owners.
        form_kwargs={
            "may_name_owners": batch.created_by.has_perm("projects.manage_project", batch.project)
        },
    )


def import_batch_plan(*, batch: ImportBatch) -> ImportBatch:
    """Work out the preview of a stored upload, telling how far it got as it goes."""

    def progress(done: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(progress_done=done)

    plan = _plan(batch, progress=progress)
    batch.plan = plan.as_json()
    batch.status = ImportStatus.READY
    batch.progress_done = batch.progress_total = batch.row_count
    batch.save(update_fields=["plan", "status", "progress_done", "progress_total"])
    return batch


def import_batch_set_create_missing(*, batch: ImportBatch, create: bool) -> ImportBatch:
    batch.create_missing = create
    batch.save(update_fields=["create_missing"])
    return import_batch_plan(batch=batch)


def import_batch_cancel(*, batch: ImportBatch) -> None:
    if batch.status in (ImportStatus.COMMITTED, ImportStatus.COMMITTING):
        raise ImportRefused("This import has already been committed.")
    batch.status = ImportStatus.CANCELLED
    batch.sheets = []
    batch.save(update_fields=["status", "sheets"])


def import_batch_mark_failed(*, batch_id: int, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).exclude(status=ImportStatus.COMMITTED).update(
        status=ImportStatus.FAILED, error=error[:2000]
    )


def import_batch_commit(*, batch: ImportBatch, progress: Progress | None = None) -> ImportBatch:
    """Write the import all or nothing; ImportRefused (nothing written) if it cannot be."""
    if batch.status != ImportStatus.READY and batch.status != ImportStatus.COMMITTING:
        raise ImportRefused("This import is not waiting to be committed.")
    if batch.is_expired:
        raise ImportRefused("This upload has expired; upload the file again.")
    with transaction.atomic():
        project = batch.project
        project_lock(project)
        plan = _plan(batch, lock=True)
        if not plan.blocked:
            summary = _write(plan, project, batch.created_by, batch.filename, progress)
            batch.status = ImportStatus.COMMITTED
            batch.result = summary[:500]
            batch.sheets = []
            batch.plan = {**batch.plan, "blocked": False}
            batch.save(update_fields=["status", "result", "sheets", "plan"])
            return batch
    batch.plan = plan.as_json()
    batch.status = ImportStatus.READY
    batch.save(update_fields=["plan", "status"])
    raise ImportRefused(
        "The project changed since the preview, or the file has errors: nothing was "
        "imported. Check the preview again."
    )


def _write(plan: ImportPlan, project: Project, user, filename: str, progress) -> str:
    now = timezone.now()
    pks: dict[type[models.Model], dict[str, int]] = {}
    log: list[dict] = []
    counts: dict[str, list[int]] = {}
    done = 0

    def pk_of(model, name):
        if model not in pks:
            rows = model.objects.filter(project=project).values_list("pk", "name")
            pks[model] = {_norm(n): pk for pk, n in rows}
        return pks[model][_norm(name)]

    if plan.create_missing and plan.missing:
        by_model: dict[type[models.Model], list] = {}
        for missing in plan.missing.values():
            by_model.setdefault(missing.model, []).append(
                missing.model(project=project, name=missing.name)
            )
        for model, objs in by_model.items():
            model.objects.bulk_create(objs, batch_size=BATCH)
            pks.pop(model, None)
            spec = next(s for s in SPECS.values() if s.model is model)
            counts.setdefault(spec.plural, [0, 0])[0] += len(objs)
            for obj in objs:
                log.append(_log_line(spec, obj.pk, obj.name, "created (named in the file)"))

    for sheet in plan.sheets:
        creating = [r for r in sheet.rows if r.action == Action.CREATE]
        updating = [r for r in sheet.rows if r.action == Action.UPDATE]
        if not creating and not updating:
            continue
        spec = sheet.spec
        model = spec.model
        concrete = [c for c in sheet.columns if c.kind is not Kind.REFS]
        lists = [c for c in sheet.columns if c.kind is Kind.REFS]

        def fill(obj, row, concrete=concrete):
            for column in concrete:
                value = row.values.get(column.name)
                if column.kind is Kind.REF:
                    value = pk_of(column.related, value) if value else None
                    setattr(obj, column.field.attname, value)
                elif column.kind is Kind.DATE:
                    setattr(obj, column.name, dt.date.fromisoformat(value) if value else None)
                else:
                    setattr(obj, column.name, value)

        new_objs = []
        for row in creating:
            obj = model(project=project)
            fill(obj, row)
            new_objs.append(obj)
        model.objects.bulk_create(new_objs, batch_size=BATCH)
        for row, obj in zip(creating, new_objs, strict=True):
            row.pk = obj.pk

        existing = model.objects.in_bulk([r.pk for r in updating])
        changed_objs = []
        for row in updating:
            obj = existing[row.pk]
            fill(obj, row)
            obj.version = row.version + 1
            obj.updated = now
            changed_objs.append(obj)
        # Only the fields some row changes: each field of a bulk update is a CASE over the
        # batch, so fewer fields and small batches keep 10,000 updates to seconds.
        changed = {c["field"] for row in updating for c in row.changes}
        names = [c.field.attname for c in concrete if c.name in changed] + ["version", "updated"]
        model.objects.bulk_update(changed_objs, names, batch_size=UPDATE_BATCH)

        for column in lists:
            field = column.field
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            touched = [r for r in updating if any(c["field"] == column.name for c in r.changes)]
            through.objects.filter(**{f"{source}_id__in": [r.pk for r in touched]}).delete()
            links = [
                through(**{f"{source}_id": r.pk, f"{target}_id": pk_of(column.related, name)})
                for r in [*creating, *touched]
                for name in r.values.get(column.name) or []
            ]
            through.objects.bulk_create(links, batch_size=BATCH * 5)
        if any(c.name == "name" for c in sheet.columns):
            pks.pop(model, None)

        counts.setdefault(spec.plural, [0, 0])
        counts[spec.plural][0] += len(creating)
        counts[spec.plural][1] += len(updating)
        for row in creating:
            log.append(_log_line(spec, row.pk, row.name, "created"))
        for row in updating:
            # Field by field, like an edit's entry, so a stale sign-off can say who changed it.
            for change in row.changes:
                line = _log_line(spec, row.pk, row.name, change["new"])
                line.update(
                    field=change["field"],
                    label=f"{line['label']}: {change['label']}",
                    old=change["old"],
                )
                log.append(line)
        done += len(creating) + len(updating)
        if progress:
            progress(done)

    parts = []
    for plural, (created, changed) in counts.items():
        bits = [f"{n} {w}" for n, w in ((created, "created"), (changed, "changed")) if n]
        parts.append(f"{plural} {' and '.join(bits)}")
    summary = f"Imported “{filename}”: " + ("; ".join(parts) or "nothing changed")
    if len(log) > ACTIVITY_ITEMS:
        more = len(log) - ACTIVITY_ITEMS
        log = log[:ACTIVITY_ITEMS] + [{"label": "…", "old": "", "new": f"and {more:,} more"}]
    activity_record(
        project=project,
        actor=user,
        action=ActivityAction.IMPORTED,
        target_kind="import",
        target_name=filename,
        summary=summary,
        changes=log,
        via=ActivityVia.IMPORT,
    )
    return summary


def _log_line(spec, pk: int, name: str, what) -> dict:
    """One line of an import's entry, naming the item it is about (kind, id and name)."""
    if isinstance(what, str):
        what = what[:300]
    return {
        "kind": spec.kind,
        "id": pk,
        "name": name,
        "label": f"{spec.singular.capitalize()} “{name}”",
        "old": "",
        "new": what,
    }


def _norm(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def sheet_counts(plan: SheetPlan) -> dict[str, int]:
    return {a: plan.count(a) for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED)}
