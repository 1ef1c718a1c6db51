"""Two-person acceptance on the seeded demo, as its people would do it.

Helen (demo-lead, the signatory of check 1) proposes accepting the blocker on the credit limit;
the verdict keeps it as a blocker until Martin (demo-exec, the accountable executive) approves;
then the overview, the portfolio and the dossier's cover name the acceptance with both people
and its expiry; the day after it expires, the blocker is open again.
"""

import datetime as dt

import pytest
from django.urls import reverse

from readiness.reviews.models import Acceptance
from readiness.reviews.selectors import project_review
from tests.demo.test_history_demo import SLUG, _client, _pdf_text, _request_dossier, _seed

pytestmark = pytest.mark.django_db

TITLE = "System of truth missing"


def _blocker(project, **kwargs):
    review = project_review(project, **kwargs)
    return next(
        (
            f
            for f in review.check("data").open_blockers
            if f.finding.title == TITLE and f.finding.items[0].name == "Credit limit"
        ),
        None,
    ), review


def test_a_blocker_is_accepted_only_when_the_accountable_executive_approves(
    django_capture_on_commit_callbacks,
):
    project = _seed()
    lead, executive, viewer = _client("demo-lead"), _client("demo-exec"), _client("demo-viewer")
    blocker, review = _blocker(project)
    assert blocker is not None
    blockers_before = review.verdict.blocker_count
    until = project.go_live_date + dt.timedelta(days=30)

    proposed = lead.post(
        reverse("reviews:finding-accept", kwargs={"slug": SLUG, "key": "data"}),
        {
            "finding_key": blocker.key,
            "rationale": "Credit control keeps limits in the old ERP until the May clean-up.",
            "expires_on": until.isoformat(),
        },
    )
    assert proposed.status_code == 302
    project.refresh_from_db()
    still_open, review = _blocker(project)
    assert still_open is not None and still_open.proposal is not None
    assert review.verdict.label == "Not ready"
    assert review.verdict.blocker_count == blockers_before

    # Helen cannot approve her own proposal, even as a lead.
    acceptance = Acceptance.objects.get(project=project, finding_key=blocker.key)
    approve_url = reverse(
        "reviews:acceptance-approve", kwargs={"slug": SLUG, "key": "data", "pk": acceptance.pk}
    )
    lead.post(approve_url)
    acceptance.refresh_from_db()
    assert acceptance.approved_at is None

    # Martin finds it in My sign-offs and approves it.
    mine = executive.get(reverse("reviews:my-signoffs")).text
    assert f"Approve accepting “{TITLE}” (blocker)" in mine
    assert executive.post(approve_url).status_code == 302
    project.refresh_from_db()
    gone, review = _blocker(project)
    assert gone is None
    assert review.verdict.blocker_count == blockers_before - 1
    [accepted] = review.verdict.accepted_blockers
    assert (accepted.proposer, accepted.approver) == ("Helen Marsh", "Martin Okafor")

    named = f"proposed by Helen Marsh, approved by Martin Okafor, until {until:%-d %b %Y}"
    for url in (reverse("projects:overview", kwargs={"slug": SLUG}), reverse("dossiers:portfolio")):
        assert named in viewer.get(url).text, url

    dossier = _request_dossier(viewer, django_capture_on_commit_callbacks)
    cover = _pdf_text(dossier).split("Contents")[0]
    assert "1 accepted blocker" in cover
    assert "Helen Marsh" in cover and "Martin Okafor" in cover
    assert f"{until:%-d %b %Y}" in cover

    # The day after it expires the blocker is open again, and the verdict says so.
    reopened, review = _blocker(project, today=until + dt.timedelta(days=1))
    assert reopened is not None and reopened.lapsed == acceptance
    assert review.verdict.accepted_blockers == ()
