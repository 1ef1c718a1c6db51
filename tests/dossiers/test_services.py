"""Requesting and rendering dossiers: the task end to end in eager mode, isolation, idempotency,
failure and retry, and what changed since the previous dossier."""

import hashlib
from pathlib import Path

import pytest
from django.db import IntegrityError

from config.celery import app
from readiness.core import pages
from readiness.dossiers import rendering, services, tasks
from readiness.dossiers.jobs import dossier_request_and_queue, dossier_retry_and_queue
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.dossiers.services import (
    DossierRefused,
    dossier_mark_failed,
    dossier_render,
    dossier_request,
    error_text,
)
from readiness.registers.models import DataElement
from tests.dossiers.support import pdf_pages_text, pdf_text

pytestmark = pytest.mark.django_db

CHECK_HEADINGS = [
    "Data that must move",
    "Handoffs",
    "Exceptions",
    "Reporting",
    "Ownership after launch",
]


@pytest.fixture
def request_and_run(django_capture_on_commit_callbacks):
    """Request a dossier and run what the commit enqueues (eager Celery, from conftest)."""

    def run(project, user):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = dossier_request_and_queue(project=project, user=user)
        dossier.refresh_from_db()
        return dossier

    return run


@pytest.fixture
def queued_only(monkeypatch):
    """Requests stay queued: no eager execution, and `.delay` only records the ids."""
    delayed = []
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    monkeypatch.setattr(
        tasks.render_dossier, "delay", lambda dossier_id: delayed.append(dossier_id)
    )
    yield delayed
    app.conf.task_always_eager = saved


def _pdf(dossier) -> bytes:
    with dossier.file.open("rb") as f:
        return f.read()


