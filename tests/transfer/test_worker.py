"""A large import through a real Celery worker and Redis, once: the preview and the commit
each run as a task. Skipped without REDIS_URL or a Redis that answers."""

import time

import pytest

from readiness.registers.models import DataElement
from readiness.transfer import jobs
from readiness.transfer.models import ImportStatus
from readiness.transfer.services import BACKGROUND_ROWS
from tests.dossiers.test_worker import REDIS_URL, _redis_answers, real_worker  # noqa: F401

pytestmark = pytest.mark.skipif(
    not _redis_answers(REDIS_URL), reason="needs REDIS_URL pointing at a Redis that answers"
)


def _wait(batch, *statuses):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in statuses:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"still {batch.status}")


@pytest.mark.django_db(transaction=True)
def test_a_large_import_is_previewed_and_committed_by_the_worker(project, lead, real_worker):  # noqa: F811
    rows = BACKGROUND_ROWS + 100
    data = ("Name,Criticality\n" + "".join(f"Element {i},Minor\n" for i in range(rows))).encode()
    batch = jobs.import_upload_and_plan(
        project=project, user=lead, scope="data-elements", filename="big.csv", data=data
    )
    assert batch.status == ImportStatus.PLANNING
    batch = _wait(batch, ImportStatus.READY, ImportStatus.FAILED)
    assert batch.status == ImportStatus.READY, batch.error
    assert batch.plan["changes"] == rows and batch.progress_done == rows

    batch = jobs.import_commit_or_queue(batch=batch)
    assert batch.status == ImportStatus.COMMITTING
    batch = _wait(batch, ImportStatus.COMMITTED, ImportStatus.FAILED, ImportStatus.READY)
    assert batch.status == ImportStatus.COMMITTED, batch.error
    assert DataElement.objects.filter(project=project).count() == rows
    assert [run["eager"] for run in real_worker] == [False, False]
