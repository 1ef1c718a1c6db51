"""The production settings pass Django's deployment checklist without a warning."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _env(**values):
    # Start from a production-like environment: none of the test run's DJANGO_* switches
    # (DJANGO_ALLOW_ASYNC_UNSAFE would rightly fail the deployment check).
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**env, **values}


def test_it_passes_check_deploy_with_production_settings():
    env = _env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_it_refuses_to_start_without_secret_key_when_not_debugging():
    env = _env(DJANGO_DEBUG="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr
