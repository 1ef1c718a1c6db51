"""Turn a dossier snapshot into HTML (a Django template) and the HTML into a PDF (WeasyPrint).

The PDF is built from the snapshot only. WeasyPrint gets our stylesheet as a string and a URL
fetcher that serves nothing but our own static files: user text is autoescaped anyway, but even
raw HTML pointing at file://, http(s):// or data: URLs cannot make the renderer read a file or
call a server.
"""

import datetime as dt
import logging
import mimetypes
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from readiness.dossiers.activity import activity_view
from readiness.dossiers.changes import diff_snapshots
from readiness.dossiers.pdf_format import PDF_VARIANT
from readiness.dossiers.snapshot import snapshot_hash
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report

logger = logging.getLogger(__name__)

STATIC_SCHEME = "static:"
SEVERITIES = ("blocker", "high", "medium", "low")
SEVERITY_LABELS = {"blocker": "Blocker", "high": "High", "medium": "Medium", "low": "Low"}
SEVERITY_COLOURS = {"blocker": "#7a1a12", "high": "#c2410c", "medium": "#d49a1a", "low": "#9aa5b1"}
BRAND = "#1f4e79"
# Items named in one finding row; the register tables list every item anyway.
FINDING_ITEMS_SHOWN = 12


# --- URL fetching -------------------------------------------------------------------------


class URLRefused(ValueError):
    """WeasyPrint asked for a resource that is not one of our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:<path>` from the staticfiles finders; refuses every other URL.

    WeasyPrint catches the exception, logs a warning and renders without the resource.
    `served` and `refused` record what was asked for, for tests and logs.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if not url.startswith(STATIC_SCHEME):
            self.refused.append(url)
            raise URLRefused(f"Refused to fetch {url[:200]!r}: only our static files are served.")
        path = unquote(url[len(STATIC_SCHEME) :].split("?")[0].split("#")[0]).lstrip("/")
        if not path or ".." in PurePosixPath(path).parts or "\\" in path:
            self.refused.append(url)
            raise URLRefused(f"Refused to fetch {url[:200]!r}: not a static file path.")
        found = finders.find(path)
        if not found:
            self.refused.append(url)
            raise URLRefused(f"No static file {path!r}.")
        with open(found, "rb") as f:
            body = f.read()
        self.served.append(url)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


# --- formatting ---------------------------------------------------------------------------


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    return dt.date.fromisoformat(iso[:10]).strftime("%-d %b %Y")


def _datetime(iso: str | None) -> str:
    if not iso:
        return ""
    value = dt.datetime.fromisoformat(iso)
    if timezone.is_aware(value):
        # In the project's zone (dossier_context activates it), named by its abbreviation.
        value = timezone.localtime(value)
    zone = value.strftime("%Z") or value.strftime("UTC%z")
    return f"{value.strftime('%-d %b %Y, %H:%M')} {zone}".strip()


def _activity_view(previous: dict | None, snapshot: dict) -> dict | None:
    """The history chapter with its moments written out like the dossier's other dates."""
    view = activity_view(previous, snapshot)
    if view is not None:
        for group in view["groups"]:
            group["rows"] = [{**row, "at": _datetime(row.get("at"))} for row in group["rows"]]
    return view


def _days(days: int | None, *, future: str, past: str) -> str:
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days > 0:
        return f"{future} {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} {past}"


def _names(values, limit: int | None = None) -> str:
    if not values:
        return ""
    if isinstance(values, str):
        return values
    values = list(values)
    if limit is not None and len(values) > limit:
        return ", ".join(values[:limit]) + f" and {len(values) - limit} more"
    return ", ".join(values)


def _text(value) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, (list, tuple)):
        return _names(value)
    return str(value)


def short_hash(value: str | None) -> str:
    return (value or "")[:12]


# --- register tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    label: str
    width: int  # percent of the table width
    value: Callable[[dict], str]
    css: Callable[[dict], str] | None = None


