"""What changed since a sign-off, and who changed it: the explanation a stale signature owes.

Signed content is kept on every sign-off; the current content comes from the review. The
difference between the two is listed field by field, and each change is attributed to the
newest history entry that touched that subject since the signature.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from readiness.core.content import canonical_json, content_diff, value_for_people
from readiness.projects.models import ActivityEntry, Project
from readiness.registers.models import Duty
from readiness.registers.specs import SPECS
from readiness.reviews.definitions import CheckDefinition
from readiness.reviews.models import AnswerChoice, SignOff

ANSWER_WORDS = dict(AnswerChoice.choices)


@dataclass(frozen=True)
class Change:
    subject: str  # what changed: "", or "Data element “Customer”", "Question “…”"
    label: str  # the field
    old: object
    new: object
    by: str = ""  # who changed it last, when the history knows
    at: datetime | None = None


# An import records one entry for all it changed; each of its changes names its item.
IMPORT = "import"


def _imported(entry: ActivityEntry, field: str, kind: str, pk=None, name=None) -> bool:
    return any(
        c.get("kind") == kind
        and c.get("field") == field
        and (c.get("id") == pk if pk is not None else c.get("name") == name)
        for c in entry.changes
    )


def _names(entry: ActivityEntry, kind: str, name: str) -> bool:
    if entry.target_kind == IMPORT:
        return any(c.get("kind") == kind and c.get("name") == name for c in entry.changes)
    return entry.target_name == name


def _attribute(
    entries: list[ActivityEntry],
    field: str,
    name: str | None = None,
    *,
    kind: str = "",
    pk: int | None = None,
):
    """The newest entry that changed `field` (of the subject called `name`, if given)."""
    for entry in entries:
        if entry.target_kind == IMPORT:
            if _imported(entry, field, kind, pk, name):
                return entry
            continue
        if name is not None and entry.target_name != name:
            continue
        if any(c.get("field") == field for c in entry.changes) or entry.action == "deleted":
            return entry
    return None


def _change(subject, diff, entry) -> Change:
    return Change(
        subject=subject,
        label=diff["label"],
        old=diff["old"],
        new=diff["new"],
        by=entry.actor_name if entry else "",
        at=entry.at if entry else None,
    )


def item_changes(*, project: Project, kind: str, pk: int, signoff: SignOff, current: dict):
    """Field by field, how a signed handoff or exception case differs from what was signed."""
    model = SPECS[kind].model
    entries = list(
        ActivityEntry.objects.filter(project=project, at__gte=signoff.signed_at)
        .filter(Q(target_kind=kind, target_id=pk) | Q(target_kind=IMPORT))
        .order_by("-seq")
    )
    return [
        _change("", d, _attribute(entries, d["field"], kind=kind, pk=pk))
        for d in content_diff(model, signoff.content, current)
    ]


def _row_name(kind: str, row: dict) -> str:
    if "name" in row:
        return str(row["name"])
    if kind == "duties":
        scope = row.get("handoff") or "Whole project"
        return f"{value_for_people(Duty, 'kind', row.get('kind'))} — {scope}"
    return canonical_json(row)


def check_changes(*, project: Project, check: CheckDefinition, signoff: SignOff, current: dict):
    """How a check's current register, answers and findings differ from what was signed."""
    spec = SPECS[check.register]
    signed = signoff.content or {}
    # One query for the register's entries and the check's answers.
    everything = ActivityEntry.objects.filter(project=project, at__gte=signoff.signed_at).filter(
        Q(target_kind=check.register)
        | Q(target_kind=IMPORT)
        | Q(target_kind="answer", check_key=check.key)
    )
    everything = list(everything.order_by("-seq"))
    entries = [e for e in everything if e.target_kind in (check.register, IMPORT)]
    answer_entries = [e for e in everything if e.target_kind == "answer"]
    changes: list[Change] = []

    old_rows = {_row_name(spec.kind, r): r for r in signed.get("register", [])}
    new_rows = {_row_name(spec.kind, r): r for r in current.get("register", [])}
    for name in sorted(set(old_rows) | set(new_rows)):
        old, new = old_rows.get(name), new_rows.get(name)
        if old == new:
            continue
        subject = f"{spec.singular.capitalize()} “{name}”"
        if old is None or new is None:
            entry = next((e for e in entries if _names(e, spec.kind, name)), None)
            what = "Added" if old is None else "Removed"
            changes.append(Change(subject, what, "", "", *_by(entry)))
            continue
        for d in content_diff(spec.model, old, new):
            entry = _attribute(entries, d["field"], name, kind=spec.kind)
            changes.append(_change(subject, d, entry))

    prompts = {q.key: q.prompt for q in check.questions}
    old_answers, new_answers = signed.get("answers", {}), current.get("answers", {})
    for key in prompts:
        old, new = old_answers.get(key) or {}, new_answers.get(key) or {}
        for field, label in (("answer", "Answer"), ("note", "Note")):
            if old.get(field) == new.get(field):
                continue
            entry = _attribute(answer_entries, field, prompts[key])
            words = ANSWER_WORDS if field == "answer" else {}
            changes.append(
                Change(
                    f"Question “{prompts[key]}”",
                    label,
                    words.get(old.get(field), old.get(field)) or "—",
                    words.get(new.get(field), new.get(field)) or "—",
                    *_by(entry),
                )
            )

    def finding_key(f):
        return (f["rule"], f["title"], tuple(f["items"]))

    old_findings = {finding_key(f): f for f in signed.get("findings", [])}
    new_findings = {finding_key(f): f for f in current.get("findings", [])}
    for key in sorted(set(old_findings) | set(new_findings)):
        old, new = old_findings.get(key), new_findings.get(key)
        if old == new:
            continue
        subject = f"Finding “{key[1]}”"
        if old is None:
            changes.append(Change(subject, "New finding", "—", _severity(new)))
        elif new is None:
            changes.append(Change(subject, "Cleared", _severity(old), "—"))
        else:
            if old["severity"] != new["severity"]:
                changes.append(Change(subject, "Severity", _severity(old), _severity(new)))
            if old.get("accepted") != new.get("accepted"):
                changes.append(
                    Change(
                        subject, "Accepted", old.get("accepted") or "—", new.get("accepted") or "—"
                    )
                )
    return changes


def _severity(finding: dict) -> str:
    return str(finding["severity"]).capitalize()


def _by(entry: ActivityEntry | None) -> tuple[str, datetime | None]:
    return (entry.actor_name, entry.at) if entry else ("", None)


def entries_since(
    *, project: Project, seq: int, kind: str | None = None, pk: int | None = None, check=None
) -> list[ActivityEntry]:
    """History entries after `seq` about one item, or about one check (register, answers,
    risks, findings, signatory): what happened while someone had a page open."""
    qs = ActivityEntry.objects.filter(project=project, seq__gt=seq).order_by("seq")
    if kind is not None:
        qs = qs.filter(target_kind=kind, target_id=pk)
    if check is not None:
        qs = qs.filter(Q(target_kind=check.register) | Q(check_key=check.key))
    return list(qs[:200])


def last_activity_seq(project: Project) -> int:
    """The newest history entry's number: a page remembers it to show what happened since."""
    last = ActivityEntry.objects.filter(project=project).order_by("-seq").values("seq").first()
    return last["seq"] if last else 0
