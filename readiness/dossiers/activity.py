"""Who changed what between two dossiers, from the project's activity history.

The register diff of two snapshots says *what* is different; the history says *how* it came
about: which answers changed, which findings were accepted (not fixed) and by whom, which
sign-offs were added, revoked or went stale, and which exception tests were run.
"""

from typing import Any

from django.utils import timezone

from readiness.projects.models import ActivityAction, ActivityEntry, Project
from readiness.projects.selectors import ITEM_KINDS

ENTRY_LIMIT = 400  # per dossier; the count of the rest is printed

GROUPS = (
    ("acceptances", "Risks accepted or withdrawn"),
    ("signoffs", "Sign-offs added, revoked or gone stale"),
    ("tests", "Exception test results"),
    ("answers", "Answers changed"),
    ("registers", "Register changes"),
    ("risks", "Risks added or removed by hand"),
    ("project", "Project settings, members and signatories"),
)
REGISTER_KINDS = {
    "data-elements",
    "handoffs",
    "exceptions",
    "reports",
    "duties",
    "owners",
    "systems",
}
TEST_FIELDS = {"test_status", "tested_on", "evidence"}


def _group(entry: ActivityEntry) -> str | None:
    if entry.action in (ActivityAction.SIGNED, ActivityAction.REVOKED):
        return "signoffs"
    if entry.target_kind == "finding":
        return "acceptances"
    if entry.target_kind == "answer":
        return "answers"
    if entry.target_kind == "risk":
        return "risks"
    if entry.target_kind == "exceptions" and any(
        c.get("field") in TEST_FIELDS for c in entry.changes
    ):
        return "tests"
    if entry.target_kind in ITEM_KINDS:
        return "registers"
    if entry.target_kind in ("project", "member", "signatory"):
        return "project"
    return None  # dossier requests are the dossiers themselves


def activity_since(project: Project, after_seq: int) -> dict[str, Any]:
    """The history entries after `after_seq`, plain and grouped, for a dossier's snapshot."""
    entries = list(
        ActivityEntry.objects.filter(project=project, seq__gt=after_seq)
        .exclude(target_kind="dossier")
        .order_by("seq")[: ENTRY_LIMIT + 1]
    )
    last = ActivityEntry.objects.filter(project=project).order_by("-seq").values("seq").first()
    rows = [
        {
            # Local time, like every other moment in the snapshot.
            "at": timezone.localtime(e.at).isoformat(timespec="seconds"),
            "who": e.actor_name or "System",
            "summary": e.summary,
            "group": _group(e),
            "changes": [
                {"label": c.get("label"), "old": c.get("old"), "new": c.get("new")}
                for c in e.changes
                if c.get("field") != "content_hash"
            ],
        }
        for e in entries[:ENTRY_LIMIT]
    ]
    return {
        "after_seq": after_seq,
        "to_seq": last["seq"] if last else 0,
        "entries": [r for r in rows if r["group"]],
        "more": max(0, len(entries) - ENTRY_LIMIT),
    }


def _stale_now(snapshot: dict) -> dict[str, str]:
    """Subject → signer of every stale sign-off in a snapshot (checks and items)."""
    stale = {}
    for check in snapshot.get("checks", []):
        signoff = check.get("signoff")
        if signoff and signoff.get("stale"):
            stale[f"Check {check.get('number')} · {check.get('title')}"] = signoff.get("owner")
    for s in snapshot.get("stale_signoffs", []):
        stale[s.get("subject") or s.get("name")] = s.get("owner")
    return stale


def activity_view(previous: dict | None, snapshot: dict) -> dict[str, Any] | None:
    """The grouped history for the dossier's change chapter; None for a first dossier."""
    if previous is None:
        return None
    activity = (snapshot.get("dossier") or {}).get("activity")
    if activity is None:
        return None
    groups = {key: [] for key, _ in GROUPS}
    for row in activity["entries"]:
        groups[row["group"]].append(row)
    before = _stale_now(previous)
    for subject, owner in _stale_now(snapshot).items():
        if subject not in before:
            groups["signoffs"].append(
                {
                    "at": None,
                    "who": "",
                    "summary": f"{owner}’s sign-off of {subject} went stale: the content "
                    f"changed after it was signed",
                    "changes": [],
                }
            )
    accepted = sum(1 for r in groups["acceptances"] if "accepted the finding" in r["summary"])
    return {
        "groups": [
            {"key": key, "title": title, "rows": groups[key]}
            for key, title in GROUPS
            if groups[key]
        ],
        "accepted": accepted,
        "more": activity.get("more", 0),
    }
