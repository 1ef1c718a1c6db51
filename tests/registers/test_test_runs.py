"""Exception tests as evidence: a case's test status is its latest run, and runs are only added.

A passed run needs evidence and a date not before the previous run; a failed case cannot be
turned into a passed one through its form, htmx or a crafted POST; evidence files are checked
by their content, stored privately and downloaded through a permission-checked view.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readiness.core.clock import site_today
from readiness.registers.models import ExceptionCase, TestRun
from readiness.reviews.selectors import project_review
from tests.factories import edit_data
from tests.reviews.support import HTMX, clean_exception, item_url, member_owner

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(project):
    _, owner = member_owner(project, "olga", name="Olga Owner")
    return clean_exception(
        project, owner, name="Credit note above invoice", test_status="untested", tested_on=None
    )


def _run_url(project, case):
    return reverse("reviews:test-run-add", kwargs={"slug": project.slug, "pk": case.pk})


def _post_run(client, project, case, **values):
    data = {
        "run-run_on": site_today().isoformat(),
        "run-result": "failed",
        "run-tester": "Tess Tester",
        "run-evidence": "",
        **{f"run-{k}": v for k, v in values.items()},
    }
    return client.post(_run_url(project, case), data)


def test_a_run_sets_the_cases_status_and_is_recorded(contributor_client, project, case):
    response = _post_run(
        contributor_client, project, case, result="failed", evidence="Credit of £412 issued."
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.test_status, case.tested_on, case.evidence) == (
        "failed",
        site_today(),
        "Credit of £412 issued.",
    )
    entry = project.activity.order_by("-seq").first()
    assert (entry.action, entry.target_kind, entry.target_id) == ("tested", "exceptions", case.pk)
    changes = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert changes["test_status"] == ("Untested", "Failed")
    html = contributor_client.get(item_url(project, "exceptions", case)).text
    assert "Test runs (1)" in html and "Credit of £412 issued." in html


def test_a_passed_run_needs_evidence_and_writes_nothing_without(contributor_client, project, case):
    response = _post_run(contributor_client, project, case, result="passed", evidence="  ")
    assert response.status_code == 400
    assert "A passed run needs its evidence" in response.text
    assert not TestRun.objects.exists()
    case.refresh_from_db()
    assert case.test_status == "untested"


def test_a_run_cannot_be_dated_before_the_previous_one_or_in_the_future(
    contributor_client, project, case
):
    _post_run(contributor_client, project, case, evidence="First try.")
    older = (site_today() - dt.timedelta(days=3)).isoformat()
    response = _post_run(
        contributor_client, project, case, result="passed", evidence="Works.", run_on=older
    )
    assert response.status_code == 400
    assert "a new run cannot be older" in response.text
    future = (site_today() + dt.timedelta(days=1)).isoformat()
    response = _post_run(contributor_client, project, case, run_on=future, evidence="x")
    assert "cannot be dated in the future" in response.text
    assert TestRun.objects.count() == 1


def test_a_failed_case_cannot_be_edited_to_passed(lead_client, project, case):
    """Not through the form (no such field), htmx, nor a crafted POST."""
    _post_run(lead_client, project, case, evidence="Failed.")
    url = reverse(
        "registers:item-edit", kwargs={"slug": project.slug, "kind": "exceptions", "pk": case.pk}
    )
    form_html = lead_client.get(url).text
    assert f'name="item-{case.pk}-test_status"' not in form_html
    case.refresh_from_db()  # the run moved the case's edit version
    crafted = edit_data("exceptions", case, scenario="Edited scenario")
    crafted |= {
        f"item-{case.pk}-test_status": "passed",
        f"item-{case.pk}-tested_on": site_today().isoformat(),
        f"item-{case.pk}-evidence": "Trust me.",
    }
    response = lead_client.post(url, crafted)
    assert response.status_code == 302, response.context["form"].errors
    assert lead_client.post(url, crafted, headers=HTMX).status_code in (200, 204)
    case.refresh_from_db()
    assert (case.scenario, case.test_status, case.evidence) == (
        "Edited scenario",
        "failed",
        "Failed.",
    )


def test_a_new_run_makes_the_decision_owners_signoff_stale(client, project, case):
    from readiness.reviews import services

    owner_user = case.decision_owner.user
    services.item_sign(
        project=project, kind="exceptions", item=case, statement="OK", user=owner_user
    )
    assert not project_review(project).item_signoffs[("exceptions", case.pk)].stale
    client.force_login(owner_user)
    _post_run(client, project, case, result="passed", evidence="Re-run, credit capped.")
    project.refresh_from_db()
    assert project_review(project).item_signoffs[("exceptions", case.pk)].stale


# --- Evidence files ------------------------------------------------------------------------


def test_a_pdf_is_kept_and_only_members_download_it(
    contributor_client, viewer_client, outsider_client, project, case
):
    upload = SimpleUploadedFile("run-log.pdf", PDF, content_type="application/octet-stream")
    response = _post_run(
        contributor_client, project, case, result="passed", evidence="See log.", attachment=upload
    )
    assert response.status_code == 302
    run = TestRun.objects.get()
    assert (run.attachment_name, run.attachment_type, run.attachment_size) == (
        "run-log.pdf",
        "application/pdf",
        len(PDF),
    )
    url = reverse("reviews:test-run-attachment", kwargs={"slug": project.slug, "pk": run.pk})
    download = viewer_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert outsider_client.get(url).status_code == 404
    assert "/media" not in run.attachment.url or "media-not-served" in run.attachment.url


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Attach a PDF, an image"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "is called .pdf but is not one"),
        ("photo.png", PDF, "is called .png but is not one"),
        ("data.csv", b"a,b\x00c", "is called .csv but is not text"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(
    contributor_client, project, case, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = _post_run(contributor_client, project, case, evidence="x", attachment=upload)
    assert response.status_code == 400
    assert message in response.text
    assert not TestRun.objects.exists()


def test_a_file_over_10_mb_is_refused(contributor_client, project, case):
    upload = SimpleUploadedFile("big.txt", b"x" * (10 * 1024 * 1024 + 1))
    response = _post_run(contributor_client, project, case, evidence="x", attachment=upload)
    assert "larger than 10 MB" in response.text
    assert not TestRun.objects.exists()


def test_csv_and_text_in_windows_1252_are_accepted(contributor_client, project, case):
    upload = SimpleUploadedFile("results.csv", "case;résultat\n1;réussi\n".encode("cp1252"))
    assert (
        _post_run(contributor_client, project, case, evidence="x", attachment=upload).status_code
        == 302
    )
    assert TestRun.objects.get().attachment_type == "text/csv"


# --- Access --------------------------------------------------------------------------------


def test_viewers_cannot_record_runs_and_outsiders_see_nothing(
    viewer_client, outsider_client, project, case
):
    assert _post_run(viewer_client, project, case, evidence="x").status_code == 403
    assert _post_run(outsider_client, project, case, evidence="x").status_code == 404
    assert not TestRun.objects.exists()
    html = viewer_client.get(item_url(project, "exceptions", case)).text
    assert "Test runs (0)" in html and "Record a test run" not in html


def test_a_run_of_another_projects_case_is_404(lead_client, project, other_project):
    foreign = clean_exception(
        other_project, None, name="Elsewhere", test_status="untested", tested_on=None
    )
    response = _post_run(lead_client, project, foreign, evidence="x")
    assert response.status_code == 404
    assert ExceptionCase.objects.get(pk=foreign.pk).test_status == "untested"


def test_the_dossier_lists_the_runs(contributor_client, project, case):
    from readiness.dossiers.rendering import render_html
    from readiness.dossiers.snapshot import build_snapshot

    _post_run(contributor_client, project, case, evidence="Credit of £412 issued.")
    _post_run(contributor_client, project, case, result="passed", evidence="Capped at invoice.")
    snapshot = build_snapshot(project)
    assert [(r["case"], r["result"]) for r in snapshot["test_runs"]] == [
        ("Credit note above invoice", "passed"),
        ("Credit note above invoice", "failed"),
    ]
    html = render_html(snapshot, None)
    runs = html.split("<h2>Test runs (2)</h2>")[1].split("</table>")[0]
    assert "Capped at invoice." in runs and "Credit of £412 issued." in runs
    assert "Tess Tester" in runs
