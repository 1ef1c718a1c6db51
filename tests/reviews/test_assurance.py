"""Independent assurance reviews: recorded by the team, never edited, the latest rating beside
the verdict everywhere, and a red one near plan lock a blocker."""

import datetime as dt

import pytest
from django.urls import reverse

from readiness.projects.models import Project
from readiness.reviews.assurance import assurance_finding
from readiness.reviews.data import AssuranceRow
from readiness.reviews.findings import FindingSeverity
from readiness.reviews.models import AssuranceReview
from readiness.reviews.selectors import project_review

TODAY = dt.date(2026, 11, 25)


def _row(rating="red", caveats=""):
    return AssuranceRow(
        rating=rating,
        reviewer="Internal audit",
        reviewed_on=TODAY - dt.timedelta(days=3),
        summary="Not ready.",
        caveats=caveats,
    )


@pytest.mark.parametrize(
    ("days_to_lock", "severity"),
    [(31, FindingSeverity.HIGH), (30, FindingSeverity.BLOCKER), (0, FindingSeverity.BLOCKER)],
)
def test_a_red_rating_is_high_and_a_blocker_from_30_days_before_plan_lock(days_to_lock, severity):
    finding = assurance_finding(
        _row(caveats="Only if the credit test passes."),
        today=TODAY,
        plan_lock_date=TODAY + dt.timedelta(days=days_to_lock),
    )
    assert (finding.rule, finding.check, finding.severity) == (
        "assurance_red",
        "ownership",
        severity,
    )
    assert (
        finding.title == "Independent assurance rated the rollout red (Internal audit, 22 Nov 2026)"
    )
    assert "Their caveats: Only if the credit test passes." in finding.message


@pytest.mark.parametrize("rating", ["amber", "green"])
def test_amber_and_green_raise_no_finding(rating):
    assert assurance_finding(_row(rating), today=TODAY, plan_lock_date=TODAY) is None
    assert assurance_finding(None, today=TODAY, plan_lock_date=TODAY) is None


def _post(client, project, **values):
    data = {
        "assurance-reviewed_on": dt.date.today().isoformat(),
        "assurance-reviewer": "Internal audit",
        "assurance-rating": "red",
        "assurance-summary": "Cutover rehearsal failed twice.",
        "assurance-caveats": "Re-rate after the third rehearsal.",
        **{f"assurance-{k}": v for k, v in values.items()},
    }
    return client.post(reverse("reviews:assurance", kwargs={"slug": project.slug}), data)


def test_a_red_review_near_plan_lock_blocks_and_shows_beside_the_verdict(
    contributor_client, viewer_client, project
):
    Project.objects.filter(pk=project.pk).update(
        plan_lock_date=dt.date.today() + dt.timedelta(days=10)
    )
    project.refresh_from_db()
    assert _post(contributor_client, project).status_code == 302
    entry = project.activity.order_by("-seq").first()
    assert (entry.action, entry.target_kind) == ("created", "assurance")

    review = project_review(project)
    [blocker] = [f for f in review.check("ownership").open_blockers]
    assert blocker.finding.rule == "assurance_red"
    assert review.verdict.assurance.rating == "red"
    assert blocker.finding.title in [b.title for b in review.verdict.listed_blockers]

    for url in (
        project.get_absolute_url(),
        reverse("dossiers:portfolio"),
        reverse("reviews:assurance", kwargs={"slug": project.slug}),
    ):
        html = viewer_client.get(url).content.decode()
        assert '<span class="rating rating-red">Red</span>' in html, url


def test_a_newer_green_review_clears_the_finding(contributor_client, project):
    _post(contributor_client, project, reviewed_on=(dt.date.today() - dt.timedelta(1)).isoformat())
    assert any(f.finding.rule == "assurance_red" for f in project_review(project).findings)
    _post(contributor_client, project, rating="green", caveats="")
    assert not any(f.finding.rule == "assurance_red" for f in project_review(project).findings)
    assert AssuranceReview.objects.count() == 2  # the red one is kept


def test_bad_input_keeps_what_was_typed(contributor_client, project):
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = _post(contributor_client, project, reviewed_on=future, rating="purple")
    assert response.status_code == 400
    html = response.content.decode()
    assert "A review that has not happened yet cannot be recorded." in html
    assert "Cutover rehearsal failed twice." in html
    assert not AssuranceReview.objects.exists()


def test_viewers_read_but_cannot_record_and_outsiders_get_404(
    viewer_client, outsider_client, project
):
    url = reverse("reviews:assurance", kwargs={"slug": project.slug})
    html = viewer_client.get(url).content.decode()
    assert "Independent assurance" in html and "Record a review" not in html
    assert _post(viewer_client, project).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert _post(outsider_client, project).status_code == 404
    assert not AssuranceReview.objects.exists()
