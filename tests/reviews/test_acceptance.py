"""Accepting a finding as a known risk takes two people and lasts until a date.

The check's signatory proposes; someone else approves — a lead, or for a blocker only the
project's accountable executive. An acceptance past its expiry lapses by itself, and one given
for a lower severity stops counting when the finding grows worse.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from readiness.projects.models import Project, Role
from readiness.registers.models import Criticality
from readiness.reviews import services
from readiness.reviews.checks import get_check
from readiness.reviews.models import Acceptance, AcceptanceState
from readiness.reviews.reminders import send_reminders
from readiness.reviews.selectors import project_review
from readiness.reviews.services import ReviewRefused
from readiness.reviews.state import pending_signoff_count, signoffs_for
from readiness.reviews.verdict import VerdictState
from tests.factories import DataElementFactory, accountable_executive
from tests.reviews.support import action_url, answer_all, check_url, member_owner, name_signatory

DATA = get_check("data")
RATIONALE = "Finance keeps the customer master by hand until the May clean-up."


@pytest.fixture
def signer(project):
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    return user


@pytest.fixture
def executive(project):
    return accountable_executive(project)


def _blocker(project):
    """A critical data element without a system of truth: a blocker in check 1."""
    DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)
    [view] = project_review(project).check("data").open_blockers
    return view.key


def _high_risk(project, signer):
    risk = services.risk_add(
        project=project, check=DATA, title="Vendor late", detail="", severity="high", user=signer
    )
    return risk.finding_key


def _fresh(project):
    return Project.objects.get(pk=project.pk)


def _propose(project, key, user, until=None, rationale=RATIONALE):
    project = _fresh(project)
    return services.acceptance_propose(
        project=project,
        check=DATA,
        finding_key=key,
        rationale=rationale,
        expires_on=until or project.go_live_date,
        user=user,
    )


def _approve(project, acceptance, user):
    return services.acceptance_approve(project=_fresh(project), acceptance=acceptance, user=user)


def _finding(project, key, **kwargs):
    return next(f for f in project_review(_fresh(project), **kwargs).findings if f.key == key)


# --- The two people ------------------------------------------------------------------------


def test_a_proposal_alone_leaves_the_blocker_open_until_the_executive_approves(
    project, signer, executive
):
    key = _blocker(project)
    acceptance = _propose(project, key, signer)
    view = _finding(project, key)
    assert (view.state, view.proposal, view.acceptance, view.is_open) == (
        AcceptanceState.PROPOSED,
        acceptance,
        None,
        True,
    )
    review = project_review(_fresh(project))
    assert review.check("data").open_blockers == [view]
    assert review.verdict.state == VerdictState.NOT_READY
    assert review.verdict.accepted_blockers == ()

    _approve(project, acceptance, executive)
    view = _finding(project, key)
    assert view.state == AcceptanceState.ACCEPTED and not view.is_open
    [accepted] = project_review(_fresh(project)).verdict.accepted_blockers
    assert accepted.title == "System of truth missing"
    assert accepted.proposer == "Sam Example as Sam Signer"
    assert accepted.approver == "Evelyn Exec"
    assert accepted.expires_on == project.go_live_date


def test_nobody_approves_their_own_proposal(project, signer):
    """The executive who is also the check's signatory cannot turn a blocker amber alone."""
    Project.objects.filter(pk=project.pk).update(
        accountable_executive=signer.owner_records.get(project=project)
    )
    acceptance = _propose(project, _blocker(project), signer)
    with pytest.raises(ReviewRefused, match="Nobody approves their own proposal"):
        _approve(project, acceptance, signer)
    acceptance.refresh_from_db()
    assert acceptance.approved_at is None


def test_a_lead_cannot_approve_a_blocker_but_can_approve_a_high_finding(
    project, signer, lead, executive
):
    blocker = _propose(project, _blocker(project), signer)
    with pytest.raises(ReviewRefused, match="Only Evelyn Exec .*, the accountable executive"):
        _approve(project, blocker, lead)
    high = _propose(project, _high_risk(project, signer), signer)
    _approve(project, high, lead)
    high.refresh_from_db()
    assert (high.approved_by, high.approver_role) == (lead, "project lead")


