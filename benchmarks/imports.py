"""How long an import's preview and commit take, and how much memory they need.

    DATABASE_URL=postgres://…/somedb DJANGO_DEBUG=1 .venv/bin/python benchmarks/imports.py

Runs against the database DATABASE_URL names (PostgreSQL is what the targets are for; it is
migrated first), in throwaway projects it deletes afterwards. Two cases:

- a 10,000-row data-element sheet (XLSX) into a project with 20 owners and 30 systems;
- a 3,000-row whole-project workbook (owners, systems and every register) into an empty project.

Each case runs in a fresh subprocess, so its peak memory (ru_maxrss) is its own: reading the
file, planning the preview, and committing it in one transaction. A third pass re-plans the
10,000 rows after the commit (the "nothing to change" preview of a re-import), and a fourth
imports the 10,000 rows again with every definition edited (10,000 updates).

Targets: 10,000 rows preview < 10 s, commit < 20 s, peak memory < 500 MiB.
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ("Amara", "Gareth", "Priya", "Tom", "Ewa", "Lena", "Nikhil", "Ruth", "Marco", "Claire")
LAST = ("Osei", "Lloyd", "Raman", "Fletcher", "Nowak", "Fischer", "Shah", "Adeyemi", "Bianchi")
RECORDS = ("Customer", "Supplier", "Sales order", "Invoice", "Item", "Price list", "Employee")
CRITICALITY = ("Cannot be wrong", "Important", "Minor")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def owner_names(n: int) -> list[str]:
    return [f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}" for i in range(n)]


def system_names(n: int) -> list[str]:
    return [f"System {i:02d}" for i in range(n)]


def _known(title: str, header: list[str]) -> list[int]:
    """The columns the register's form has today (fields come and go; see columns.py)."""
    try:
        from readiness.transfer.columns import columns_for, normalize
        from readiness.transfer.planning import sheet_spec
    except ImportError:  # building the file outside Django
        return list(range(len(header)))
    spec = sheet_spec(title)
    labels = {normalize(c.label) for c in columns_for(spec)}
    labels |= {normalize(c.label) for c in spec.columns}
    return [i for i, h in enumerate(header) if normalize(h) in labels]


