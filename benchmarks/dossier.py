"""How long a readiness dossier takes to snapshot and render, and how much memory it needs.

    DJANGO_DEBUG=1 .venv/bin/python benchmarks/dossier.py

Uses a throwaway SQLite database in a temporary directory (never var/). Seeds the demo
(`seed_demo`) and a LARGE project (1,000 data elements, 500 handoffs, 1,000 exception cases,
200 reports), then measures each in a fresh subprocess — peak memory is that subprocess's
ru_maxrss, which is the honest number: WeasyPrint's memory is mostly Python objects and the
layout tree, not one big buffer. The FLOOR is WeasyPrint laying out a plain 6-column table
with as many rows as the large project's registers (2,700), repeated header, nothing else,
tagged PDF/UA-1 like the dossier and written through the same pdf_format module (so both get
its fix for pydyf's page list). The floor does not count the large project's 1,968 findings:
the dossier prints findings that differ only in their items as one row naming the others,
so they add about 80 rows, not 1,968.

Compare CPU seconds, not wall time: the machine is shared, and wall time measures the others.
Page counts depend on the fonts installed: with Liberation Sans (Debian's fonts-liberation, which
Chromium for the browser tests brings) the large dossier takes 92 pages; with DejaVu Sans only,
as in the Docker image, 97.

Targets: large dossier's render CPU within 1.1× the floor's; peak memory under 1 GiB.
"""

