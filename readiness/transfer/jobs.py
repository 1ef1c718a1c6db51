"""Running an import's preview and commit now, or in a Celery task for large files.

This module stands above the services and the tasks, so the services never import the tasks.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from readiness.projects.models import Project
from readiness.transfer import services
from readiness.transfer.models import ImportBatch, ImportStatus
from readiness.transfer.tasks import commit_import_batch, plan_import_batch


def _in_background(batch: ImportBatch) -> bool:
    return batch.row_count > services.BACKGROUND_ROWS


def import_upload_and_plan(
    *,
    project: Project,
    user: AbstractBaseUser,
    scope: str,
    filename: str,
    data: bytes,
    create_missing: bool = False,
) -> ImportBatch:
    """Keep the upload, then plan its preview now or, for a large file, in a task."""
    batch = services.import_batch_create(
        project=project,
        user=user,
        scope=scope,
        filename=filename,
        data=data,
        create_missing=create_missing,
    )
    batch.progress_total = batch.row_count
    if _in_background(batch):
        batch.save(update_fields=["progress_total"])
        transaction.on_commit(lambda: plan_import_batch.delay(batch.pk))
        return batch
    return services.import_batch_plan(batch=batch)


def import_commit_or_queue(*, batch: ImportBatch) -> ImportBatch:
    """Commit now (ImportRefused if it cannot be) or, for a large file, queue the commit."""
    if _in_background(batch):
        if batch.status != ImportStatus.READY or batch.plan.get("blocked"):
            raise services.ImportRefused("This import cannot be committed as it is.")
        batch.status = ImportStatus.COMMITTING
        batch.progress_done = 0
        batch.save(update_fields=["status", "progress_done"])
        transaction.on_commit(lambda: commit_import_batch.delay(batch.pk))
        return batch
    return services.import_batch_commit(batch=batch)


def import_replan(*, batch: ImportBatch, create_missing: bool) -> ImportBatch:
    batch.create_missing = create_missing
    if _in_background(batch):
        batch.status = ImportStatus.PLANNING
        batch.progress_done = 0
        batch.save(update_fields=["create_missing", "status", "progress_done"])
        transaction.on_commit(lambda: plan_import_batch.delay(batch.pk))
        return batch
    return services.import_batch_set_create_missing(batch=batch, create=create_missing)
