"""Writes of readiness dossiers: request (snapshot now), render (later, in a worker), fail, retry.

The snapshot is taken at request time, so the PDF shows the project as it was when someone
asked for it, however long the queue. Rendering is idempotent: a READY dossier is never
rendered again, and a second delivery of the same job cannot leave a second file behind.
"""

import datetime
import hashlib
import io
import logging
import time

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from pypdf import PdfReader

from readiness.dossiers import rendering
from readiness.dossiers.activity import activity_since
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.dossiers.snapshot import build_snapshot, snapshot_hash
from readiness.projects.activity import activity_record
from readiness.projects.models import ActivityAction, Project

logger = logging.getLogger(__name__)

NUMBER_ATTEMPTS = 5

# Shown on the dossier when its render task could not be sent; Retry sends it again.
RENDERER_UNAVAILABLE = "The renderer is unavailable; try again shortly."


class DossierRefused(Exception):
    """A dossier action that is not allowed in the dossier's state; the message is for users."""


def _person(user: AbstractBaseUser | None) -> str | None:
    if user is None:
        return None
    return getattr(user, "get_full_name", lambda: "")() or user.get_username()


def dossier_request(
    *, project: Project, user: AbstractBaseUser, reuse_ready: bool = False
) -> Dossier:
    """Snapshot the project now; the dossier waits, queued, for its rendering.

    With `reuse_ready`, when nothing changed since the latest ready dossier (same snapshot
    hash), that dossier is returned (`unchanged` set) instead of rendering a duplicate — the
    web's Generate; a lead's "generate a new version anyway" does not reuse.

    jobs.dossier_request_and_queue also sends the render task: the one path the views take.
    """
    snapshot = build_snapshot(project)
    digest = snapshot_hash(snapshot)
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                # Lock the project row so concurrent requests take numbers one after the other
                # (PostgreSQL); the unique constraint and the retry cover SQLite.
                Project.objects.select_for_update().filter(pk=project.pk).first()
                # A double click (or ten): the same content is already waiting for a worker.
                pending = (
                    Dossier.objects.filter(
                        project=project,
                        snapshot_hash=digest,
                        status__in=[DossierStatus.QUEUED, DossierStatus.RENDERING],
                    )
                    .order_by("-number")
                    .first()
                )
                if pending is not None:
                    pending.requested_now = False
                    return pending
                latest_ready = (
                    Dossier.objects.filter(project=project, status=DossierStatus.READY)
                    .order_by("-number")
                    .first()
                )
                if reuse_ready and latest_ready and latest_ready.snapshot_hash == digest:
                    latest_ready.requested_now = False
                    latest_ready.unchanged = True
                    return latest_ready
                last = Dossier.objects.filter(project=project).aggregate(n=Max("number"))["n"]
                number = (last or 0) + 1
                snapshot["dossier"] = {
                    "number": number,
                    "requested_by": _person(user),
                    "activity": activity_since(project, _last_seq_covered(project)),
                }
                dossier = Dossier.objects.create(
                    project=project,
                    number=number,
                    requested_by=user,
                    status=DossierStatus.QUEUED,
                    snapshot=snapshot,
                    snapshot_hash=digest,
                    verdict=snapshot["verdict"]["state"],
                )
                activity_record(
                    project=project,
                    actor=user,
                    action=ActivityAction.REQUESTED,
                    target_kind="dossier",
                    target_id=dossier.pk,
                    target_name=f"Dossier {number}",
                    summary=f"requested dossier {number} (verdict: "
                    f"{snapshot['verdict'].get('label') or snapshot['verdict']['state']})",
                    affects_review=False,
                )
            dossier.requested_now = True
            break
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    return dossier


def _last_seq_covered(project: Project) -> int:
    """The last history entry the latest ready dossier accounted for (0: none yet)."""
    seq = (
        Dossier.objects.filter(project=project, status=DossierStatus.READY)
        .order_by("-number")
        .values_list("snapshot__dossier__activity__to_seq", flat=True)
        .first()
    )
    return int(seq) if isinstance(seq, int | float | str) and str(seq).isdigit() else 0