def _files(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_it_renders_the_dossier_end_to_end(project, lead, filled, request_and_run, settings):
    dossier = request_and_run(project, lead)
    assert dossier.status == DossierStatus.READY, dossier.error
    assert dossier.number == 1
    assert dossier.requested_by == lead
    assert dossier.verdict == "not_ready"
    assert dossier.attempts == 1
    assert dossier.started_at and dossier.finished_at and dossier.render_seconds > 0
    assert dossier.error == ""

    pdf = _pdf(dossier)
    assert dossier.byte_size == len(pdf)
    assert dossier.sha256 == hashlib.sha256(pdf).hexdigest()
    pages = pdf_pages_text(pdf)
    assert dossier.page_count == len(pages) > 1
    cover = pages[0]
    assert "Northwind ERP cutover" in cover
    assert "Not ready" in cover
    assert dossier.snapshot_hash in cover
    text = "\n".join(pages)
    for heading in CHECK_HEADINGS:
        assert heading in text
    assert "Customer master" in text
    assert "Changes since the previous dossier" in text
    assert "This is the first dossier" in text
    assert "Sign-off history" in text
    assert Path(dossier.file.path).name == dossier.download_name
    assert Path(dossier.file.path).is_relative_to(settings.MEDIA_ROOT)


def test_it_numbers_versions_per_project(project, other_project, lead, outsider, queued_only):
    first = dossier_request(project=project, user=lead)
    dossier_mark_failed(dossier_id=first.pk, error="gave up")  # else the second is the first
    second = dossier_request(project=project, user=lead)
    other = dossier_request(project=other_project, user=outsider)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    dossier = first.snapshot["dossier"]
    assert (dossier["number"], dossier["requested_by"]) == (1, lead.get_full_name())
    assert dossier["activity"]["after_seq"] == 0
    assert second.snapshot["dossier"]["number"] == 2


def test_it_retries_the_number_when_another_request_took_it(
    project, lead, queued_only, monkeypatch
):
    real_create = Dossier.objects.create
    calls = []

    def racing_create(**kwargs):
        calls.append(kwargs["number"])
        if len(calls) == 1:  # another request commits number 1 just before us
            raise IntegrityError("UNIQUE constraint failed: dossier_unique_number")
        return real_create(**kwargs)

    monkeypatch.setattr(Dossier.objects, "create", racing_create)
    dossier = dossier_request(project=project, user=lead)
    assert dossier.number == 1 and len(calls) == 2


def test_request_snapshots_now_and_queues_on_commit(
    project, lead, filled, queued_only, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = dossier_request_and_queue(project=project, user=lead)
        assert queued_only == []  # nothing is sent before the commit
    # Besides the new marker for kept pages (readiness/core/pages.py), one callback: the queue.
    callbacks = [c for c in callbacks if c is not pages._new_marker]
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued_only == [dossier.pk]
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.QUEUED
    assert dossier.snapshot["project"]["name"] == "Northwind ERP cutover"
    assert dossier.snapshot_hash
    assert dossier.file.name == ""


def test_the_pdf_shows_the_project_as_it_was_when_requested(project, lead, filled, queued_only):
    dossier = dossier_request(project=project, user=lead)
    assert dossier.status == DossierStatus.QUEUED
    DataElement.objects.filter(name="Customer master").update(name="Customer golden record")

    dossier = dossier_render(dossier_id=dossier.pk)
    assert dossier.status == DossierStatus.READY
    text = pdf_text(_pdf(dossier))
    assert "Customer master" in text
    assert "Customer golden record" not in text


def test_rendering_twice_keeps_one_file(
    project, lead, filled, request_and_run, settings, monkeypatch
):
    dossier = request_and_run(project, lead)
    files = _files(settings)
    assert len(files) == 1

    def must_not_render(*args, **kwargs):
        raise AssertionError("a ready dossier was rendered again")

    monkeypatch.setattr(rendering, "render_pdf", must_not_render)
    again = dossier_render(dossier_id=dossier.pk)
    tasks.render_dossier.delay(dossier.pk)  # a second delivery of the same job
    again.refresh_from_db()
    assert again.file.name == dossier.file.name
    assert again.sha256 == dossier.sha256
    assert again.attempts == 1
    assert _files(settings) == files


def test_a_duplicate_delivery_that_loses_the_race_leaves_no_file(
    project, lead, filled, queued_only, settings, monkeypatch
):
    dossier = dossier_request(project=project, user=lead)
    real_render_pdf = rendering.render_pdf

    def render_while_another_worker_finishes(html, **kwargs):
        pdf = real_render_pdf(html, **kwargs)
        # The other delivery renders with the real renderer and finishes first.
        monkeypatch.setattr(rendering, "render_pdf", real_render_pdf)
        dossier_render(dossier_id=dossier.pk)
        return pdf

    monkeypatch.setattr(rendering, "render_pdf", render_while_another_worker_finishes)
    result = dossier_render(dossier_id=dossier.pk)
    assert result.status == DossierStatus.READY
    assert len(_files(settings)) == 1
    assert result.file.name == Dossier.objects.get(pk=dossier.pk).file.name


def test_a_failed_render_shows_the_reason_and_can_be_retried(
    project,
    lead,
    filled,
    request_and_run,
    monkeypatch,
    django_capture_on_commit_callbacks,
    settings,
):
    real_render_pdf = rendering.render_pdf
    calls = []

    def broken_once(html, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("No layout for\n  a table cell")
        return real_render_pdf(html, **kwargs)

    monkeypatch.setattr(rendering, "render_pdf", broken_once)
    dossier = request_and_run(project, lead)
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == "ValueError: No layout for a table cell"
    assert "Traceback" not in dossier.error
    assert dossier.attempts == 1
    assert len(calls) == 1  # not retried: it would fail the same way
    assert _files(settings) == []

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_retry_and_queue(dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
    assert dossier.error == ""
    assert dossier.attempts == 2
    assert len(_files(settings)) == 1


@pytest.mark.parametrize(
    "status", [DossierStatus.QUEUED, DossierStatus.RENDERING, DossierStatus.READY]
)
def test_only_a_failed_dossier_can_be_retried(project, lead, queued_only, status):
    dossier = dossier_request(project=project, user=lead)
    Dossier.objects.filter(pk=dossier.pk).update(status=status, sha256="x" * 64)
    with pytest.raises(DossierRefused):
        dossier_retry_and_queue(dossier=dossier)
    assert queued_only == []  # nothing enqueued (the request alone queues no render)


def test_retry_queues_again_on_commit(
    project, lead, queued_only, django_capture_on_commit_callbacks
):
    dossier = dossier_request(project=project, user=lead)
    dossier_mark_failed(dossier_id=dossier.pk, error="OSError: disk full")
    with django_capture_on_commit_callbacks(execute=True):
        retried = dossier_retry_and_queue(dossier=dossier)
    assert retried.status == DossierStatus.QUEUED and retried.error == ""
    assert queued_only == [dossier.pk]


def test_mark_failed_never_touches_a_ready_dossier(project, lead, filled, request_and_run):
    dossier = request_and_run(project, lead)
    dossier_mark_failed(dossier_id=dossier.pk, error="late failure")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY and dossier.error == ""


def test_error_text_is_short_and_readable():
    assert error_text(RuntimeError("boom")) == "RuntimeError: boom"
    assert error_text(KeyError()) == "KeyError"
    long = error_text(ValueError("x" * 2000))
    assert len(long) < 520 and long.endswith("…")


def test_second_dossier_lists_what_changed(project, lead, filled, request_and_run):
    first = request_and_run(project, lead)
    assert first.status == DossierStatus.READY
    DataElement.objects.filter(name="Credit limit").update(definition="The approved limit.")
    DataElement.objects.filter(name="Customer master").update(name="Customer golden record")

    second = request_and_run(project, lead)
    assert second.status == DossierStatus.READY
    assert second.number == 2
    assert second.snapshot_hash != first.snapshot_hash
    pages = pdf_pages_text(_pdf(second))
    changes = next(p for p in pages if "Compared with dossier v1" in p)
    assert "Check 4 · Reporting Signed Stale" in changes  # its report's sources were renamed
    assert "Changed Credit limit definition" in changes
    assert "Added Customer golden record" in changes
    assert "Removed Customer master" in changes


def test_a_second_request_of_the_same_content_while_queued_is_the_same_dossier(project, lead):
    first = dossier_request(project=project, user=lead)
    again = dossier_request(project=project, user=lead)
    assert again.pk == first.pk and not again.requested_now
    assert Dossier.objects.filter(project=project).count() == 1


def test_unchanged_project_says_so(project, lead, filled, request_and_run):
    first = request_and_run(project, lead)
    second = request_and_run(project, lead)
    assert second.snapshot_hash == first.snapshot_hash
    assert "Nothing changed since dossier v1" in pdf_text(_pdf(second))


def test_a_failed_dossier_is_not_the_previous_one(
    project, lead, filled, request_and_run, monkeypatch
):
    request_and_run(project, lead)
    with monkeypatch.context() as mp:
        mp.setattr(rendering, "render_pdf", lambda html, **kw: 1 / 0)
        failed = request_and_run(project, lead)
    assert failed.status == DossierStatus.FAILED
    DataElement.objects.filter(name="Credit limit").update(definition="Changed.")
    third = request_and_run(project, lead)
    assert "Compared with dossier v1" in pdf_text(_pdf(third))


def test_service_module_uses_rendering_through_the_module():
    # Views' tests replace rendering.render_pdf; the service must see the replacement.
    assert not hasattr(services, "render_pdf")
