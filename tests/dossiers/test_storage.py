"""Dossier files go through Django's storage API: any configured storage holds them, and the
environment switches it to an S3-compatible store."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from readiness.dossiers import jobs
from readiness.dossiers.models import DossierStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def test_a_dossier_is_written_and_downloaded_through_the_storage_api(
    project, lead, lead_client, memory_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = jobs.dossier_request_and_queue(project=project, user=lead)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY, dossier.error
    assert not (settings.MEDIA_ROOT / "dossiers").exists()  # nothing on the local disk

    url = f"/projects/{project.slug}/dossiers/{dossier.pk}/download/"
    response = lead_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_environment_selects_an_s3_compatible_store():
    env = {
        **os.environ,
        "DJANGO_STORAGE": "s3",
        "READINESS_S3_ENDPOINT_URL": "http://minio:9000",
        "READINESS_S3_BUCKET": "dossiers",
    }
    code = (
        "from django.core.files.storage import default_storage as s; s._setup();"
        "print(type(s._wrapped).__name__, s.bucket_name, s.endpoint_url, s.querystring_auth)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["S3Storage", "dossiers", "http://minio:9000", "True"]


def test_tests_and_local_runs_keep_the_filesystem():
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