import copy
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGE = {"data_elements": 1000, "handoffs": 500, "exceptions": 1000, "reports": 200}
LARGE_SLUG = "benchmark-large"
# Names as long as a real register's: "Customer ship-to address", "Gareth Lloyd".
FIRST = ("Amara", "Gareth", "Priya", "Tom", "Ewa", "Lena", "Nikhil", "Ruth", "Marco", "Claire")
LAST = ("Osei", "Lloyd", "Raman", "Fletcher", "Nowak", "Fischer", "Shah", "Adeyemi", "Bianchi")
RECORDS = (
    "Customer",
    "Supplier",
    "Sales order",
    "Invoice",
    "Item",
    "Price list",
    "Credit limit",
    "Employee",
    "Goods receipt",
    "Ship-to address",
    "Cost centre",
    "Purchase order",
)
STEPS = ("fulfilment", "billing", "credit check", "warehouse", "approval", "ledger")
FLOOR_ROWS = sum(LARGE.values())


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """CPU time of this process: unlike wall time, not inflated by other work on the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- seeding ------------------------------------------------------------------------------


def seed_large() -> None:
    """A big rollout, written with bulk_create: realistic proportions of weak spots."""
    from django.contrib.auth import get_user_model

    from readiness.projects.models import Membership, Owner, OwnerKind, Project, Role, System
    from readiness.registers.models import (
        Criticality,
        DataElement,
        Duty,
        DutyKind,
        ExceptionCase,
        Handling,
        Handoff,
        Mechanism,
        Report,
        ReportTiming,
        Severity,
        TestStatus,
    )
    from readiness.reviews.checks import CHECKS
    from readiness.reviews.models import Answer, CheckSignatory, SignOff, SubjectKind
    from readiness.reviews.selectors import project_review
    from readiness.reviews.signing import content_hash

    today = dt.date.today()
    user = get_user_model().objects.create_user(
        "bench-lead", password="x", first_name="Bea", last_name="Bench"
    )
    project = Project.objects.create(
        name="Benchmark: global ERP and CRM consolidation",
        slug=LARGE_SLUG,
        summary="Forty countries move finance, order-to-cash and service onto one ERP and CRM.",
        desired_outcome="Orders invoiced within 24 hours in every country by the end of Q3.",
        plan_lock_date=today + dt.timedelta(days=21),
        go_live_date=today + dt.timedelta(days=120),
        breakage_plan="The integration desk is paged; orders queue and are replayed in order.",
    )
    Membership.objects.create(project=project, user=user, role=Role.LEAD)
    kinds = [OwnerKind.BUSINESS] * 8 + [OwnerKind.IT, OwnerKind.VENDOR]
    owners = Owner.objects.bulk_create(
        Owner(
            project=project,
            name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}",
            team=f"Team {i % 9}",
            email=f"owner{i}@example.com",
            kind=kinds[i % len(kinds)],
            user=user if i == 0 else None,
        )
        for i in range(40)
    )
    systems = System.objects.bulk_create(
        System(project=project, name=f"System {i:02d}", vendor=f"Vendor {i % 5}") for i in range(12)
    )
    crit = [Criticality.CRITICAL, Criticality.IMPORTANT, Criticality.IMPORTANT, Criticality.MINOR]
    elements = DataElement.objects.bulk_create(
        DataElement(
            project=project,
            name=f"{RECORDS[i % len(RECORDS)]} {i:04d}",
            definition="What the business means by it, agreed in the data workshop.",
            system_of_truth=None if i % 97 == 0 else systems[i % 12],
            criticality=crit[i % 4],
            defined_differently=i % 53 == 0,
            truth_disputed=i % 71 == 0,
            steward=owners[i % 40],
            travelling_context="Origin, last update time and approval state.",
            decision_fields="Credit limit, region, status.",
        )
        for i in range(LARGE["data_elements"])
    )
    through = DataElement.consuming_systems.through
    through.objects.bulk_create(
        through(dataelement_id=e.pk, system_id=systems[(i + k) % 12].pk)
        for i, e in enumerate(elements)
        for k in (1, 2)
    )
    mechs = [Mechanism.AUTOMATED] * 8 + [Mechanism.PARTLY_MANUAL, Mechanism.EMAIL]
    handoffs = Handoff.objects.bulk_create(
        Handoff(
            project=project,
            name=f"{RECORDS[i % len(RECORDS)]} to {STEPS[i % len(STEPS)]} {i:03d}",
            from_system=systems[i % 12],
            to_system=systems[(i + 3) % 12],
            from_team=f"Team {i % 9}",
            to_team=f"Team {(i + 1) % 9}",
            trigger="Order approved",
            receiving_owner=owners[(i + 1) % 40],
            fixer=None if i % 61 == 0 else owners[(i + 2) % 40],
            shared_record=i % 5 == 0,
            wait_rule="" if i % 45 == 0 else "Hold while a credit check is open.",
            automation_rules="Rules in the integration spec; a person approves exceptions.",
            mechanism=mechs[i % 10],
            is_workaround=i % 83 == 0,
            rejection_path="Back to the sender's queue.",
            escalation_path="Team lead, then process owner.",
        )
        for i in range(LARGE["handoffs"])
    )
    through = Handoff.data_elements.through
    through.objects.bulk_create(
        through(handoff_id=h.pk, dataelement_id=elements[(i * 2 + k) % 1000].pk)
        for i, h in enumerate(handoffs)
        for k in range(3)
    )
    sev = [Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM, Severity.LOW]
    exceptions = ExceptionCase.objects.bulk_create(
        ExceptionCase(
            project=project,
            name=f"{RECORDS[i % len(RECORDS)]} changed after approval {i:04d}",
            scenario="The order changes after approval in one country.",
            handoff=handoffs[i % 500],
            expected_handling=Handling.PAUSE,
            decision_owner=owners[(i + 3) % 40],
            severity=sev[i % 4],
            test_status=TestStatus.UNTESTED if i % 10 == 0 else TestStatus.PASSED,
            tested_on=None if i % 10 == 0 else today - dt.timedelta(days=i % 30),
            evidence="Test run reference.",
        )
        for i in range(LARGE["exceptions"])
    )
    through = ExceptionCase.data_elements.through
    through.objects.bulk_create(
        through(exceptioncase_id=x.pk, dataelement_id=elements[(i + k) % 1000].pk)
        for i, x in enumerate(exceptions)
        for k in range(2)
    )
    reports = Report.objects.bulk_create(
        Report(
            project=project,
            name=f"Daily {RECORDS[i % len(RECORDS)].lower()} report {i:03d}",
            timing=ReportTiming.DAY_ONE if i % 3 else ReportTiming.AFTER_STABILIZATION,
            business_question="How much did we invoice today, per country?",
            needs_reconciliation=i % 29 == 0,
            shows_why=i % 4 != 0,
            owner=owners[(i + 4) % 40],
        )
        for i in range(LARGE["reports"])
    )
    through = Report.source_elements.through
    through.objects.bulk_create(
        through(report_id=r.pk, dataelement_id=elements[(i * 5 + k) % 1000].pk)
        for i, r in enumerate(reports)
        for k in range(3)
    )
    through = Report.source_systems.through
    through.objects.bulk_create(
        through(report_id=r.pk, system_id=systems[i % 12].pk) for i, r in enumerate(reports)
    )
    duty_kinds = list(DutyKind.values)
    Duty.objects.bulk_create(
        [Duty(project=project, kind=k, owner=owners[i]) for i, k in enumerate(duty_kinds)]
        + [
            Duty(
                project=project,
                kind=duty_kinds[i % 3],
                handoff=handoffs[i],
                owner=owners[(i + 5) % 40],
                notes="Daily check of the error queue.",
            )
            for i in range(100)
        ]
    )
    Answer.objects.bulk_create(
        Answer(
            project=project,
            check_key=check.key,
            question_key=q.key,
            answer=["yes", "yes", "partly", "no"][n % 4],
            note="Discussed in the steering group." if n % 3 == 0 else "",
            answered_by=user,
        )
        for check in CHECKS
        for n, q in enumerate(check.questions)
    )
    CheckSignatory.objects.bulk_create(
        CheckSignatory(project=project, check_key=check.key, owner=owners[0]) for check in CHECKS
    )
    # Sign the data check and 100 handoffs as they are now, then change a few: stale marks.
    review = project_review(project)
    data_check = review.check("data")
    SignOff.objects.create(
        project=project,
        subject_kind=SubjectKind.CHECK,
        check_key="data",
        subject_name="Check 1 · Data that must move",
        owner=owners[0],
        owner_name=owners[0].name,
        signer=user,
        statement="Signed for the benchmark.",
        content_hash=data_check.content_hash,
        content=data_check.content,
    )
    SignOff.objects.bulk_create(
        SignOff(
            project=project,
            subject_kind=SubjectKind.HANDOFF,
            handoff=h,
            subject_name=h.name,
            owner=owners[0],
            owner_name=owners[0].name,
            signer=user,
            statement="Agreed.",
            content_hash=content_hash(review.item_contents[("handoffs", h.pk)]),
            content=review.item_contents[("handoffs", h.pk)],
        )
        for h in handoffs[:100]
    )
    Handoff.objects.filter(pk__in=[h.pk for h in handoffs[:5]]).update(trigger="Order released")


def seed_small_demo() -> None:
    """Used only when seed_demo is not available: a small, ordinary rollout."""
    from django.contrib.auth import get_user_model

    from readiness.projects.models import Membership, Owner, Project, Role, System
    from readiness.registers.models import DataElement, ExceptionCase, Handoff, Report

    today = dt.date.today()
    user = get_user_model().objects.create_user("demo-lead", password="x")
    project = Project.objects.create(
        name="Demo rollout",
        slug="demo",
        desired_outcome="Orders invoiced within 24 hours.",
        plan_lock_date=today + dt.timedelta(days=30),
        go_live_date=today + dt.timedelta(days=90),
    )
    Membership.objects.create(project=project, user=user, role=Role.LEAD)
    owner = Owner.objects.create(project=project, name="Dana Owner", user=user)
    erp = System.objects.create(project=project, name="ERP")
    for i in range(15):
        DataElement.objects.create(project=project, name=f"Record {i}", system_of_truth=erp)
        Handoff.objects.create(project=project, name=f"Handoff {i}", receiving_owner=owner)
        ExceptionCase.objects.create(project=project, name=f"Case {i}", decision_owner=owner)
    for i in range(5):
        Report.objects.create(project=project, name=f"Report {i}", owner=owner)


def stage_seed() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    except Exception as exc:  # the command is optional for this benchmark
        print(f"seed_demo unavailable ({type(exc).__name__}: {exc}); seeding a small demo")
        seed_small_demo()
    started = time.perf_counter()
    seed_large()
    print(f"seeded the large project in {time.perf_counter() - started:.1f} s")


# --- measuring ----------------------------------------------------------------------------


def stage_measure(slug: str) -> None:
    setup_django()
    from readiness.dossiers.rendering import render_html, render_pdf
    from readiness.dossiers.services import _page_count
    from readiness.dossiers.snapshot import build_snapshot
    from readiness.projects.models import Project

    if slug == "demo":
        project = Project.objects.exclude(slug=LARGE_SLUG).order_by("pk").first()
    else:
        project = Project.objects.get(slug=slug)
    started = time.perf_counter()
    snapshot = build_snapshot(project)
    snapshot_s = time.perf_counter() - started
    snapshot["dossier"] = {"number": 2, "requested_by": "Benchmark"}
    # A previous dossier that differs a little, so "Changes since" has something to list.
    previous = copy.deepcopy(snapshot)
    previous["dossier"] = {"number": 1}
    rows = previous["checks"][0]["rows"]
    del rows[-max(1, len(rows) // 50) :]
    for row in previous["checks"][1]["rows"][:10]:
        row["mechanism"] = "Manual: e-mail"

    started, cpu_started = time.perf_counter(), cpu_seconds()
    html = render_html(snapshot, previous)
    html_s = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(html)
    pdf_s = time.perf_counter() - started
    render_cpu_s = cpu_seconds() - cpu_started
    out = Path(os.environ["READINESS_VAR_DIR"]) / f"{slug}.pdf"
    out.write_bytes(pdf)
    rows = sum(len(c["rows"]) for c in snapshot["checks"])
    findings = sum(len(c["findings"]) for c in snapshot["checks"])
    print(
        json.dumps(
            {
                "name": project.name,
                "rows": rows,
                "findings": findings,
                "snapshot_s": snapshot_s,
                "snapshot_kb": len(json.dumps(snapshot)) / 1024,
                "html_s": html_s,
                "pdf_s": pdf_s,
                "render_s": html_s + pdf_s,
                "render_cpu_s": render_cpu_s,
                "pages": _page_count(pdf),
                "pdf_kb": len(pdf) / 1024,
                "peak_mb": peak_mb(),
                "file": str(out),
            }
        )
    )


FLOOR_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Floor</title>
<style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: "Liberation Sans", sans-serif; font-size: 8pt; }}
table {{ width: 100%; border-collapse: collapse; }}
thead {{ display: table-header-group; }}
th, td {{ border-bottom: 0.4pt solid #ccc; padding: 1mm; text-align: left; }}
</style></head><body><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
</body></html>"""