def _flags(row: dict, flags: tuple[tuple[str, str, bool], ...]) -> str:
    return "; ".join(label for field, label, when in flags if bool(row.get(field)) is when)


def _end(system, team) -> str:
    # The system is what the register is about; the team shows where no system is involved.
    return system or team or "?"


def _signoff_cell(row: dict) -> str:
    # Only the item's own owner can sign it, so the date and the state say enough.
    state = row.get("signoff")
    if not state:
        return "Not signed"
    signed = _date(state.get("signed_at"))
    return f"STALE, signed {signed}" if state.get("stale") else f"Signed {signed}"


def _signoff_css(row: dict) -> str:
    state = row.get("signoff")
    if not state:
        return "unsigned"
    return "stale" if state.get("stale") else "ok"


def _tested(row: dict) -> str:
    status = row.get("test_status") or ""
    return f"{status}, {_date(row['tested_on'])}" if row.get("tested_on") else status


COLUMNS: dict[str, tuple[Col, ...]] = {
    "data-elements": (
        Col("Data element", 20, lambda r: _text(r.get("name"))),
        Col("Criticality", 15, lambda r: _text(r.get("criticality"))),
        Col("System of truth", 16, lambda r: _text(r.get("system_of_truth")) or "None named"),
        Col("Consumed by", 20, lambda r: _names(r.get("consuming_systems"), 6)),
        Col("Steward", 14, lambda r: _text(r.get("steward")) or "None"),
        Col(
            "Flags",
            15,
            lambda r: _flags(
                r,
                (
                    ("defined_differently", "Defined differently", True),
                    ("truth_disputed", "Truth disputed", True),
                ),
            ),
            lambda r: "warn",
        ),
    ),
    "handoffs": (
        Col("Handoff", 25, lambda r: _text(r.get("name"))),
        Col(
            "From → to",
            20,
            lambda r: (
                f"{_end(r.get('from_system'), r.get('from_team'))} → "
                f"{_end(r.get('to_system'), r.get('to_team'))}"
            ),
        ),
        Col(
            "Mechanism",
            12,
            lambda r: (
                _text(r.get("mechanism"))
                + (" · local workaround" if r.get("is_workaround") else "")
            ),
        ),
        Col("Receiving owner", 13, lambda r: _text(r.get("receiving_owner")) or "None"),
        Col("Who may fix", 13, lambda r: _text(r.get("fixer")) or "Nobody named"),
        Col("Sign-off", 17, _signoff_cell, _signoff_css),
    ),
    "exceptions": (
        Col("Exception case", 36, lambda r: _text(r.get("name"))),
        Col("Severity", 8, lambda r: _text(r.get("severity"))),
        Col(
            "Test",
            18,
            _tested,
            lambda r: {"Failed": "bad", "Untested": "warn"}.get(r.get("test_status"), ""),
        ),
        Col("Handling", 8, lambda r: _text(r.get("expected_handling"))),
        Col("Decision owner", 13, lambda r: _text(r.get("decision_owner")) or "None"),
        Col("Sign-off", 17, _signoff_cell, _signoff_css),
    ),
    "reports": (
        Col("Report", 24, lambda r: _text(r.get("name"))),
        Col("When", 15, lambda r: _text(r.get("timing"))),
        Col(
            "Sources",
            34,
            lambda r: (
                _names([*r.get("source_elements", []), *r.get("source_systems", [])], 6)
                or "None listed"
            ),
        ),
        Col("Owner", 12, lambda r: _text(r.get("owner")) or "None"),
        Col(
            "Flags",
            15,
            lambda r: _flags(
                r,
                (
                    ("needs_reconciliation", "Manual reconciliation", True),
                    ("shows_why", "Cannot show why", False),
                ),
            ),
            lambda r: "warn",
        ),
    ),
    "duties": (
        Col("Duty", 26, lambda r: _text(r.get("kind"))),
        Col("Scope", 25, lambda r: _text(r.get("handoff")) or "Whole project"),
        Col("Owner", 13, lambda r: _text(r.get("owner")) or "None"),
        Col("Notes", 36, lambda r: _text(r.get("notes"))),
    ),
}

