"""Large imports in the background. The tasks take an id and call the services."""

import logging

from celery import shared_task

from readiness.transfer.models import ImportBatch, ImportStatus
from readiness.transfer.parsing import ImportRefused
from readiness.transfer.services import (
    import_batch_commit,
    import_batch_mark_failed,
    import_batch_plan,
)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=570, ignore_result=True)
def plan_import_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("project", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.PLANNING:
        return
    try:
        import_batch_plan(batch=batch)
    except Exception as exc:
        logger.exception("Import %s could not be checked", batch_id)
        import_batch_mark_failed(batch_id=batch_id, error=f"The file could not be checked: {exc}")


@shared_task(acks_late=True, time_limit=900, soft_time_limit=870, ignore_result=True)
def commit_import_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("project", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.COMMITTING:
        return
    try:
        import_batch_commit(batch=batch)
    except ImportRefused:
        pass  # the service put the batch back to its preview, with the reasons
    except Exception as exc:
        logger.exception("Import %s failed", batch_id)
        import_batch_mark_failed(batch_id=batch_id, error=f"Nothing was imported: {exc}")
