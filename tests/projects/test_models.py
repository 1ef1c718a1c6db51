"""Constraints the database keeps for projects, owners and systems."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from readiness.projects.models import Owner, System
from tests.factories import OwnerFactory, ProjectFactory, SystemFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCK = datetime.date(2030, 3, 1)
LIVE = datetime.date(2030, 5, 1)


def _refuses(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(**kwargs)


def test_it_accepts_plan_lock_on_go_live_day():
    project = ProjectFactory(plan_lock_date=LIVE, go_live_date=LIVE)
    assert project.pk


def test_it_refuses_plan_lock_after_go_live():
    _refuses(plan_lock_date=LIVE + datetime.timedelta(days=1), go_live_date=LIVE)


def test_it_accepts_parallel_run_within_bounds():
    project = ProjectFactory(
        plan_lock_date=LOCK,
        go_live_date=LIVE,
        parallel_run_start=LOCK,
        parallel_run_end=LIVE + datetime.timedelta(days=30),
    )
    assert project.pk


@pytest.mark.parametrize(
    "run",
    [
        {"parallel_run_start": LOCK},
        {"parallel_run_end": LIVE},
    ],
    ids=["start-only", "end-only"],
)
def test_it_refuses_half_a_parallel_run(run):
    _refuses(plan_lock_date=LOCK, go_live_date=LIVE, **run)


def test_it_refuses_parallel_run_before_plan_lock():
    _refuses(
        plan_lock_date=LOCK,
        go_live_date=LIVE,
        parallel_run_start=LOCK - datetime.timedelta(days=1),
        parallel_run_end=LIVE,
    )


def test_it_refuses_parallel_run_ending_before_it_starts():
    _refuses(
        plan_lock_date=LOCK,
        go_live_date=LIVE,
        parallel_run_start=LIVE,
        parallel_run_end=LIVE - datetime.timedelta(days=1),
    )


def test_factory_makes_valid_dates():
    project = ProjectFactory()
    assert project.plan_lock_date <= project.go_live_date
    project.full_clean()


@pytest.mark.parametrize("factory", [OwnerFactory, SystemFactory], ids=["owner", "system"])
def test_it_refuses_duplicate_name_in_one_project(factory):
    project = ProjectFactory()
    factory(project=project, name="Finance")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(project=project, name="Finance")


@pytest.mark.parametrize("factory", [OwnerFactory, SystemFactory], ids=["owner", "system"])
def test_it_allows_same_name_in_two_projects(factory):
    factory(project=ProjectFactory(), name="Finance")
    factory(project=ProjectFactory(), name="Finance")
    assert factory._meta.model.objects.filter(name="Finance").count() == 2


def test_it_links_a_user_to_at_most_one_owner_per_project():
    project, user = ProjectFactory(), UserFactory()
    OwnerFactory(project=project, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        OwnerFactory(project=project, user=user)


def test_it_allows_many_unlinked_owners_and_one_user_across_projects():
    project, user = ProjectFactory(), UserFactory()
    OwnerFactory(project=project, user=None)
    OwnerFactory(project=project, user=None)
    OwnerFactory(project=ProjectFactory(), user=user)
    OwnerFactory(project=project, user=user)
    assert Owner.objects.filter(user=user).count() == 2


def test_it_starts_every_row_at_version_one():
    assert ProjectFactory().version == 1
    assert SystemFactory().version == 1
    assert System.objects.get().version == 1
