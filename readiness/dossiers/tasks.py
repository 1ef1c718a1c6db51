"""Background rendering of readiness dossiers. The task takes an id and calls the service."""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure
from django.db import OperationalError

from readiness.dossiers.models import Dossier
from readiness.dossiers.services import (
    dossier_mark_failed,
    dossier_render,
    dossiers_fail_stuck,
    error_text,
)

logger = logging.getLogger(__name__)

# Worth another try: the database or the disk was briefly unavailable. Anything else (a bug,
# a template error, a snapshot WeasyPrint cannot lay out) fails the same way next time.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, OSError)
RETRY_BASE_SECONDS = 10
# The hard limit: past it Celery kills the render. The broker's visibility timeout (settings)
# is longer, so a job still running is never delivered to a second worker.
RENDER_TIME_LIMIT = 300
# Beyond these the watchdog fails a dossier: nothing is rendering it any more.
STUCK_RENDERING = datetime.timedelta(seconds=RENDER_TIME_LIMIT + 60)
STUCK_QUEUED = datetime.timedelta(minutes=30)


@shared_task(
    bind=True,
    acks_late=True,
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_TIME_LIMIT - 30,
    serializer="json",
    max_retries=3,
    ignore_result=True,
)
def render_dossier(self, dossier_id: int) -> None:
    try:
        dossier_render(dossier_id=dossier_id)
    except Dossier.DoesNotExist:
        logger.info("Dossier %s no longer exists; nothing to render", dossier_id)
    except SoftTimeLimitExceeded:
        logger.error("Dossier %s hit the time limit", dossier_id)
        dossier_mark_failed(
            dossier_id=dossier_id,
            error=f"Rendering took longer than {self.soft_time_limit} seconds and was stopped.",
        )
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("Dossier %s failed after %s retries", dossier_id, self.max_retries)
            dossier_mark_failed(
                dossier_id=dossier_id,
                error=f"Gave up after {self.max_retries + 1} attempts. {error_text(exc)}",
            )
            return
        countdown = RETRY_BASE_SECONDS * 2**self.request.retries
        logger.warning("Dossier %s: %s; retrying in %s s", dossier_id, error_text(exc), countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        # Not retried: it would fail again. The reason is shown on the dossier page.
        logger.exception("Dossier %s failed", dossier_id)
        dossier_mark_failed(dossier_id=dossier_id, error=error_text(exc))


@task_failure.connect
def _render_dossier_failed(sender=None, exception=None, args=None, kwargs=None, **extra):
    """Failures the task cannot catch itself: the hard time limit killed it, or its worker
    process died. Celery reports them here, in the worker's main process; without this the
    dossier would stay "rendering" for ever and could not be retried."""
    if getattr(sender, "name", None) != render_dossier.name:
        return
    dossier_id = (list(args or []) or [None])[0] or (kwargs or {}).get("dossier_id")
    if dossier_id is None:
        return
    if isinstance(exception, TimeLimitExceeded):
        error = f"Rendering took longer than {render_dossier.time_limit} seconds and was stopped."
    else:
        error = f"The worker rendering it stopped unexpectedly. {error_text(exception)}"
    logger.error("Dossier %s failed in the worker: %s", dossier_id, error)
    dossier_mark_failed(dossier_id=dossier_id, error=error)


@shared_task(ignore_result=True)
def fail_stuck_dossiers() -> None:
    """Every few minutes (beat): dossiers whose worker died are failed, so Retry works."""
    failed = dossiers_fail_stuck(rendering_after=STUCK_RENDERING, queued_after=STUCK_QUEUED)
    if failed:
        logger.warning("Failed %s stuck dossier(s): %s", len(failed), failed)
