"""One record per intent under concurrency: double (and twentyfold) submits of a signature,
a revocation and an acceptance each leave exactly one record and one history entry."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from readiness.projects.models import ActivityEntry
from readiness.registers.models import Criticality
from readiness.reviews.models import Acceptance, SignOff
from readiness.reviews.selectors import project_review
from readiness.reviews.services import item_sign
from tests.concurrency import run_together
from tests.factories import DataElementFactory
from tests.reviews.support import (
    action_url,
    clean_handoff,
    item_signoff_url,
    item_url,
    member_owner,
    name_signatory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


@pytest.fixture
def olga(project):
    return member_owner(project, "olga", name="Olga Owner")


@pytest.fixture
def handoff(project, olga):
    return clean_handoff(project, olga[1], name="Order to warehouse")


def test_twenty_identical_sign_posts_make_one_signature(project, olga, handoff):
    user = olga[0]
    html = _as(user).get(item_url(project, "handoffs", handoff)).text
    data = {
        "statement": "I act on it as described.",
        "seen_hash": _hidden(html, "seen_hash"),
        "seen_seq": _hidden(html, "seen_seq"),
    }
    url = item_signoff_url(project, "handoffs", handoff)

    responses = run_together(lambda: _as(user).post(url, data), 20)

    assert [r.status_code for r in responses] == [302] * 20
    assert SignOff.objects.filter(revoked_at__isnull=True).count() == 1
    assert ActivityEntry.objects.filter(action="signed").count() == 1


def test_eight_concurrent_revokes_keep_one_revocation_and_its_reason(project, olga, handoff):
    user = olga[0]
    digest = project_review(project).item_hashes[("handoffs", handoff.pk)]
    signoff = item_sign(
        project=project,
        kind="handoffs",
        item=handoff,
        statement="Yes.",
        user=user,
        seen_hash=digest,
    )
    url = reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk})
    reasons = iter([f"Reason number {n}" for n in range(8)])

    responses = run_together(lambda: _as(user).post(url, {"reason": next(reasons)}), 8)

    assert all(r.status_code < 500 for r in responses)
    assert ActivityEntry.objects.filter(action="revoked").count() == 1
    signoff.refresh_from_db()
    entry = ActivityEntry.objects.get(action="revoked")
    assert signoff.revoke_reason == entry.changes[0]["new"]  # the first reason, kept


def test_concurrent_proposals_to_accept_one_finding_make_one(project):
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)
    [blocker] = project_review(project).check("data").open_blockers
    url = action_url(project, "finding-accept", "data")
    data = {
        "finding_key": blocker.key,
        "rationale": "ERP wins until the steward rules.",
        "expires_on": project.go_live_date.isoformat(),  # asked for by newer forms
    }

    responses = run_together(lambda: _as(user).post(url, data), 8)

    assert all(r.status_code < 500 for r in responses), responses
    assert Acceptance.objects.count() == 1
    assert ActivityEntry.objects.filter(action="proposed").count() == 1
