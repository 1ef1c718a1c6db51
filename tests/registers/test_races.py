"""Concurrent creates of the same unique name: one wins, the others get the form's own
"already exists" error, never an IntegrityError (500)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from readiness.projects.models import Membership, Project
from readiness.registers.specs import SPECS
from tests.concurrency import run_together
from tests.factories import create_data

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = {
    "summary": "Payroll moves to the new HR suite.",
    "desired_outcome": "Payslips out on the 25th without manual fixes.",
    "plan_lock_date": "2030-03-01",
    "go_live_date": "2030-05-01",
    "lifecycle": "draft",
}

TIMES = 6


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes need PostgreSQL")


def _as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", ["systems", "owners", "handoffs", "data-elements"])
def test_concurrent_creates_of_one_name_keep_one_and_explain(project, lead, kind):
    url = reverse("registers:item-create", kwargs={"slug": project.slug, "kind": kind})
    data = create_data(kind, name="Ledger")

    responses = run_together(lambda: _as(lead).post(url, data), TIMES)

    assert [r.status_code for r in responses].count(302) == 1
    refused = [r for r in responses if r.status_code != 302]
    assert all(r.status_code == 200 for r in refused), responses
    assert all("called “Ledger” in this project" in r.text for r in refused)
    assert SPECS[kind].model.objects.filter(project=project, name="Ledger").count() == 1


def test_concurrent_creates_of_one_project_name(lead):
    url = reverse("projects:create")
    data = {**PROJECT, "name": "Fabrikam rollout"}

    responses = run_together(lambda: _as(lead).post(url, data), TIMES)

    assert [r.status_code for r in responses].count(302) == 1, responses
    assert all("already exists" in r.text for r in responses if r.status_code != 302)
    assert Project.objects.filter(name="Fabrikam rollout").count() == 1


def test_concurrent_creates_of_names_with_one_slug_get_distinct_slugs(lead):
    url = reverse("projects:create")
    names = iter(["Tailspin!", "Tailspin?", "Tailspin.", "Tailspin,"])

    responses = run_together(lambda: _as(lead).post(url, {**PROJECT, "name": next(names)}), 4)

    assert [r.status_code for r in responses] == [302] * 4
    slugs = set(Project.objects.filter(name__startswith="Tailspin").values_list("slug", flat=True))
    assert slugs == {"tailspin", "tailspin-2", "tailspin-3", "tailspin-4"}


def test_concurrent_adds_of_one_member(project, lead, contributor):
    other = contributor
    Membership.objects.filter(user=other).delete()
    url = reverse("projects:members", kwargs={"slug": project.slug})

    responses = run_together(
        lambda: _as(lead).post(url, {"user": other.username, "role": "viewer"}), TIMES
    )

    assert [r.status_code for r in responses].count(302) == 1
    assert all("is already a member" in r.text for r in responses if r.status_code != 302)
    assert Membership.objects.filter(project=project, user=other).count() == 1
