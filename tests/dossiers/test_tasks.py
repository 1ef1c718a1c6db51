"""render_dossier: retried with backoff on transient errors only, failed with a reason otherwise."""

import pytest
from billiard.exceptions import WorkerLostError
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure
from django.db import OperationalError

from readiness.dossiers import services, tasks
from readiness.dossiers.models import DossierStatus
from readiness.dossiers.services import dossier_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(project, lead):
    return dossier_request(project=project, user=lead)  # queued; no render task sent


@pytest.fixture
def flaky(monkeypatch):
    """Make dossier_render raise the given errors in turn, then render for real."""
    calls = []
    real = services.dossier_render

    def install(*errors):
        def render(*, dossier_id):
            calls.append(dossier_id)
            if len(calls) <= len(errors):
                raise errors[len(calls) - 1]
            return real(dossier_id=dossier_id)

        monkeypatch.setattr(tasks, "dossier_render", render)
        return calls

    return install


@pytest.fixture
def not_propagating():
    """Eager retries run in Task.apply's loop only when errors do not propagate — as in
    settings.py's embedded mode; conftest turns propagation on for everything else."""
    from config.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


@pytest.fixture
def countdowns(monkeypatch, not_propagating):
    """The countdowns the task asks for (eager mode runs retries at once)."""
    asked = []
    real_retry = tasks.render_dossier.retry

    def retry(*args, **kwargs):
        asked.append(kwargs.get("countdown"))
        return real_retry(*args, **kwargs)

    monkeypatch.setattr(tasks.render_dossier, "retry", retry)
    return asked


def test_the_task_is_configured_for_long_renders():
    task = tasks.render_dossier
    assert task.acks_late is True
    assert (task.soft_time_limit, task.time_limit) == (270, 300)
    assert task.max_retries == 3
    assert task.serializer == "json"


@pytest.mark.parametrize(
    "error",
    [OperationalError("database is locked"), ConnectionError("reset"), OSError("disk busy")],
)
def test_it_retries_transient_errors_with_backoff(dossier, flaky, countdowns, error):
    calls = flaky(error, error)
    tasks.render_dossier.delay(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY, dossier.error
    assert len(calls) == 3
    assert countdowns == [10, 20]


def test_it_gives_up_after_the_last_retry(dossier, flaky, countdowns):
    calls = flaky(*[OperationalError("could not connect to server")] * 4)
    tasks.render_dossier.delay(dossier.pk)
    dossier.refresh_from_db()
    assert len(calls) == 4  # the first attempt and three retries
    assert countdowns == [10, 20, 40]
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == (
        "Gave up after 4 attempts. OperationalError: could not connect to server"
    )


def test_other_errors_fail_at_once(dossier, flaky, countdowns):
    calls = flaky(TypeError("unsupported operand"))
    tasks.render_dossier.delay(dossier.pk)
    dossier.refresh_from_db()
    assert len(calls) == 1 and countdowns == []
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == "TypeError: unsupported operand"


def test_hitting_the_time_limit_fails_with_a_plain_reason(dossier, flaky):
    flaky(SoftTimeLimitExceeded())
    tasks.render_dossier.delay(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == "Rendering took longer than 270 seconds and was stopped."


def test_a_deleted_dossier_is_ignored(dossier):
    pk = dossier.pk
    dossier.delete()
    tasks.render_dossier.delay(pk)  # no exception, nothing to do


def test_the_task_takes_only_the_id(dossier, monkeypatch):
    seen = []
    monkeypatch.setattr(tasks, "dossier_render", lambda **kw: seen.append(kw))
    tasks.render_dossier.apply(args=[dossier.pk])
    assert seen == [{"dossier_id": dossier.pk}]


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (TimeLimitExceeded(300), "Rendering took longer than 300 seconds and was stopped."),
        (
            WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL)."),
            "The worker rendering it stopped unexpectedly. "
            "WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL).",
        ),
    ],
)
def test_a_worker_that_was_killed_marks_the_dossier_failed(dossier, exception, error):
    # What Celery's main process sends when the hard time limit or the OOM killer strikes.
    task_failure.send(
        sender=tasks.render_dossier._get_current_object(),
        task_id="abc",
        exception=exception,
        args=[dossier.pk],
        kwargs={},
        traceback=None,
        einfo=None,
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == error


def test_failures_of_other_tasks_are_not_ours(dossier):
    other = type("OtherTask", (), {"name": "readiness.other.tasks.something"})()
    task_failure.send(
        sender=other, task_id="abc", exception=TimeLimitExceeded(1), args=[dossier.pk], kwargs={}
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.QUEUED
