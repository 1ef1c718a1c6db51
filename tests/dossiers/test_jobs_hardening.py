"""Rendering jobs that cannot hang: a killed worker, an unreachable broker, double clicks."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from readiness.dossiers import jobs, services, tasks
from readiness.dossiers.models import Dossier, DossierStatus
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db


def _list_url(project):
    return reverse("dossiers:list", kwargs={"slug": project.slug})


def _age(dossier, **delta):
    ago = timezone.now() - datetime.timedelta(**delta)
    Dossier.objects.filter(pk=dossier.pk).update(started_at=ago)
    Dossier.objects.filter(pk=dossier.pk).update(requested_at=ago)


def test_it_fails_a_dossier_whose_worker_was_killed_so_retry_works(project, lead, lead_client):
    dossier = services.dossier_request(project=project, user=lead)
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RENDERING)
    _age(dossier, minutes=10)  # the worker died (kill -9) ten minutes ago

    tasks.fail_stuck_dossiers()

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FAILED
    assert "the worker rendering it stopped" in dossier.error
    response = lead_client.post(
        reverse("dossiers:retry", kwargs={"slug": project.slug, "pk": dossier.pk}), follow=True
    )
    assert "Only a failed dossier can be retried" not in response.text
    assert f"Dossier v{dossier.number} queued again." in response.text


def test_it_fails_a_dossier_no_worker_picked_up(project, lead):
    dossier = services.dossier_request(project=project, user=lead)
    _age(dossier, hours=1)
    tasks.fail_stuck_dossiers()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FAILED
    assert "No worker picked it up" in dossier.error


def test_it_leaves_a_render_still_within_its_time_limit(project, lead):
    dossier = services.dossier_request(project=project, user=lead)
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RENDERING)
    _age(dossier, seconds=tasks.RENDER_TIME_LIMIT - 30)
    tasks.fail_stuck_dossiers()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RENDERING


def test_the_watchdog_runs_every_few_minutes_and_outlives_no_job():
    schedule = settings.CELERY_BEAT_SCHEDULE["fail-stuck-dossiers"]
    assert schedule["task"] == "readiness.dossiers.tasks.fail_stuck_dossiers"
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > tasks.render_dossier.time_limit
    assert tasks.STUCK_RENDERING.total_seconds() > tasks.render_dossier.time_limit
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0


def test_a_late_redelivery_keeps_the_one_file(project, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = jobs.dossier_request_and_queue(project=project, user=lead)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
    name = dossier.file.name
    tasks.render_dossier.delay(dossier.pk)  # the broker delivers the same job again
    dossier.refresh_from_db()
    assert dossier.file.name == name and dossier.attempts == 1


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")


# Committed for real, as in production: the task is sent while the request is still answering.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("htmx", [False, True])
def test_an_unreachable_broker_fails_the_dossier_with_a_reason(
    project, lead_client, monkeypatch, htmx
):
    monkeypatch.setattr(tasks.render_dossier, "delay", _broker_down)
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("dossiers:request", kwargs={"slug": project.slug})
    response = lead_client.post(url, headers=headers, follow=not htmx)
    assert response.status_code == 200
    assert "The renderer is unavailable; try again shortly." in response.text
    dossier = Dossier.objects.get(project=project)
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == services.RENDERER_UNAVAILABLE

    monkeypatch.undo()  # the broker is back: Retry renders it
    lead_client.post(reverse("dossiers:retry", kwargs={"slug": project.slug, "pk": dossier.pk}))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_generate_clicks_make_one_dossier(project, lead, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "_send_render", sent.append)  # the worker has not started yet
    url = reverse("dossiers:request", kwargs={"slug": project.slug})

    def click():
        client = Client()
        client.force_login(lead)
        return client.post(url).status_code

    statuses = run_together(click, 10)

    assert statuses == [302] * 10
    assert Dossier.objects.filter(project=project).count() == 1
    assert len(sent) == 1