MODELS = {
    "data-elements": DataElement,
    "handoffs": Handoff,
    "exceptions": ExceptionCase,
    "reports": Report,
    "duties": Duty,
}


def field_label(kind: str, field: str) -> str:
    if field == "signoff":
        return "sign-off"
    model = MODELS.get(kind)
    try:
        return str(model._meta.get_field(field).verbose_name) if model else field
    except Exception:
        return field.replace("_", " ")


def _cell(text: str, css: str) -> str:
    # An empty cell needs no class: most Flags cells are empty, and a class is one more rule
    # to match and one more computed style.
    return f'<td class="{css}">{escape(text)}</td>' if css and text else f"<td>{escape(text)}</td>"


def register_table(kind: str, rows: list[dict]) -> dict:
    """The register's columns, and its body as HTML: one `<tr>` per row, cells escaped here.

    Written in Python rather than by a template loop over ~17,000 cells, which took Django
    longer than the whole rest of the dossier's template. No whitespace between rows or cells
    (each whitespace node would be a box WeasyPrint builds and then throws away).
    """
    columns = COLUMNS[kind]
    assert sum(c.width for c in columns) == 100, kind
    body = "".join(
        "<tr>"
        + "".join(_cell(col.value(row), col.css(row) if col.css else "") for col in columns)
        + "</tr>"
        for row in rows
    )
    return {
        "columns": [(c.label, c.width) for c in columns],
        "count": len(rows),
        # Safe: every cell's text is escaped above; classes and tags are ours.
        "body": mark_safe(body),
    }


# --- the chart ----------------------------------------------------------------------------


def readiness_chart(checks: list[dict]) -> SafeString:
    """Per check: share of questions answered, and open findings stacked by severity."""
    row_h, top, label_w, bar_w, gap = 30, 26, 210, 190, 30
    find_x = label_w + bar_w + gap + 40
    find_w = 260
    totals = [Counter(f["severity"] for f in c["findings"] if not f["accepted"]) for c in checks]
    most = max([sum(t.values()) for t in totals] + [1])
    height = top + row_h * len(checks) + 30
    width = find_x + find_w + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart" font-family="Liberation Sans, DejaVu Sans, sans-serif">',
        f'<text x="{label_w}" y="14" font-size="11" fill="#5b6776">Questions answered</text>',
        f'<text x="{find_x}" y="14" font-size="11" fill="#5b6776">Open findings by severity</text>',
    ]
    for i, (check, counts) in enumerate(zip(checks, totals, strict=True)):
        y = top + i * row_h
        questions = len(check["questions"])
        answered = sum(1 for q in check["questions"] if q["answer"])
        share = answered / questions if questions else 0
        label = escape(f"{check['number']} · {check['title']}")
        parts.append(f'<text x="0" y="{y + 14}" font-size="12" fill="#1b2430">{label}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="#e8eef5"/>'
        )
        if share:
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * share:.1f}" height="14" '
                f'fill="{BRAND}"/>'
            )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}" font-size="11" fill="#1b2430">'
            f"{round(share * 100)}%</text>"
        )
        x = float(find_x)
        for severity in SEVERITIES:
            n = counts.get(severity, 0)
            if not n:
                continue
            w = find_w * n / most
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="14" '
                f'fill="{SEVERITY_COLOURS[severity]}"/>'
            )
            if w >= 16:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 14}" font-size="10" fill="#fff" '
                    f'text-anchor="middle">{n}</text>'
                )
            x += w
        total = sum(counts.values())
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 14}" font-size="11" fill="#1b2430">'
            f"{total or 'none'}</text>"
        )
    legend_y = top + row_h * len(checks) + 14
    x = find_x
    for severity in SEVERITIES:
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{SEVERITY_COLOURS[severity]}"/>'
            f'<text x="{x + 14}" y="{legend_y}" font-size="10" fill="#5b6776">'
            f"{SEVERITY_LABELS[severity]}</text>"
        )
        x += 62
    parts.append("</svg>")
    # Safe: numbers and colours are ours, and the only text from users (titles) is escaped.
    return mark_safe("".join(parts))