def stage_floor(n: int) -> None:
    from weasyprint import HTML

    from readiness.dossiers.pdf_format import PDF_VARIANT

    head = "".join(f"<th>Column {c}</th>" for c in range(6))
    rows = "".join(
        "<tr>"
        + f"<td>Item {i:04d} customer account</td><td>Important</td><td>System {i % 12:02d}</td>"
        + f"<td>System {(i + 1) % 12:02d}, System {(i + 2) % 12:02d}</td>"
        + f"<td>Owner {i % 40:02d} Surname</td><td>{'Flag' if i % 7 == 0 else ''}</td></tr>"
        for i in range(n)
    )
    started, cpu_started = time.perf_counter(), cpu_seconds()
    # Tagged like the dossier (PDF/UA-1), so the floor pays for the same structure.
    pdf = HTML(string=FLOOR_HTML.format(head=head, rows=rows)).write_pdf(pdf_variant=PDF_VARIANT)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(pdf)).pages)
    print(
        json.dumps(
            {
                "name": f"floor: plain table, {n} rows × 6 columns",
                "render_s": seconds,
                "render_cpu_s": cpu,
                "pages": pages,
                "pdf_kb": len(pdf) / 1024,
                "peak_mb": peak_mb(),
            }
        )
    )


# --- driver -------------------------------------------------------------------------------


