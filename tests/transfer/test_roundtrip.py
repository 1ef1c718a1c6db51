"""A whole project out and back in: the demo's workbook, an error, a fix, a re-import."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from readiness.projects.models import ActivityEntry, Project
from readiness.registers.models import DataElement, Handoff
from readiness.transfer.exporting import export_project_xlsx
from readiness.transfer.models import ImportStatus
from readiness.transfer.parsing import ImportRefused, read_upload
from readiness.transfer.planning import plan_import
from readiness.transfer.services import import_batch_commit, import_batch_create, import_batch_plan

pytestmark = pytest.mark.django_db

MAIN = "northwind-erp-cutover"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Project.objects.get(slug=MAIN)


def _plan(project, data, scope="project", create_missing=False):
    return plan_import(
        project=project,
        sheets=read_upload(data, "book.xlsx"),
        scope=scope,
        create_missing=create_missing,
        form_kwargs={"may_name_owners": True},
    )


def test_it_reimports_the_demo_export_with_nothing_to_change(demo):
    data = export_project_xlsx(demo)
    plan = _plan(demo, data)
    assert not plan.blocked, plan.as_json()
    assert plan.changes == 0
    assert sum(len(s.rows) for s in plan.sheets) >= 50


def _workbook_with(data: bytes, sheet: str, row: int, header: str, value) -> bytes:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    ws.cell(row=row, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.no_revision_shim
def test_a_realistic_workbook_goes_through_error_fix_commit_and_back(demo):
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    fresh = ProjectFactory(name="Fresh rollout", slug="fresh")
    lead = UserFactory(username="fresh-lead")
    MembershipFactory(project=fresh, user=lead, role="lead")
    exported = export_project_xlsx(demo)
    broken = _workbook_with(exported, "Handoffs", 3, "Receiving owner", "J. Smtih")

    batch = import_batch_create(
        project=fresh, user=lead, scope="project", filename="book.xlsx", data=broken
    )
    batch = import_batch_plan(batch=batch)
    assert batch.plan["blocked"]
    rows = [
        (sheet["title"], r["row"], e["column"], e["message"])
        for sheet in batch.plan["sheets"]
        for r in sheet["rows"]
        for e in r["errors"]
    ]
    assert len(rows) == 1, rows
    title, row, column, message = rows[0]
    assert (title, row, column) == ("Handoffs", 3, "Receiving owner")
    assert "no owner named “J. Smtih”" in message
    with pytest.raises(ImportRefused):
        import_batch_commit(batch=batch)
    assert not DataElement.objects.filter(project=fresh).exists()

    fixed = _workbook_with(exported, "Handoffs", 3, "Receiving owner", "")
    batch = import_batch_plan(
        batch=import_batch_create(
            project=fresh, user=lead, scope="project", filename="book.xlsx", data=fixed
        )
    )
    assert not batch.plan["blocked"], batch.plan["errors"]
    entries = ActivityEntry.objects.filter(project=fresh).count()
    revision = Project.objects.get(pk=fresh.pk).revision
    batch = import_batch_commit(batch=batch)
    assert batch.status == ImportStatus.COMMITTED
    assert DataElement.objects.filter(project=fresh).count() == demo.data_elements.count()
    assert Handoff.objects.filter(project=fresh).count() == demo.handoffs.count()
    assert ActivityEntry.objects.filter(project=fresh).count() == entries + 1
    assert Project.objects.get(pk=fresh.pk).revision == revision + 1

    again = _plan(fresh, export_project_xlsx(fresh))
    assert not again.blocked and again.changes == 0, again.as_json()


@pytest.mark.no_revision_shim
def test_the_readme_tour_imports_the_demo_workbook_with_one_edit(demo):
    from django.contrib.auth import get_user_model

    from readiness.reviews.selectors import project_review

    lead = get_user_model().objects.get(username="demo-lead")
    handoff = Handoff.objects.get(project=demo, name="Invoice dispute to credit control")
    book = load_workbook(io.BytesIO(export_project_xlsx(demo)))
    row = next(
        r[0].row for r in book["Handoffs"].iter_rows(min_row=2) if r[0].value == handoff.name
    )
    edited = _workbook_with(export_project_xlsx(demo), "Handoffs", row, "Trigger", "Parcel scanned")
    state = project_review(demo).item_signoffs[("handoffs", handoff.pk)]
    assert state.signoff is not None and not state.stale

    batch = import_batch_plan(
        batch=import_batch_create(
            project=demo, user=lead, scope="project", filename="northwind.xlsx", data=edited
        )
    )
    assert not batch.plan["blocked"]
    assert batch.plan["changes"] == 1
    import_batch_commit(batch=batch)
    handoff.refresh_from_db()
    assert handoff.trigger == "Parcel scanned"
    state = project_review(Project.objects.get(pk=demo.pk)).item_signoffs[("handoffs", handoff.pk)]
    assert state.stale

    harbor = Project.objects.get(slug="harbor-crm-refresh")
    plan = _plan(harbor, edited)
    assert not plan.blocked, [
        (s.title, r.row, [e.message for e in r.errors])
        for s in plan.sheets
        for r in s.rows
        if r.errors
    ][:5]
    assert plan.changes > 50


def test_it_reads_existing_items_exactly_as_sign_offs_hash_them(demo):
    from readiness.core.content import item_content
    from readiness.transfer.columns import columns_for, transferable_specs
    from readiness.transfer.planning import _existing

    for spec in transferable_specs():
        columns = columns_for(spec)
        read = {found.pk: content for found, content in _existing(spec, demo, columns).values()}
        for item in spec.queryset(demo):
            hashed = item_content(item)
            assert read[item.pk] == {c.name: hashed[c.name] for c in columns}, spec.kind
