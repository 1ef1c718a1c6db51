"""Personas on one project, clients logged in as each, eager Celery, Playwright launch args."""

import itertools
import os

import pytest
from django.test import Client

from readiness.projects.models import Role
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

# live_server runs the app in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
        "args": CHROMIUM_ARGS,
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


@pytest.fixture
def pages_rendered_each_time(settings):
    """For tests that count what rendering a page costs: no kept page answers instead."""
    settings.READINESS_KEEP_PAGES = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files a test writes (rendered dossiers) go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Kept review state ------------------------------------------------------------------------
# The app keeps each project's review until the project's revision moves, and every write of
# the app goes through a service that moves it (tests/reviews/test_state.py proves that, with
# this shim switched off). Factories and direct ORM edits in tests write around the services,
# so here any save or delete of a project's row moves its revision too — to a number never used
# before in this process (steps far larger than the app's own +1 bumps between two saves), so a
# stale in-memory Project saved over a newer one cannot bring an old revision, and an old kept
# review, back.
_revisions = itertools.count(10**9, 10**9)


def _project_id_of(instance):
    from readiness.projects.models import ActivityEntry, Project
    from readiness.reviews.models import ReviewSummary

    if isinstance(instance, ActivityEntry | ReviewSummary):
        return None  # the record of a change, and the kept state: not changes themselves
    if isinstance(instance, Project):
        return instance.pk
    return getattr(instance, "project_id", None)


def _bump(instance, **kwargs):
    from readiness.core.pages import note_write
    from readiness.projects.models import Project

    project_id = _project_id_of(instance)
    if project_id is not None:
        Project.objects.filter(pk=project_id).update(revision=next(_revisions))
        note_write()


@pytest.fixture(autouse=True)
def _kept_reviews(request):
    from django.core.cache import cache
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from readiness.reviews.state import forget_kept_reviews

    forget_kept_reviews()
    cache.clear()  # kept tables and sessions of an earlier test (SQLite reuses primary keys)
    if request.node.get_closest_marker("no_revision_shim"):
        yield
        return
    uid = f"test-revision-shim-{id(request)}"
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_bump, dispatch_uid=uid, weak=False)
    yield
    for signal in (post_save, post_delete, m2m_changed):
        signal.disconnect(dispatch_uid=uid)
    forget_kept_reviews()
