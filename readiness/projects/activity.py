"""The project's activity history: one append-only, hash-chained record of every change.

Every service that changes a project calls `activity_record` in the transaction of the change.
Recording also bumps the project's revision, so whatever is derived from a project (its review,
its verdict) can be kept keyed by that number: one path records the change and tells readers
that their copy is out of date.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from readiness.core.content import content_hash
from readiness.core.pages import note_write
from readiness.projects.models import ActivityAction, ActivityEntry, ActivityVia, Project


def person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def entry_content(entry: ActivityEntry) -> dict[str, Any]:
    """What an entry's hash covers: everything it says, and the previous entry's hash.

    The actor is covered by name, not id, so deleting a user account (which clears the id)
    does not break the chain.
    """
    return {
        "project": entry.project_id,
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_name,
        "via": entry.via,
        "action": entry.action,
        "target_kind": entry.target_kind,
        "target_id": entry.target_id,
        "target_name": entry.target_name,
        "check_key": entry.check_key,
        "summary": entry.summary,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: ActivityEntry) -> str:
    return content_hash(entry_content(entry))


def project_lock(project: Project) -> int:
    """Take the project's row lock until the transaction ends; return its current revision.

    Writes that first check a rule (last lead, sign what you saw, one record per intent) take
    it before reading, so concurrent requests go in turn (PostgreSQL; SQLite writes are
    serialized anyway). Must run inside a transaction.
    """
    return (
        Project.objects.select_for_update()
        .filter(pk=project.pk)
        .values_list("revision", flat=True)
        .get()
    )


@transaction.atomic
def activity_record(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    action: ActivityAction,
    target_kind: str,
    summary: str,
    target_id: int | None = None,
    target_name: str = "",
    check_key: str = "",
    changes: list[dict[str, Any]] | None = None,
    via: ActivityVia = ActivityVia.WEB,
    affects_review: bool = True,
) -> ActivityEntry:
    # The row lock keeps the chain from forking. The revision moves only when the change can
    # change the review (a dossier request cannot), so derived state is recomputed only then.
    note_write()
    if affects_review:
        Project.objects.filter(pk=project.pk).update(revision=F("revision") + 1)
        if project.revision is not None:
            project.revision += 1
    else:
        project_lock(project)
    last = (
        ActivityEntry.objects.filter(project=project)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, "")
    entry = ActivityEntry(
        project=project,
        seq=seq,
        at=timezone.now(),
        actor=actor,
        actor_name=person_name(actor),
        via=via,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        target_name=str(target_name)[:300],
        check_key=check_key,
        summary=summary[:500],
        changes=changes or [],
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    Project.objects.filter(pk=project.pk).update(history_head=entry.hash)
    project.history_head = entry.hash
    return entry


@dataclass(frozen=True)
class BrokenLink:
    project: Project
    seq: int
    reason: str


def history_verify(project: Project) -> BrokenLink | None:
    """Walk one project's chain from the start; the first entry that does not hold, if any."""
    expected_prev, expected_seq = "", 1
    for entry in ActivityEntry.objects.filter(project=project).order_by("seq").iterator(2000):
        if entry.seq != expected_seq:
            return BrokenLink(project, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != expected_prev:
            return BrokenLink(
                project, entry.seq, "its link to the previous entry does not match that entry"
            )
        if entry_hash(entry) != entry.hash:
            return BrokenLink(project, entry.seq, "its content does not match its hash")
        expected_prev, expected_seq = entry.hash, expected_seq + 1
    head = Project.objects.filter(pk=project.pk).values_list("history_head", flat=True).first()
    if head and head != expected_prev:
        return BrokenLink(
            project,
            expected_seq,
            f"the chain ends at entry #{expected_seq - 1}, but the project's newest recorded "
            "entry is not there: entries at the end are missing",
        )
    return None
