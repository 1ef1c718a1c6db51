"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_web_worker_beat_postgres_redis_and_minio():
    services = load_compose()["services"]
    assert set(services) == {
        "migrate",
        "web",
        "worker",
        "beat",
        "db",
        "redis",
        "minio",
        "minio-bucket",
    }
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    assert "migrate" in services["migrate"]["command"]


def test_it_runs_two_web_replicas_and_two_workers():
    services = load_compose()["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    # Replicas start after the one-off migration, never migrating side by side.
    for name in ("web", "worker"):
        migrate = services[name]["depends_on"]["migrate"]
        assert migrate["condition"] == "service_completed_successfully"


def test_it_points_the_app_at_postgres_redis_and_minio():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DJANGO_STORAGE"] == "s3"
        assert env["READINESS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert {"db", "redis", "minio-bucket"} <= set(services[name]["depends_on"])


def test_no_app_container_keeps_files_on_its_own_disk():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        assert "volumes" not in services[name], name


def test_the_image_build_context_exists():
    assert (ROOT / "Dockerfile").is_file()
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