@pytest.mark.parametrize("who", ["contributor", "viewer"])
def test_only_a_lead_or_the_executive_approves_a_high_finding(
    project, signer, contributor, viewer, who
):
    acceptance = _propose(project, _high_risk(project, signer), signer)
    user = {"contributor": contributor, "viewer": viewer}[who]
    with pytest.raises(ReviewRefused, match="Only a project lead or the accountable executive"):
        _approve(project, acceptance, user)


def test_a_blocker_cannot_be_approved_while_no_executive_is_named(project, signer, lead):
    acceptance = _propose(project, _blocker(project), signer)
    with pytest.raises(ReviewRefused, match="a lead names one in the project settings"):
        _approve(project, acceptance, lead)


# --- Expiry --------------------------------------------------------------------------------


def test_the_expiry_is_required_in_the_future_and_within_90_days_of_go_live(project, signer):
    key = _blocker(project)
    project = _fresh(project)
    with pytest.raises(ReviewRefused, match="at most 90 days after go-live"):
        _propose(project, key, signer, until=project.go_live_date + dt.timedelta(days=91))
    with pytest.raises(ReviewRefused, match="a day still to come"):
        _propose(project, key, signer, until=dt.date.today() - dt.timedelta(days=1))
    assert not Acceptance.objects.exists()
    _propose(project, key, signer, until=project.go_live_date + dt.timedelta(days=90))


def test_an_acceptance_past_its_expiry_lapses_and_the_verdict_changes(project, signer, executive):
    key = _blocker(project)
    until = dt.date.today() + dt.timedelta(days=5)
    _approve(project, _propose(project, key, signer, until=until), executive)

    on_the_day = project_review(_fresh(project), today=until)
    assert not on_the_day.check("data").open_blockers
    assert len(on_the_day.verdict.accepted_blockers) == 1

    day_after = project_review(_fresh(project), today=until + dt.timedelta(days=1))
    [reopened] = day_after.check("data").open_blockers
    assert reopened.state == AcceptanceState.LAPSED and reopened.lapsed is not None
    assert day_after.verdict.accepted_blockers == ()
    assert day_after.verdict.listed_blockers[0].title == "System of truth missing"


def test_a_lapsed_acceptance_can_be_proposed_again(project, signer, executive):
    key = _blocker(project)
    first = _approve(project, _propose(project, key, signer), executive)
    Acceptance.objects.filter(pk=first.pk).update(expires_on=dt.date.today() - dt.timedelta(1))
    second = _propose(project, key, signer)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdraw_reason == "Replaced by a new proposal."
    assert second.approved_at is None


def test_an_acceptance_given_for_a_high_finding_does_not_cover_it_as_a_blocker(
    project, signer, lead
):
    risk = services.risk_add(
        project=project, check=DATA, title="Vendor late", detail="", severity="high", user=signer
    )
    _approve(project, _propose(project, risk.finding_key, signer), lead)
    assert not _finding(project, risk.finding_key).is_open
    type(risk).objects.filter(pk=risk.pk).update(severity="blocker")
    view = _finding(project, risk.finding_key)
    assert view.state == AcceptanceState.ESCALATED and view.is_open_blocker


# --- Withdrawing and declining --------------------------------------------------------------


def test_the_executive_can_decline_and_it_is_recorded(project, signer, executive):
    acceptance = _propose(project, _blocker(project), signer)
    services.acceptance_withdraw(
        project=_fresh(project), acceptance=acceptance, user=executive, reason="Fix it instead."
    )
    acceptance.refresh_from_db()
    assert (acceptance.withdrawn_by, acceptance.withdraw_reason) == (executive, "Fix it instead.")
    entry = project.activity.order_by("-seq").first()
    assert (entry.action, entry.actor) == ("declined", executive)


# --- Who hears about a waiting proposal -----------------------------------------------------


def test_a_waiting_proposal_shows_in_my_signoffs_and_reminders_of_the_approver_only(
    client, project, signer, executive, lead
):
    _propose(project, _blocker(project), signer)
    [waiting] = signoffs_for(executive)
    assert waiting.kind == "approval"
    assert waiting.title.startswith("Approve accepting “System of truth missing”")
    assert pending_signoff_count(executive) == 1
    assert [w for w in signoffs_for(signer) if w.kind == "approval"] == []
    assert [w for w in signoffs_for(lead) if w.kind == "approval"] == []  # a blocker

    client.force_login(executive)
    html = client.get(reverse("reviews:my-signoffs")).content.decode()
    assert "Approve accepting “System of truth missing”" in html

    executive.email = "evelyn@example.com"
    executive.save()
    send_reminders(base_url="https://rr.example")
    [message] = [m for m in mail.outbox if m.to == ["evelyn@example.com"]]
    assert message.subject == "Rollout Readiness: 1 acceptance waits for your approval"
    assert "WAITING FOR YOUR APPROVAL" in message.body
    assert "Approve accepting “System of truth missing”" in message.body
    assert "Proposed by Sam Example as Sam Signer" in message.body


