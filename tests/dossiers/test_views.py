"""The dossier pages: request, watch, retry, download — every persona, plain and htmx.

Tests run inside a transaction, so `transaction.on_commit` (which enqueues rendering) only fires
inside `django_capture_on_commit_callbacks(execute=True)`. Outside it a dossier stays queued,
which is how these tests get a dossier that is still waiting for a worker.
"""

import pytest
from django.urls import reverse

from readiness.dossiers import jobs, services
from readiness.dossiers.models import Dossier, DossierStatus

HTMX = {"HX-Request": "true"}


def _url(name, project, dossier=None):
    kwargs = {"slug": project.slug}
    if dossier is not None:
        kwargs["pk"] = dossier.pk
    return reverse(f"dossiers:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Rendered PDFs land in a per-test directory, not in the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rendered(django_capture_on_commit_callbacks):
    """Run what a request enqueues, as the eager worker would after the commit."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run


@pytest.fixture
def queued(project, lead):
    return services.dossier_request(project=project, user=lead)


@pytest.fixture
def ready(project, lead, rendered):
    dossier = rendered(jobs.dossier_request_and_queue, project=project, user=lead)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY, dossier.error
    return dossier


def _explode(*args, **kwargs):
    raise RuntimeError("WeasyPrint could not load the cover font")


@pytest.fixture
def failed(project, lead, rendered):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("readiness.dossiers.rendering.render_pdf", _explode)
        dossier = rendered(jobs.dossier_request_and_queue, project=project, user=lead)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FAILED
    return dossier


# --- who may reach what --------------------------------------------------------------------

# (url name, method, needs a dossier)
PAGES = [
    ("list", "get", False),
    ("request", "post", False),
    ("status", "get", True),
    ("retry", "post", True),
    ("download", "get", True),
]


@pytest.mark.parametrize(("name", "method", "with_dossier"), PAGES)
def test_it_sends_anonymous_to_login(anonymous_client, project, queued, name, method, with_dossier):
    url = _url(name, project, queued if with_dossier else None)
    response = getattr(anonymous_client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(("name", "method", "with_dossier"), PAGES)
def test_it_hides_project_from_outsider(
    outsider_client, project, queued, name, method, with_dossier
):
    url = _url(name, project, queued if with_dossier else None)
    response = getattr(outsider_client, method)(url)
    assert response.status_code == 404
    assert Dossier.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("persona", ["viewer", "contributor", "lead"])
def test_it_shows_list_to_members(request, project, ready, persona):
    client = request.getfixturevalue(f"{persona}_client")
    html = client.get(_url("list", project)).content.decode()
    assert "Generate dossier" in html
    assert f"v{ready.number}" in html
    assert _url("download", project, ready) in html


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("list", "post"),
        ("request", "get"),
        ("status", "post"),
        ("retry", "get"),
        ("download", "post"),
    ],
)
def test_it_refuses_other_methods(lead_client, project, queued, name, method):
    url = _url(name, project, None if name in {"list", "request"} else queued)
    assert getattr(lead_client, method)(url).status_code == 405


@pytest.mark.parametrize("name", ["status", "download", "retry"])
def test_it_404s_dossier_of_another_project(lead_client, project, other_project, outsider, name):
    foreign = services.dossier_request(project=other_project, user=outsider)
    Dossier.objects.filter(pk=foreign.pk).update(status=DossierStatus.FAILED, error="x")
    url = _url(name, project, foreign)
    response = lead_client.post(url) if name == "retry" else lead_client.get(url, headers=HTMX)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == DossierStatus.FAILED


# --- requesting ----------------------------------------------------------------------------


def test_it_lets_viewer_request_and_download(viewer_client, viewer, project, rendered):
    response = rendered(viewer_client.post, _url("request", project))
    dossier = Dossier.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == f"{_url('list', project)}#dossier-{dossier.pk}"
    assert dossier.requested_by == viewer
    assert dossier.status == DossierStatus.READY

    download = viewer_client.get(_url("download", project, dossier))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_it_returns_polling_partial_to_htmx_then_ready(
    lead_client, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as enqueued:
        response = lead_client.post(_url("request", project), headers=HTMX)
    dossier = Dossier.objects.get(project=project)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'<section id="dossier-{dossier.pk}"' in html
    assert 'hx-trigger="every 2s"' in html
    # The list of versions comes along out of band, so the new version shows without a reload.
    assert '<section id="dossier-table" class="card" hx-swap-oob="true">' in html

    for job in enqueued:  # the worker picks it up
        job()
    html = lead_client.get(_url("status", project, dossier), headers=HTMX).content.decode()
    assert 'hx-trigger="every' not in html
    assert _url("download", project, dossier) in html
    assert 'hx-swap-oob="true"' in html


def test_it_numbers_versions(lead_client, project, rendered):
    # The second asks for a new version of unchanged content, as a lead may.
    for data in ({}, {"force": "1"}):
        rendered(lead_client.post, _url("request", project), data)
    assert list(Dossier.objects.filter(project=project).values_list("number", flat=True)) == [
        2,
        1,
    ]


# --- watching it render --------------------------------------------------------------------


def test_it_polls_while_queued(viewer_client, project, queued):
    response = viewer_client.get(_url("status", project, queued), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="dossier-{queued.pk}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert f'hx-get="{_url("status", project, queued)}"' in html
    assert 'hx-swap="outerHTML"' in html


def test_it_polls_while_rendering(viewer_client, project, queued):
    Dossier.objects.filter(pk=queued.pk).update(status=DossierStatus.RENDERING)
    html = viewer_client.get(_url("status", project, queued), headers=HTMX).content.decode()
    assert 'hx-trigger="every' in html
    assert "Rendering" in html


def test_it_stops_polling_when_ready(viewer_client, project, ready):
    html = viewer_client.get(_url("status", project, ready), headers=HTMX).content.decode()
    assert 'hx-trigger="every' not in html
    assert _url("download", project, ready) in html
    assert ready.sha256 in html
    assert f"{ready.page_count}" in html


def test_it_shows_panel_for_unfinished_dossier_on_list(lead_client, project, ready, lead):
    newer = services.dossier_request(project=project, user=lead)
    html = lead_client.get(_url("list", project)).content.decode()
    assert f'id="dossier-{newer.pk}"' in html
    assert f'id="dossier-{ready.pk}"' not in html
    assert 'hx-trigger="every 2s"' in html


def test_it_shows_no_panel_when_all_are_ready(lead_client, project, ready):
    html = lead_client.get(_url("list", project)).content.decode()
    assert 'hx-trigger="every' not in html
    assert f'id="dossier-{ready.pk}"' not in html


def test_it_sends_plain_status_request_to_list(lead_client, project, queued):
    response = lead_client.get(_url("status", project, queued))
    assert response.status_code == 302
    assert response["Location"] == f"{_url('list', project)}#dossier-{queued.pk}"


# --- failure and retry ---------------------------------------------------------------------


def test_it_shows_failure_reason_and_retry(viewer_client, project, failed):
    html = viewer_client.get(_url("status", project, failed), headers=HTMX).content.decode()
    assert 'hx-trigger="every' not in html
    assert "WeasyPrint could not load the cover font" in failed.error
    assert "WeasyPrint could not load the cover font" in html
    assert f'hx-post="{_url("retry", project, failed)}"' in html
    assert _url("download", project, failed) not in html


def test_it_shows_failed_panel_on_list(lead_client, project, failed):
    html = lead_client.get(_url("list", project)).content.decode()
    assert f'id="dossier-{failed.pk}"' in html
    assert "Retry" in html


def test_it_retries_failed_dossier(viewer_client, project, failed, rendered):
    response = rendered(viewer_client.post, _url("retry", project, failed), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    # Queued again: the panel polls until the worker is done.
    assert f'<section id="dossier-{failed.pk}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert "WeasyPrint could not load" not in html
    failed.refresh_from_db()
    assert failed.status == DossierStatus.READY
    assert failed.error == ""
    assert failed.attempts == 2
    assert Dossier.objects.filter(project=project).count() == 1


def test_it_retries_failed_dossier_as_plain_form(lead_client, project, failed, rendered):
    response = rendered(lead_client.post, _url("retry", project, failed))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DossierStatus.READY


def test_it_does_not_retry_ready_dossier(lead_client, project, ready):
    response = lead_client.post(_url("retry", project, ready), follow=True)
    assert response.status_code == 200
    assert "Only a failed dossier can be retried." in response.content.decode()
    partial = lead_client.post(_url("retry", project, ready), headers=HTMX)
    assert partial.status_code == 200
    assert _url("download", project, ready) in partial.content.decode()
    ready.refresh_from_db()
    assert ready.status == DossierStatus.READY


def test_it_does_not_retry_queued_dossier(lead_client, project, queued):
    partial = lead_client.post(_url("retry", project, queued), headers=HTMX)
    assert partial.status_code == 200
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    queued.refresh_from_db()
    assert queued.status == DossierStatus.QUEUED


# --- downloading ---------------------------------------------------------------------------


def test_it_downloads_pdf_as_attachment(viewer_client, project, ready):
    response = viewer_client.get(_url("download", project, ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{ready.download_name}"' in disposition
    assert ready.download_name.startswith("northwind-erp-cutover-readiness-dossier-v1-")
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert len(body) == ready.byte_size


@pytest.mark.parametrize(
    "status", [DossierStatus.QUEUED, DossierStatus.RENDERING, DossierStatus.FAILED]
)
def test_it_404s_download_of_unfinished_dossier(lead_client, project, queued, status):
    Dossier.objects.filter(pk=queued.pk).update(status=status)
    assert lead_client.get(_url("download", project, queued)).status_code == 404


def test_it_404s_download_when_file_is_gone(lead_client, project, ready):
    ready.file.storage.delete(ready.file.name)
    assert lead_client.get(_url("download", project, ready)).status_code == 404


def test_it_never_links_media_url(lead_client, project, ready, settings):
    html = lead_client.get(_url("list", project)).content.decode()
    assert settings.MEDIA_URL not in html
    assert ready.file.name not in html


# --- ways in -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["viewer", "contributor", "lead"])
def test_it_offers_dossiers_on_overview(request, project, persona):
    client = request.getfixturevalue(f"{persona}_client")
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'action="{_url("request", project)}"' in html
    assert f'href="{_url("list", project)}"' in html


def test_it_marks_dossiers_in_project_nav(lead_client, project):
    html = lead_client.get(_url("list", project)).content.decode()
    assert f'<a href="{_url("list", project)}" aria-current="page">Dossiers</a>' in html