# --- the document -------------------------------------------------------------------------


def _named_in(text: str, name: str) -> bool:
    # As a whole name: "Item 05" is not named by a message about "Item 0568".
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _finding_view(finding: dict) -> dict:
    accepted = finding.get("accepted")
    message, items = finding["message"] or "", finding["items"]
    return {
        "severity": finding["severity"],
        "severity_label": SEVERITY_LABELS.get(finding["severity"], finding["severity"]),
        "title": finding["title"],
        "message": message,
        "manual": finding.get("manual"),
        # Most messages name their items already; list them only when one is not named, so a
        # large register's findings are not each printed twice.
        "items": (
            ""
            if all(_named_in(message, item) for item in items)
            else _names(items, FINDING_ITEMS_SHOWN)
        ),
        "accepted": {
            **accepted,
            "at": _date(accepted.get("at")),
            "expires_on": _date(accepted.get("expires_on")),
        }
        if accepted
        else None,
        "proposed": finding.get("proposed"),
    }


def _finding_pattern(finding: dict) -> str | None:
    """The finding's message with its items cut out, when the items are all it is about.

    Two open rule findings with the same severity, title and pattern say the same thing about
    different items, so the dossier prints the first one in full and names the others after it:
    each of their messages is the pattern with their own items put back, nothing is lost.
    None for findings that must stand alone: added by the team, accepted or proposed as a risk
    (each has its own rationale and people), or a message that does not name every item.
    """
    if finding.get("manual") or finding.get("accepted") or finding.get("proposed"):
        return None
    pattern, items = finding["message"] or "", finding["items"]
    if not items:
        return None
    for i, item in enumerate(items):
        pattern, n = re.subn(rf"(?<!\w){re.escape(item)}(?!\w)", f"\x00{i}\x00", pattern)
        if not n:
            return None
    rebuilt = pattern
    for i, item in enumerate(items):
        rebuilt = rebuilt.replace(f"\x00{i}\x00", item)
    return pattern if rebuilt == finding["message"] else None


def _same_finding_label(items: list[str]) -> str:
    # "Customer 0048 (Marco Bianchi)": the register item, then who or what else the message names.
    return items[0] + (f" ({', '.join(items[1:])})" if len(items) > 1 else "")


def _findings_view(findings: list[dict]) -> list[dict]:
    """One row per finding, except that findings saying the same thing about different items
    share one row: the first in full, then "The same for N more: …" with the others' items.

    A large project's rules find the same weak spot in hundreds of items; a row each made the
    dossier long and slow to lay out, and the reader had to compare the rows to see that.
    """
    rows: list[dict] = []
    groups: dict[tuple, dict] = {}
    for finding in findings:
        pattern = _finding_pattern(finding)
        key = (finding["severity"], finding["title"], len(finding["items"]), pattern)
        row = groups.get(key) if pattern is not None else None
        if row is not None:
            row["same_for"].append(_same_finding_label(finding["items"]))
            continue
        row = {**_finding_view(finding), "same_for": []}
        rows.append(row)
        if pattern is not None:
            groups[key] = row
    for row in rows:
        row["same_for_text"] = ", ".join(row["same_for"])
    return rows


def _signoff_view(signoff: dict | None) -> dict | None:
    if not signoff:
        return None
    return {**signoff, "signed_at": _datetime(signoff.get("signed_at"))}


