"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_web_worker_beat_postgres_and_redis():
    services = load_compose()["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")


def test_it_points_the_app_at_postgres_and_redis():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert set(services[name]["depends_on"]) == {"db", "redis"}


def test_the_image_build_context_exists():
    assert (ROOT / "Dockerfile").is_file()
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
