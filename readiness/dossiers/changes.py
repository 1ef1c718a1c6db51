"""What changed between two dossier snapshots: a pure function over two plain dicts.

Items are matched by name (registers carry names, never ids), so a renamed item shows as one
removed and one added. Sign-off state of handoffs and exception decisions counts as a field.
"""

from typing import Any

REGISTER_ORDER = ("data-elements", "handoffs", "exceptions", "reports", "duties")
REGISTER_TITLES = {
    "data-elements": "Data elements",
    "handoffs": "Handoffs",
    "exceptions": "Exception cases",
    "reports": "Reports",
    "duties": "Duties",
}


def _name(kind: str, row: dict) -> str:
    if kind == "duties" and "kind" in row:
        # Built from kind and scope, not read from the row: snapshots before the dossier
        # capitalised "Whole project" named the same duty "… — whole project".
        return f"{row['kind']} — {row.get('handoff') or 'Whole project'}"
    return str(row.get("name"))


def _registers(snapshot: dict | None) -> dict[str, dict[str, dict]]:
    """Register kind → {item name → row} for every check of the snapshot."""
    registers: dict[str, dict[str, dict]] = {kind: {} for kind in REGISTER_ORDER}
    for check in (snapshot or {}).get("checks", []):
        kind = check.get("register", check.get("key", ""))
        rows = registers.setdefault(kind, {})
        for row in check.get("rows", []):
            rows[_name(kind, row)] = row
    return registers


def _changed_fields(before: dict, after: dict) -> list[str]:
    return sorted(
        key
        for key in before.keys() | after.keys()
        if key != "name" and before.get(key) != after.get(key)
    )


def _register_diff(kind: str, before: dict[str, dict], after: dict[str, dict]) -> dict:
    changed = []
    for name in sorted(before.keys() & after.keys()):
        fields = _changed_fields(before[name], after[name])
        if fields:
            changed.append({"name": name, "fields": fields})
    return {
        "kind": kind,
        "title": REGISTER_TITLES.get(kind, kind),
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": changed,
    }


def _verdict(snapshot: dict | None) -> dict[str, Any] | None:
    if not snapshot:
        return None
    verdict = snapshot.get("verdict") or {}
    return {"state": verdict.get("state"), "label": verdict.get("label")}


def diff_snapshots(previous: dict | None, current: dict) -> dict:
    """Per register: items added, removed, changed (with field names); verdict before → after;
    check status changes. With no previous snapshot this is the first dossier."""
    before_registers = _registers(previous)
    after_registers = _registers(current)
    registers = [
        _register_diff(kind, before_registers.get(kind, {}), after_registers.get(kind, {}))
        for kind in dict.fromkeys([*REGISTER_ORDER, *after_registers, *before_registers])
    ]
    if previous is None:
        registers = [{**r, "added": [], "removed": [], "changed": []} for r in registers]

    before_checks = {c.get("key"): c for c in (previous or {}).get("checks", [])}
    checks = []
    for check in current.get("checks", []):
        old = before_checks.get(check.get("key"))
        if previous is not None and (old is None or old.get("status") != check.get("status")):
            checks.append(
                {
                    "key": check.get("key"),
                    "number": check.get("number"),
                    "title": check.get("title"),
                    "before": old.get("status_label") if old else None,
                    "after": check.get("status_label"),
                }
            )

    verdict_before, verdict_after = _verdict(previous), _verdict(current)
    verdict = {
        "before": verdict_before["label"] if verdict_before else None,
        "after": verdict_after["label"] if verdict_after else None,
        "changed": previous is not None and verdict_before != verdict_after,
    }
    for register in registers:
        register["count"] = (
            len(register["added"]) + len(register["removed"]) + len(register["changed"])
        )
    return {
        "first": previous is None,
        "previous_number": ((previous or {}).get("dossier") or {}).get("number"),
        "verdict": verdict,
        "checks": checks,
        "registers": registers,
        "unchanged": previous is not None
        and not verdict["changed"]
        and not checks
        and not any(r["count"] for r in registers),
    }