def _check_view(check: dict) -> dict:
    findings = _findings_view(check["findings"])
    open_counts = Counter(f["severity"] for f in check["findings"] if not f["accepted"])
    questions = check["questions"]
    return {
        **check,
        "anchor": f"check-{check['key']}",
        "answered": sum(1 for q in questions if q["answer"]),
        "open_findings": sum(open_counts.values()),
        "open_blockers": open_counts.get("blocker", 0),
        "accepted_count": sum(1 for f in check["findings"] if f["accepted"]),
        "findings": findings,
        "finding_count": len(check["findings"]),
        "table": register_table(check["register"], check["rows"]),
        "signoff": _signoff_view(check.get("signoff")),
    }


def _changes_view(diff: dict) -> dict:
    registers = []
    for register in diff["registers"]:
        registers.append(
            {
                **register,
                "changed": [
                    {
                        "name": c["name"],
                        "fields": ", ".join(field_label(register["kind"], f) for f in c["fields"]),
                    }
                    for c in register["changed"]
                ],
            }
        )
    return {**diff, "registers": registers}


def _subject_label(entry: dict) -> str:
    """The subject with its kind: a check's subject ("Check 4 · Reporting") names it already;
    items read "Handoff · <name>", "Exception decision · <name>"."""
    subject, kind = entry.get("subject") or "", entry.get("kind") or ""
    if not kind or kind == "Check":
        return subject
    return f"{kind} · {subject}"


def _blocker_groups(verdict: dict, due_event: str) -> list[dict]:
    """The verdict's open blockers by check (the first few of each; the check sections list
    them all), each with the decision the dossier asks of leadership."""
    groups = []
    for check in verdict.get("checks", []):
        if not check["blocker_count"]:
            continue
        rows = []
        for b in check["blockers"]:
            if b["proposed_by"]:
                decision = f"Approve or decline the acceptance {b['proposed_by']} proposed"
            else:
                decision = f"Fix before {due_event}, or accept the risk (two-person acceptance)"
            item = b["item_name"]
            if item and b["more_items"]:
                item += f" and {b['more_items']} more"
            rows.append({**b, "item": item, "decision": decision})
        groups.append(
            {
                "label": f"Check {check['number']} · {check['title']}",
                "anchor": f"check-{check['key']}",
                "count": check["blocker_count"],
                "more": check["blocker_count"] - len(check["blockers"]),
                "rows": rows,
            }
        )
    return groups


def dossier_context(snapshot: dict, previous: dict | None) -> dict:
    zone = (snapshot.get("project") or {}).get("time_zone")
    with timezone.override(zone or timezone.get_default_timezone()):
        return _dossier_context(snapshot, previous)