def run_stage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"stage {args} failed")
    return result.stdout


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        env = {**os.environ, "READINESS_VAR_DIR": tmp, "DJANGO_DEBUG": "1"}
        env.pop("DATABASE_URL", None)  # always the throwaway SQLite database
        env.pop("REDIS_URL", None)
        print(f"Throwaway database in {tmp}")
        print(run_stage(env, "seed").rstrip())
        demo = last_json(run_stage(env, "measure", "demo"))
        large = last_json(run_stage(env, "measure", LARGE_SLUG))
        floor = last_json(run_stage(env, "floor", str(FLOOR_ROWS)))
        keep = os.environ.get("BENCH_KEEP_PDF")
        if keep:
            for result in (demo, large):
                Path(keep).mkdir(parents=True, exist_ok=True)
                target = Path(keep) / Path(result["file"]).name
                target.write_bytes(Path(result["file"]).read_bytes())

    print()
    print(
        f"{'':<6} {'snapshot s':>10} {'render s':>9} {'html + pdf':>13} {'CPU s':>6} "
        f"{'pages':>6} {'PDF KiB':>8} {'peak MiB':>9}"
    )
    for label, r in (("demo", demo), ("large", large)):
        print(
            f"{label:<6} {r['snapshot_s']:>10.2f} {r['render_s']:>9.2f} "
            f"{r['html_s']:>6.2f} + {r['pdf_s']:<5.2f} {r['render_cpu_s']:>6.2f} "
            f"{r['pages']:>6} {r['pdf_kb']:>8.0f} {r['peak_mb']:>9.0f}"
        )
    print(
        f"{'floor':<6} {'':>10} {floor['render_s']:>9.2f} {'':>13} {floor['render_cpu_s']:>6.2f} "
        f"{floor['pages']:>6} {floor['pdf_kb']:>8.0f} {floor['peak_mb']:>9.0f}"
    )
    print(f"\ndemo: {demo['name']} — {demo['rows']} register rows, {demo['findings']} findings")
    print(
        f"large: {large['name']} — {large['rows']} register rows, {large['findings']} findings, "
        f"snapshot {large['snapshot_kb']:.0f} KiB of JSON"
    )
    print(f"floor: {floor['name']}")
    total = large["snapshot_s"] + large["render_s"]
    ratio = large["render_s"] / floor["render_s"]
    cpu_ratio = large["render_cpu_s"] / floor["render_cpu_s"]
    checks = [
        (f"large render within 1.1× floor, CPU time ({cpu_ratio:.2f}×)", cpu_ratio <= 1.1),
        (f"large render within 2× floor, wall time ({ratio:.2f}×)", ratio <= 2),
        (f"large snapshot + render under 60 s ({total:.1f} s)", total < 60),
        (f"large peak memory under 1 GiB ({large['peak_mb']:.0f} MiB)", large["peak_mb"] < 1024),
    ]
    print()
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        stage, *rest = sys.argv[1:]
        {"seed": stage_seed, "measure": stage_measure, "floor": stage_floor}[stage](
            *([int(rest[0])] if stage == "floor" else rest)
        )
    else:
        main()