def _book(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        keep = _known(title, header)
        ws = book.create_sheet(title)
        ws.append([header[i] for i in keep])
        for row in rows:
            ws.append([row[i] for i in keep])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def data_element_rows(
    n: int, owners: list[str], systems: list[str], definition: str = "What it means."
) -> list[list]:
    rows = []
    for i in range(n):
        rows.append(
            [
                f"{RECORDS[i % len(RECORDS)]} attribute {i:05d}",
                CRITICALITY[i % 3],
                owners[i % len(owners)],
                systems[i % len(systems)],
                f"{systems[(i + 1) % len(systems)]}; {systems[(i + 2) % len(systems)]}",
                definition,
                "Credit limit, region",
                "Origin and freshness travel with it.",
                "Yes" if i % 7 == 0 else "No",
                "No",
            ]
        )
    return rows


DE_HEADER = [
    "Name",
    "Criticality",
    "Steward",
    "System of truth",
    "Consuming systems",
    "Definition",
    "Decision fields",
    "Context that must travel",
    "Teams define it differently",
    "System of truth disputed",
]


def data_element_sheet(n: int, definition: str = "What it means.") -> bytes:
    rows = data_element_rows(n, owner_names(20), system_names(30), definition)
    return _book({"Data elements": (DE_HEADER, rows)})


def project_workbook() -> bytes:
    """3,000 rows across every sheet."""
    owners, systems = owner_names(50), system_names(30)
    elements = data_element_rows(1200, owners, systems)
    names = [r[0] for r in elements]
    handoffs = [
        [
            f"Handoff {i:04d}",
            "Automated" if i % 3 else "Manual: e-mail",
            owners[i % 50],
            systems[i % 30],
            "Sales",
            systems[(i + 3) % 30],
            "Finance",
            "Order confirmed",
            f"{names[i % 1200]}; {names[(i + 1) % 1200]}",
            "The receiver needs the order and its approval.",
            "No",
        ]
        for i in range(800)
    ]
    exceptions = [
        [
            f"Exception {i:04d}",
            "High" if i % 4 == 0 else "Medium",
            "Passed" if i % 2 else "Untested",
            "2026-03-01" if i % 2 else "",
            owners[(i + 5) % 50],
            "A person decides",
            f"Handoff {i % 800:04d}",
            names[(i * 2) % 1200],
            "A customer with two identifiers.",
        ]
        for i in range(600)
    ]
    reports = [
        [
            f"Report {i:03d}",
            "Day one",
            owners[i % 50],
            "How much did we invoice today?",
            f"{names[i % 1200]}; {names[(i + 7) % 1200]}",
            systems[i % 30],
            "No",
            "Yes",
        ]
        for i in range(250)
    ]
    kinds = (
        "Reviews failures",
        "Approves changes",
        "Updates documentation",
        "Monitors critical data flows",
    )
    duties = [[kinds[i % 4], f"Handoff {i // 4:04d}", owners[i % 50]] for i in range(70)]
    return _book(
        {
            "Owners": (["Name", "Team", "Kind"], [[o, "Finance", "Business"] for o in owners]),
            "Systems": (["Name", "Vendor"], [[s, "Acme"] for s in systems]),
            "Data elements": (DE_HEADER, elements),
            "Handoffs": (
                [
                    "Name",
                    "Mechanism",
                    "Receiving owner",
                    "From system",
                    "From team",
                    "To system",
                    "To team",
                    "Trigger",
                    "Data elements",
                    "What the receiver must know",
                    "Local workaround",
                ],
                handoffs,
            ),
            "Exception cases": (
                [
                    "Case",
                    "Severity",
                    "Test status",
                    "Tested on",
                    "Decision owner",
                    "Expected handling",
                    "Handoff",
                    "Data elements",
                    "Scenario",
                ],
                exceptions,
            ),
            "Reports": (
                [
                    "Name",
                    "When",
                    "Owner",
                    "Business question",
                    "Source elements",
                    "Source systems",
                    "Needs manual reconciliation",
                    "Shows why a process moved",
                ],
                reports,
            ),
            "Duties": (["Duty", "Integration (handoff)", "Owner"], duties),
        }
    )


def run_case(case: str) -> dict:
    """In a subprocess: seed, preview, commit, re-preview; times and this process's peak."""
    setup_django()
    import datetime as dt

    from django.contrib.auth import get_user_model

    from readiness.projects.models import Membership, Owner, Project, Role, System
    from readiness.transfer.services import (
        import_batch_commit,
        import_batch_create,
        import_batch_plan,
    )

    slug = f"bench-import-{case}-{os.getpid()}"
    today = dt.date.today()
    project = Project.objects.create(
        name=slug,
        slug=slug,
        desired_outcome="Benchmark",
        plan_lock_date=today,
        go_live_date=today + dt.timedelta(days=30),
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-import")
    Membership.objects.create(project=project, user=user, role=Role.LEAD)
    try:
        if case == "elements":
            Owner.objects.bulk_create(Owner(project=project, name=n) for n in owner_names(20))
            System.objects.bulk_create(System(project=project, name=n) for n in system_names(30))
            data, scope, filename = data_element_sheet(10_000), "data-elements", "elements.xlsx"
        else:
            data, scope, filename = project_workbook(), "project", "project.xlsx"
        result = {"case": case, "file_mib": round(len(data) / 1024 / 1024, 2)}
        start = time.perf_counter()
        batch = import_batch_create(
            project=project, user=user, scope=scope, filename=filename, data=data
        )
        batch = import_batch_plan(batch=batch)
        result["rows"] = batch.row_count
        result["preview_s"] = round(time.perf_counter() - start, 2)
        assert not batch.plan["blocked"], [
            (s["title"], r["row"], r["errors"])
            for s in batch.plan["sheets"]
            for r in s["rows"]
            if r["errors"]
        ][:5]
        result["changes"] = batch.plan["changes"]
        start = time.perf_counter()
        import_batch_commit(batch=batch)
        result["commit_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        again = import_batch_plan(
            batch=import_batch_create(
                project=project, user=user, scope=scope, filename=filename, data=data
            )
        )
        result["reimport_preview_s"] = round(time.perf_counter() - start, 2)
        result["reimport_changes"] = again.plan["changes"]
        if case == "elements":
            edited = data_element_sheet(10_000, "What it means, edited.")
            start = time.perf_counter()
            batch = import_batch_plan(
                batch=import_batch_create(
                    project=project, user=user, scope=scope, filename=filename, data=edited
                )
            )
            result["update_preview_s"] = round(time.perf_counter() - start, 2)
            start = time.perf_counter()
            import_batch_commit(batch=batch)
            result["update_commit_s"] = round(time.perf_counter() - start, 2)
            result["updates"] = batch.plan["changes"]
        result["peak_mib"] = round(peak_mib())
        return result
    finally:
        project.delete()


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database: the targets are for PostgreSQL.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=env)
    print(
        f"{'case':<10} {'rows':>6} {'MiB':>5} {'preview s':>10} {'commit s':>9} "
        f"{'re-preview s':>13} {'peak MiB':>9}"
    )
    for case in ("elements", "project"):
        out = (
            subprocess.run(
                [sys.executable, __file__, "--case", case],
                check=True,
                env=env,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(out)
        print(
            f"{r['case']:<10} {r['rows']:>6} {r['file_mib']:>5} {r['preview_s']:>10} "
            f"{r['commit_s']:>9} {r['reimport_preview_s']:>13} {r['peak_mib']:>9}"
            f"   ({r['changes']} changes; re-import: {r['reimport_changes']})"
        )
        if "updates" in r:
            print(
                f"{'  edited':<10} {r['rows']:>6} {'':>5} {r['update_preview_s']:>10} "
                f"{r['update_commit_s']:>9} {'':>13} {'':>9}   ({r['updates']} rows updated)"
            )


if __name__ == "__main__":
    main()
