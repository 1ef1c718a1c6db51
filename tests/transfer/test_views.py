"""The import and export pages: who may reach them, and the upload → preview → commit flow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from readiness.registers.models import DataElement, Handoff
from readiness.transfer import services
from readiness.transfer.columns import sheet_title, transferable_specs
from readiness.transfer.models import ImportBatch, ImportStatus
from tests.factories import DataElementFactory, HandoffFactory, SystemFactory

pytestmark = pytest.mark.django_db

CSV = b"Name,Definition\nCustomer,Who buys\n"


def csv_file(data=CSV, name="elements.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def batch(project, lead):
    return services.import_batch_plan(
        batch=services.import_batch_create(
            project=project, user=lead, scope="data-elements", filename="x.csv", data=CSV
        )
    )


EXPORTS = [
    ("transfer:project-export", {}),
    ("transfer:register-export", {"kind": "handoffs"}),
]
IMPORT_PAGES = [
    ("transfer:upload", {}),
    ("transfer:register-upload", {"kind": "data-elements"}),
]
BATCH_ACTIONS = [
    ("transfer:preview", "get"),
    ("transfer:options", "post"),
    ("transfer:commit", "post"),
    ("transfer:cancel", "post"),
]


@pytest.mark.parametrize(("name", "kwargs"), EXPORTS)
def test_it_hides_exports_from_non_members(outsider_client, project, name, kwargs):
    response = outsider_client.get(reverse(name, kwargs={"slug": project.slug, **kwargs}))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), EXPORTS)
def test_it_lets_viewers_export(viewer_client, project, name, kwargs):
    response = viewer_client.get(reverse(name, kwargs={"slug": project.slug, **kwargs}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(("name", "kwargs"), IMPORT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_imports_from_non_members(outsider_client, project, name, kwargs, method):
    url = reverse(name, kwargs={"slug": project.slug, **kwargs})
    response = getattr(outsider_client, method)(
        url, {"file": csv_file()} if method == "post" else None
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), IMPORT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_imports_to_viewers(viewer_client, project, name, kwargs, method):
    url = reverse(name, kwargs={"slug": project.slug, **kwargs})
    response = getattr(viewer_client, method)(
        url, {"file": csv_file()} if method == "post" else None
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("name", "method"), BATCH_ACTIONS)
def test_it_hides_an_import_from_non_members(outsider_client, project, batch, name, method):
    url = reverse(name, kwargs={"slug": project.slug, "pk": batch.pk})
    assert getattr(outsider_client, method)(url).status_code == 404


@pytest.mark.parametrize(("name", "method"), BATCH_ACTIONS)
def test_it_refuses_an_import_to_viewers(viewer_client, project, batch, name, method):
    url = reverse(name, kwargs={"slug": project.slug, "pk": batch.pk})
    assert getattr(viewer_client, method)(url).status_code == 403


@pytest.mark.parametrize(("name", "method"), BATCH_ACTIONS)
def test_it_hides_an_import_from_other_editors(contributor_client, project, batch, name, method):
    url = reverse(name, kwargs={"slug": project.slug, "pk": batch.pk})
    assert getattr(contributor_client, method)(url).status_code == 404


def test_it_refuses_owner_imports_to_contributors(contributor_client, project):
    url = reverse("transfer:register-upload", kwargs={"slug": project.slug, "kind": "owners"})
    assert contributor_client.get(url).status_code == 403


def test_it_exports_a_register_as_filtered_on_screen(viewer_client, project):
    DataElementFactory(project=project, name="Customer", criticality="critical")
    DataElementFactory(project=project, name="Invoice", criticality="minor")
    url = reverse(
        "transfer:register-export", kwargs={"slug": project.slug, "kind": "data-elements"}
    )
    response = viewer_client.get(url, {"criticality": "critical"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("Name,Criticality,Steward,System of truth")
    assert "Customer,Cannot be wrong" in text
    assert "Invoice" not in text
    response = viewer_client.get(url, {"q": "inv", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["Invoice", "Minor"]


def test_the_project_workbook_has_a_sheet_per_register_and_frozen_headers(viewer_client, project):
    HandoffFactory(project=project, name="Order to cash", mechanism="email")
    response = viewer_client.get(reverse("transfer:project-export", kwargs={"slug": project.slug}))
    book = load_workbook(io.BytesIO(response.content))
    first = ["Owners", "Systems", "Data elements", "Handoffs", "Exception cases", "Reports"]
    assert book.sheetnames[:7] == [*first, "Duties"]
    assert book.sheetnames == [sheet_title(spec) for spec in transferable_specs()]
    handoffs = book["Handoffs"]
    assert handoffs.freeze_panes == "A2"
    header = [c.value for c in handoffs[1]]
    assert header[:3] == ["Name", "Mechanism", "Receiving owner"]
    assert header[-1] == "Version"
    assert handoffs["B2"].value == "Manual: e-mail"


def test_it_previews_then_commits_an_upload(lead_client, project):
    SystemFactory(project=project, name="ERP")
    url = reverse(
        "transfer:register-upload", kwargs={"slug": project.slug, "kind": "data-elements"}
    )
    response = lead_client.post(url, {"file": csv_file(b"Name;System of truth\nCustomer;ERP\n")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer:preview", args=[project.slug, batch.pk])

    page = lead_client.get(response["Location"]).content.decode()
    assert "1 change will be written" in page or "1 change" in page
    assert "Customer" in page
    assert not DataElement.objects.exists()

    response = lead_client.post(reverse("transfer:commit", args=[project.slug, batch.pk]))
    assert response.status_code == 302
    assert DataElement.objects.get().system_of_truth.name == "ERP"
    page = lead_client.get(response["Location"]).content.decode()
    assert "Imported “elements.csv”" in page


def test_it_shows_why_a_file_is_refused_and_keeps_nothing(lead_client, project):
    url = reverse("transfer:upload", kwargs={"slug": project.slug})
    response = lead_client.post(url, {"file": csv_file(b"\x00\x01", "book.xlsx")})
    assert response.status_code == 400
    assert "damaged or not an XLSX file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_shows_errors_and_offers_no_commit(lead_client, project):
    url = reverse("transfer:register-upload", kwargs={"slug": project.slug, "kind": "handoffs"})
    lead_client.post(url, {"file": csv_file(b"Name,Receiving owner\nA,Nobody\n", "h.csv")})
    batch = ImportBatch.objects.get()
    page = lead_client.get(reverse("transfer:preview", args=[project.slug, batch.pk]))
    text = page.content.decode()
    assert "row 2, Receiving owner: no owner named “Nobody”" in text
    assert reverse("transfer:commit", args=[project.slug, batch.pk]) not in text
    assert "Create them" in text

    lead_client.post(
        reverse("transfer:options", args=[project.slug, batch.pk]), {"create_missing": "1"}
    )
    batch.refresh_from_db()
    assert batch.create_missing and not batch.plan["blocked"]


def test_it_cancels_an_import(lead_client, project, batch):
    response = lead_client.post(reverse("transfer:cancel", args=[project.slug, batch.pk]))
    assert response["Location"] == reverse("registers:list", args=[project.slug, "data-elements"])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED


def test_large_imports_run_in_the_background_with_a_polled_status(
    lead_client, project, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 1)
    calls = []
    from readiness.transfer import jobs

    real_plan = jobs.plan_import_batch.delay
    monkeypatch.setattr(jobs.plan_import_batch, "delay", lambda pk: calls.append(pk))
    data = b"Name\n" + b"".join(f"Element {i}\n".encode() for i in range(5))
    url = reverse(
        "transfer:register-upload", kwargs={"slug": project.slug, "kind": "data-elements"}
    )
    response = lead_client.post(url, {"file": csv_file(data)})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PLANNING
    preview = reverse("transfer:preview", args=[project.slug, batch.pk])
    poll = lead_client.get(preview, headers={"HX-Request": "true", "HX-Target": "import-status"})
    assert 'hx-trigger="every 1s"' in poll.content.decode()
    assert "0 of 5 rows checked" in poll.content.decode()
    assert "<html" not in poll.content.decode()

    real_plan(batch.pk)  # the worker's turn (eager)
    poll = lead_client.get(preview, headers={"HX-Request": "true", "HX-Target": "import-status"})
    assert poll["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY and batch.plan["changes"] == 5

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = lead_client.post(reverse("transfer:commit", args=[project.slug, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING
    assert not DataElement.objects.exists()
    poll = lead_client.get(preview, headers={"HX-Request": "true", "HX-Target": "import-status"})
    assert "Importing" in poll.content.decode()
    for callback in queued:
        callback()  # the task, eager
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert DataElement.objects.filter(project=project).count() == 5
    assert response.status_code == 302
    assert not Handoff.objects.exists()


def test_it_refuses_an_oversized_upload_before_reading_it(lead_client, project, monkeypatch):
    from readiness.transfer import views

    monkeypatch.setattr(views, "MAX_BYTES", 10)
    url = reverse("transfer:upload", kwargs={"slug": project.slug})
    response = lead_client.post(url, {"file": csv_file(b"Name\n" + b"x" * 70_000)})
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert not ImportBatch.objects.exists()
