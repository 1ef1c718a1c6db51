"""Personas on one project, clients logged in as each, eager Celery, Playwright launch args."""

import os
from pathlib import Path

import pytest
from django.test import Client

from readiness.projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

# live_server runs the app in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")


def pytest_configure(config):
    # Tests serve static files through the finders; STATIC_ROOT exists only after collectstatic.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # pytest-playwright 0.10 declares base_url in a way pytest 9 deprecates; not ours to fix.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods"
    )


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (make browser-deps)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's Playwright, closing the database connections made while it ran.

    Its sync API keeps an asyncio loop running in the main thread, and while a loop runs Django
    (through asgiref) keeps the thread's connections apart from the usual ones. Close those
    before the loop stops, or PostgreSQL refuses to drop the test database at the end.
    """
    yield playwright
    from django.db import connections

    connections.close_all()


@pytest.fixture(autouse=True)
def _eager_celery():
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The default hasher costs ~0.3 s per user; tests create dozens.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(db):
    return ProjectFactory(name="Northwind ERP cutover", slug="northwind")


@pytest.fixture
def other_project(db):
    return ProjectFactory(name="Contoso CRM", slug="contoso")


def _member(project, username, role):
    user = UserFactory(username=username)
    MembershipFactory(project=project, user=user, role=role)
    return user


@pytest.fixture
def lead(project):
    return _member(project, "lead", Role.LEAD)


@pytest.fixture
def contributor(project):
    return _member(project, "contributor", Role.CONTRIBUTOR)


@pytest.fixture
def viewer(project):
    return _member(project, "viewer", Role.VIEWER)


@pytest.fixture
def outsider(other_project):
    """A lead of another project, who must not even see that `project` exists."""
    return _member(other_project, "outsider", Role.LEAD)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lead_client(lead):
    return _client_for(lead)


@pytest.fixture
def contributor_client(contributor):
    return _client_for(contributor)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files a test writes (rendered dossiers) go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
