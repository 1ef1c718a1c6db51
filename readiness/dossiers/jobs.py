"""Requesting a dossier and queueing its rendering, in one call: what the views use.

The services write the dossier; the task renders it by calling the services; this module stands
above both and sends the task once the write commits. So the services never import the task.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from kombu.exceptions import KombuError

from readiness.dossiers import services
from readiness.dossiers.models import Dossier
from readiness.dossiers.tasks import render_dossier
from readiness.projects.models import Project

logger = logging.getLogger(__name__)

# What sending a task raises when the broker cannot be reached (wrong REDIS_URL, Redis down).
BROKER_ERRORS = (KombuError, ConnectionError, OSError, TimeoutError)


def _send_render(dossier_id: int) -> None:
    try:
        render_dossier.delay(dossier_id)
    except BROKER_ERRORS as exc:
        # The request still answers with its page: the dossier fails with a reason, and Retry
        # sends it again once the broker is back.
        logger.error("Dossier %s: the render task could not be sent: %s", dossier_id, exc)
        services.dossier_mark_failed(dossier_id=dossier_id, error=services.RENDERER_UNAVAILABLE)


def _queue_render(dossier_id: int) -> None:
    # After the commit, so the worker finds the dossier as written, never one rolled back.
    transaction.on_commit(lambda: _send_render(dossier_id))


def dossier_request_and_queue(
    *, project: Project, user: AbstractBaseUser, reuse_ready: bool = False
) -> Dossier:
    """Snapshot the project now and queue its rendering once this transaction commits.

    A request for content already waiting for a worker returns that dossier, queued once; for
    content the latest ready dossier already shows, that one (with `reuse_ready`)."""
    dossier = services.dossier_request(project=project, user=user, reuse_ready=reuse_ready)
    if dossier.requested_now:
        _queue_render(dossier.pk)
    return dossier


def dossier_retry_and_queue(*, dossier: Dossier) -> Dossier:
    """Queue a failed dossier again, from the same snapshot; DossierRefused unless it failed."""
    dossier = services.dossier_retry(dossier=dossier)
    _queue_render(dossier.pk)
    return dossier