def _dossier_context(snapshot: dict, previous: dict | None) -> dict:
    checks = [_check_view(c) for c in snapshot["checks"]]
    verdict = snapshot["verdict"]
    project = snapshot["project"]
    severity_rows = []
    for severity in SEVERITIES:
        found = [f for c in snapshot["checks"] for f in c["findings"] if f["severity"] == severity]
        accepted = sum(1 for f in found if f["accepted"])
        severity_rows.append(
            {
                "severity": severity,
                "label": SEVERITY_LABELS[severity],
                "open": len(found) - accepted,
                "accepted": accepted,
            }
        )
    dossier = snapshot.get("dossier") or {}
    locks = verdict.get("days_to_plan_lock", 0) >= 0  # blockers are due by plan lock, else go-live
    history = [
        {
            **entry,
            "subject_label": _subject_label(entry),
            "signed_at": _datetime(entry.get("signed_at")),
            "revoked_at": _datetime(entry.get("revoked_at")),
            "hash_head": (entry.get("hash") or "")[:32],
            "hash_tail": (entry.get("hash") or "")[32:],
        }
        for entry in snapshot.get("signoff_history", [])
    ]
    stale_signoffs = [
        {**entry, "signed_at": _date(entry.get("signed_at"))}
        for entry in snapshot.get("stale_signoffs", [])
    ]
    return {
        "snapshot": snapshot,
        "project": project,
        "dossier_number": dossier.get("number"),
        "requested_by": dossier.get("requested_by"),
        "snapshot_hash": snapshot_hash(snapshot),
        "generated_at": _datetime(snapshot.get("generated_at")),
        "as_of": _date(snapshot.get("as_of")),
        "go_live": _date(project.get("go_live_date")),
        "plan_lock": _date(project.get("plan_lock_date")),
        "parallel_run": (
            f"{_date(project['parallel_run_start'])} – {_date(project['parallel_run_end'])}"
            if project.get("parallel_run_start")
            else ""
        ),
        "go_live_in": _days(verdict.get("days_to_go_live"), future="in", past="ago"),
        "plan_lock_in": _days(verdict.get("days_to_plan_lock"), future="in", past="ago"),
        "verdict": verdict,
        "blocker_count": verdict.get("blocker_count", len(verdict.get("blockers", []))),
        "blocker_groups": _blocker_groups(verdict, "plan lock" if locks else "go-live"),
        "blockers_due": _date(project.get("plan_lock_date" if locks else "go_live_date")),
        "blockers_due_event": "plan lock" if locks else "go-live",
        "unsigned_checks": [c for c in checks if c["status"] != "signed"],
        "checks": checks,
        "severity_rows": severity_rows,
        "chart": readiness_chart(snapshot["checks"]),
        "changes": _changes_view(diff_snapshots(previous, snapshot)),
        "activity": _activity_view(previous, snapshot),
        "history": history,
        "stale_signoffs": stale_signoffs,
        "accepted_blockers": [
            {**b, "expires_on": _date(b.get("expires_on"))}
            for b in verdict.get("accepted_blockers", [])
        ],
        "assurance": [
            {**a, "reviewed_on": _date(a.get("reviewed_on"))} for a in snapshot.get("assurance", [])
        ],
        "latest_assurance": (snapshot.get("assurance") or [None])[0],
        "test_runs": [
            {**run, "run_on": _date(run.get("run_on"))} for run in snapshot.get("test_runs", [])
        ],
    }


def render_html(snapshot: dict, previous: dict | None) -> str:
    context = dossier_context(snapshot, previous)
    with timezone.override((snapshot.get("project") or {}).get("time_zone") or None):
        return render_to_string("dossier/dossier.html", context)


def dossier_css() -> str:
    # A template only so that it is found like the HTML; it has no variables.
    return render_to_string("dossier/dossier.css")


_parsed = threading.local()


def dossier_stylesheet() -> tuple[CSS, FontConfiguration]:
    """The dossier stylesheet, parsed once per thread, with the font configuration it belongs to.

    Building a FontConfiguration loads fontconfig's configuration and font list, and parsing the
    stylesheet builds its selector index; a worker that renders many dossiers does both once.
    Per thread, because a Pango font map must not be shared between threads. The stylesheet has
    no URLs, so the fetcher it is parsed with never serves anything.
    """
    cached = getattr(_parsed, "stylesheet", None)
    if cached is None:
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=dossier_css(), font_config=font_config, url_fetcher=StaticOnlyFetcher()
        )
        cached = _parsed.stylesheet = (stylesheet, font_config)
    return cached


def render_pdf(html: str, *, url_fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The PDF of `html`; resources other than our static files are never fetched."""
    fetcher = url_fetcher or StaticOnlyFetcher()
    stylesheet, font_config = dossier_stylesheet()
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT
    )
    if fetcher.refused:
        logger.warning(
            "Dossier rendering refused %d URL(s): %s",
            len(fetcher.refused),
            ", ".join(u[:80] for u in fetcher.refused[:5]),
        )
    return pdf