def _previous_snapshot(dossier: Dossier) -> dict | None:
    previous = (
        Dossier.objects.filter(
            project_id=dossier.project_id, number__lt=dossier.number, status=DossierStatus.READY
        )
        .order_by("-number")
        .values_list("snapshot", flat=True)
        .first()
    )
    return previous


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def dossier_render(*, dossier_id: int) -> Dossier:
    """Render the PDF of a queued dossier from its snapshot. Safe to run twice."""
    dossier = Dossier.objects.select_related("project").get(pk=dossier_id)
    if dossier.status == DossierStatus.READY:
        return dossier
    Dossier.objects.filter(pk=dossier.pk).exclude(status=DossierStatus.READY).update(
        status=DossierStatus.RENDERING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        error="",
    )

    started = time.perf_counter()
    # Looked up on the module at call time, so tests can replace a stage.
    html = rendering.render_html(dossier.snapshot, _previous_snapshot(dossier))
    pdf = rendering.render_pdf(html)
    seconds = time.perf_counter() - started
    pages = _page_count(pdf)

    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("project").get(pk=dossier_id)
        if dossier.status == DossierStatus.READY:
            # Another delivery of the same job finished first: keep its file, drop ours.
            return dossier
        dossier.file.save(dossier.download_name, ContentFile(pdf), save=False)
        dossier.page_count = pages
        dossier.byte_size = len(pdf)
        dossier.sha256 = hashlib.sha256(pdf).hexdigest()
        dossier.render_seconds = round(seconds, 3)
        dossier.status = DossierStatus.READY
        dossier.error = ""
        dossier.finished_at = timezone.now()
        dossier.save(
            update_fields=[
                "file",
                "page_count",
                "byte_size",
                "sha256",
                "render_seconds",
                "status",
                "error",
                "finished_at",
            ]
        )
    logger.info(
        "Rendered dossier %s v%s: %s pages, %s bytes in %.1f s",
        dossier.project.slug,
        dossier.number,
        pages,
        len(pdf),
        seconds,
    )
    return dossier


def error_text(exc: BaseException) -> str:
    """A reason a user can read: the exception's class and message, never a traceback."""
    message = " ".join(str(exc).split())
    if len(message) > 500:
        message = message[:497] + "…"
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


def dossier_mark_failed(*, dossier_id: int, error: str) -> None:
    Dossier.objects.filter(pk=dossier_id).exclude(status=DossierStatus.READY).update(
        status=DossierStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def dossiers_fail_stuck(
    *, rendering_after: datetime.timedelta, queued_after: datetime.timedelta
) -> list[int]:
    """Mark dossiers that no worker will finish as failed, so that Retry can send them again.

    A worker killed as a whole (kill -9, out of memory, a lost node) reports nothing: its
    dossier would stay "rendering" until the broker redelivers the job, an hour later. Past
    the task's hard time limit no render is still running, whatever happened to it.
    """
    now = timezone.now()
    stuck = Dossier.objects.filter(
        Q(status=DossierStatus.RENDERING, started_at__lt=now - rendering_after)
        | Q(status=DossierStatus.RENDERING, started_at__isnull=True)
        | Q(status=DossierStatus.QUEUED, requested_at__lt=now - queued_after)
    )
    failed = []
    for dossier in stuck.only("pk", "status"):
        if dossier.status == DossierStatus.RENDERING:
            reason = (
                f"Rendering did not finish within {int(rendering_after.total_seconds())} "
                "seconds: the worker rendering it stopped. Retry to render it again."
            )
        else:
            reason = (
                f"No worker picked it up within {int(queued_after.total_seconds() // 60)} "
                "minutes. Retry to queue it again."
            )
        updated = Dossier.objects.filter(pk=dossier.pk, status=dossier.status).update(
            status=DossierStatus.FAILED, error=reason, finished_at=now
        )
        if updated:
            failed.append(dossier.pk)
    return failed


def dossier_retry(*, dossier: Dossier) -> Dossier:
    """Set a failed dossier back to queued, keeping its snapshot.

    jobs.dossier_retry_and_queue also sends the render task again.
    """
    updated = Dossier.objects.filter(pk=dossier.pk, status=DossierStatus.FAILED).update(
        status=DossierStatus.QUEUED, error="", started_at=None, finished_at=None
    )
    if not updated:
        raise DossierRefused("Only a failed dossier can be retried.")
    dossier.refresh_from_db()
    return dossier
