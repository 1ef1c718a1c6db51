"""Writes the rules refuse answer 403 with the reason (a page, or for htmx the reason alone,
swapped in place), not a flash message and a redirect that reads like success."""

import pytest
from django.urls import reverse

from readiness.registers.models import Criticality
from readiness.reviews.models import Acceptance, SignOff
from readiness.reviews.selectors import project_review
from readiness.reviews.services import item_sign
from tests.factories import DataElementFactory
from tests.reviews.support import (
    HTMX,
    action_url,
    answer_all,
    clean_handoff,
    item_signoff_url,
    member_owner,
    name_signatory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(project):
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    return user


def _blocker(project):
    DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)
    [blocker] = project_review(project).check("data").open_blockers
    return blocker.key


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_viewer_accepting_a_finding_gets_403(viewer_client, project, sam, headers):
    response = viewer_client.post(
        action_url(project, "finding-accept", "data"),
        {
            "finding_key": _blocker(project),
            "rationale": "It is fine, trust me.",
            "expires_on": project.go_live_date.isoformat(),  # asked for by newer forms
        },
        headers=headers,
    )
    assert response.status_code == 403
    assert "Only Sam Signer, the signatory of this check, can do this." in response.text
    assert ("<html" in response.text) is not bool(headers)  # htmx: the reason alone
    assert not Acceptance.objects.exists()


def test_a_viewer_signing_a_check_gets_403(viewer_client, project, sam):
    answer_all(project, "data")
    hash_ = project_review(project).check("data").content_hash
    response = viewer_client.post(
        action_url(project, "check-sign", "data"), {"statement": "Yes.", "seen_hash": hash_}
    )
    assert response.status_code == 403
    assert "Only Sam Signer, the signatory of this check, can do this." in response.text
    assert not SignOff.objects.exists()


def test_a_viewer_signing_a_handoff_gets_403(viewer_client, project):
    _, owner = member_owner(project, "olga", name="Olga Owner")
    handoff = clean_handoff(project, owner)
    hash_ = project_review(project).item_hashes[("handoffs", handoff.pk)]
    response = viewer_client.post(
        item_signoff_url(project, "handoffs", handoff), {"statement": "Yes.", "seen_hash": hash_}
    )
    assert response.status_code == 403
    assert "Only Olga Owner, the receiving owner, can sign this." in response.text
    assert not SignOff.objects.exists()


def test_revoking_someone_elses_sign_off_gets_403(viewer_client, project):
    user, owner = member_owner(project, "olga", name="Olga Owner")
    handoff = clean_handoff(project, owner)
    hash_ = project_review(project).item_hashes[("handoffs", handoff.pk)]
    signoff = item_sign(
        project=project,
        kind="handoffs",
        item=handoff,
        statement="Yes.",
        user=user,
        seen_hash=hash_,
    )
    url = reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk})
    response = viewer_client.post(url, {"reason": "I do not agree."})
    assert response.status_code == 403
    assert "Only the person who signed can revoke their sign-off." in response.text
    signoff.refresh_from_db()
    assert signoff.revoked_at is None
