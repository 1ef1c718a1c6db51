"""Requesting a dossier and queueing its rendering, in one call: what the views use.

The services write the dossier; the task renders it by calling the services; this module stands
above both and sends the task once the write commits. So the services never import the task.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from readiness.dossiers import services
from readiness.dossiers.models import Dossier
from readiness.dossiers.tasks import render_dossier
from readiness.projects.models import Project


def _queue_render(dossier_id: int) -> None:
    # After the commit, so the worker finds the dossier as written, never one rolled back.
    transaction.on_commit(lambda: render_dossier.delay(dossier_id))


def dossier_request_and_queue(*, project: Project, user: AbstractBaseUser) -> Dossier:
    """Snapshot the project now and queue its rendering once this transaction commits."""
    dossier = services.dossier_request(project=project, user=user)
    _queue_render(dossier.pk)
    return dossier


def dossier_retry_and_queue(*, dossier: Dossier) -> Dossier:
    """Queue a failed dossier again, from the same snapshot; DossierRefused unless it failed."""
    dossier = services.dossier_retry(dossier=dossier)
    _queue_render(dossier.pk)
    return dossier
