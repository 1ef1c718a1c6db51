"""The dossier task through a real Celery worker and Redis, once: eager mode hides
serialization and transaction bugs. Skipped without REDIS_URL or a Redis that answers."""

import os
import time

import pytest
from django.db import connections

from readiness.dossiers.jobs import dossier_request_and_queue
from readiness.dossiers.models import DossierStatus
from tests.dossiers.support import fill_project, pdf_pages_text

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_answers(url: str) -> bool:
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(REDIS_URL), reason="needs REDIS_URL pointing at a Redis that answers"
)


@pytest.fixture
def real_worker():
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun, task_prerun

    from config.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = REDIS_URL

    def close_connections(**kwargs):
        # The worker thread opened its own database connection; leave nothing behind that
        # would keep the test database from being flushed or dropped.
        connections.close_all()

    runs = []

    def record(task=None, **kwargs):
        runs.append({"eager": task.request.is_eager, "args": task.request.args})

    task_prerun.connect(record, weak=False)
    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield runs
    finally:
        task_prerun.disconnect(record)
        task_postrun.disconnect(close_connections)
        app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.mark.django_db(transaction=True)
def test_it_renders_through_a_real_worker(project, lead, real_worker):
    fill_project(project)
    dossier = dossier_request_and_queue(project=project, user=lead)  # autocommit: sent at once

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        dossier.refresh_from_db()
        if dossier.is_finished:
            break
        time.sleep(0.2)
    assert dossier.status == DossierStatus.READY, dossier.error or dossier.status
    with dossier.file.open("rb") as f:
        pages = pdf_pages_text(f.read())
    assert dossier.page_count == len(pages) > 1
    assert "Northwind ERP cutover" in pages[0]
    assert "Customer master" in "\n".join(pages)
    # It went through the broker as JSON, to a worker, not eagerly in this thread.
    assert real_worker == [{"eager": False, "args": [dossier.pk]}]