# --- On the pages ---------------------------------------------------------------------------


def test_only_the_approver_is_offered_approve_on_the_findings_page(
    client, project, signer, executive, lead
):
    _propose(project, _blocker(project), signer)
    url = check_url(project, "data", "findings")
    for user, offered in ((executive, True), (lead, False), (signer, False)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ("Approve this acceptance" in html) is offered
    assert "It counts once it is approved by Evelyn Exec" in html


def test_approving_through_the_web_and_refusals(client, project, signer, executive, viewer):
    acceptance = _propose(project, _blocker(project), signer)
    url = action_url(project, "acceptance-approve", "data", pk=acceptance.pk)
    client.force_login(viewer)
    response = client.post(url)
    assert response.status_code == 403
    assert "Only Evelyn Exec" in response.content.decode()
    client.force_login(signer)
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "Nobody approves their own proposal" in response.content.decode()
    acceptance.refresh_from_db()
    assert acceptance.approved_at is None

    client.force_login(executive)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double submit changes nothing
    acceptance.refresh_from_db()
    assert acceptance.approved_by == executive
    assert project.activity.filter(action="approved").count() == 1


def test_outsiders_get_404_on_approve_and_withdraw(outsider_client, project, signer):
    acceptance = _propose(project, _blocker(project), signer)
    for name in ("acceptance-approve", "acceptance-withdraw"):
        url = action_url(project, name, "data", pk=acceptance.pk)
        assert outsider_client.post(url).status_code == 404


def test_the_verdict_shows_what_is_behind_it(client, project, signer, executive, lead):
    answer_all(project, "data", answer="no")
    _approve(project, _propose(project, _blocker(project), signer), executive)
    _high_risk(project, signer)
    review = project_review(_fresh(project))
    assert (review.verdict.open_highs, review.verdict.no_answers) == (1, len(DATA.questions))

    client.force_login(lead)
    for url in (project.get_absolute_url(), reverse("dossiers:portfolio")):
        html = client.get(url).content.decode()
        assert "Open high findings</dt><dd" in html
        assert "Blockers accepted as known risks (1)" in html
        assert "proposed by Sam Example as Sam Signer, approved by Evelyn Exec, until" in html


def test_open_highs_above_the_leads_limit_keep_the_project_from_ready(project, signer):
    _high_risk(project, signer)
    Project.objects.filter(pk=project.pk).update(ready_max_open_highs=0)
    verdict = project_review(_fresh(project)).verdict
    assert verdict.other_reasons == ("1 high finding is open; the project allows none for Ready",)
    Project.objects.filter(pk=project.pk).update(ready_max_open_highs=1)
    verdict = project_review(_fresh(project)).verdict
    assert verdict.other_reasons == ()


def test_a_lead_names_the_accountable_executive_among_owners_who_can_log_in(
    lead_client, project, lead
):
    from tests.factories import OwnerFactory, project_settings_data

    user, owner = member_owner(project, "martin", role=Role.VIEWER, name="Martin Okafor")
    no_account = OwnerFactory(project=project, name="Nobody Online")
    url = reverse("projects:edit", kwargs={"slug": project.slug})
    html = lead_client.get(url).text
    assert "Martin Okafor" in html and "Nobody Online" not in html

    refused = lead_client.post(
        url, project_settings_data(project, accountable_executive=no_account.pk)
    )
    assert refused.status_code == 200
    assert "accountable_executive" in refused.context["form"].errors
    saved = lead_client.post(
        url,
        project_settings_data(project, accountable_executive=owner.pk, ready_max_open_highs="2"),
    )
    assert saved.status_code == 302
    project = _fresh(project)
    assert (project.accountable_executive, project.ready_max_open_highs) == (owner, 2)
    entry = project.activity.order_by("-seq").first()
    assert {c["field"]: c["new"] for c in entry.changes}["accountable_executive"] == (
        "Martin Okafor"
    )
