"""The writes of the guided review: who may sign, accept and revoke, and when content goes stale."""

import datetime as dt

import pytest
from django.utils import timezone

from readiness.projects.models import Role
from readiness.registers.models import Criticality, Severity
from readiness.reviews import services
from readiness.reviews.checks import get_check
from readiness.reviews.models import Acceptance, Answer, CheckSignatory, SignOff
from readiness.reviews.selectors import project_review
from readiness.reviews.services import ReviewRefused
from readiness.reviews.state import pending_signoff_count, signoffs_for
from readiness.reviews.verdict import CheckStatus, VerdictState
from tests.factories import (
    DataElementFactory,
    ExceptionCaseFactory,
    OwnerFactory,
    SystemFactory,
    UserFactory,
    accept_finding,
)
from tests.reviews.support import (
    CHECK_KEYS,
    answer_all,
    clean_exception,
    clean_handoff,
    member_owner,
    name_signatory,
)

DATA = get_check("data")
HANDOFFS = get_check("handoffs")
EXCEPTIONS = get_check("exceptions")
SUBJECT = {"handoffs": "handoff", "exceptions": "exception"}


@pytest.fixture
def signer(project):
    """Sam: a contributor, owner 'Sam Signer', the signatory of check 1 (data)."""
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    return user


@pytest.fixture
def others(project, lead, contributor, viewer, outsider):
    """Everyone but the signatory: another contributor, the lead, a viewer, an outsider."""
    return {"contributor": contributor, "lead": lead, "viewer": viewer, "outsider": outsider}


def _sign(project, user, check=DATA, statement="Reviewed and correct."):
    return services.check_sign(project=project, check=check, statement=statement, user=user)


def _status(project, key="data", **kwargs):
    return project_review(project, **kwargs).check(key).status


def _truth_missing(project):
    """A critical data element with no system of truth: a blocker in check 1."""
    return DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)


def _propose(project, key, *, user, rationale, check=DATA, until=None):
    project.refresh_from_db()
    return services.acceptance_propose(
        project=project,
        check=check,
        finding_key=key,
        rationale=rationale,
        expires_on=until or project.go_live_date,
        user=user,
    )


def _blocker_key(project):
    [blocker] = project_review(project).check("data").open_blockers
    return blocker.key


# --- Signatories -------------------------------------------------------------------------


def test_it_sets_replaces_and_clears_a_signatory(project, lead):
    _, anna = member_owner(project, "anna")
    _, ben = member_owner(project, "ben")
    services.signatory_set(project=project, check=DATA, owner=anna)
    services.signatory_set(project=project, check=DATA, owner=ben)
    assert CheckSignatory.objects.get(project=project, check_key="data").owner == ben
    assert project_review(project).check("data").signatory == ben
    services.signatory_set(project=project, check=DATA, owner=None)
    assert not CheckSignatory.objects.filter(project=project).exists()


def test_it_refuses_a_signatory_without_a_user_account(project):
    owner = OwnerFactory(project=project, user=None)
    with pytest.raises(ReviewRefused, match="with a user account"):
        services.signatory_set(project=project, check=DATA, owner=owner)
    assert not CheckSignatory.objects.exists()


def test_it_refuses_a_signatory_from_another_project(project, other_project, outsider):
    foreign = OwnerFactory(project=other_project, user=outsider)
    with pytest.raises(ReviewRefused, match="owner of this project"):
        services.signatory_set(project=project, check=DATA, owner=foreign)
    assert not CheckSignatory.objects.exists()


# --- Who may sign ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["contributor", "lead", "viewer", "outsider"])
def test_it_refuses_check_signoff_by_anyone_but_the_signatory(project, signer, others, who):
    answer_all(project, "data")
    with pytest.raises(ReviewRefused, match="Only Sam Signer, the signatory"):
        _sign(project, others[who])
    assert not SignOff.objects.exists()


def test_it_refuses_check_signoff_without_a_signatory(project, lead):
    answer_all(project, "handoffs")
    with pytest.raises(ReviewRefused, match="no signatory yet"):
        _sign(project, lead, HANDOFFS)


def test_it_lets_the_signatory_sign_exactly_the_current_content(project, signer):
    answer_all(project, "data", user=signer)
    signoff = _sign(project, signer, statement="  All records listed.  ")
    check = project_review(project).check("data")
    assert (signoff.signer, signoff.owner.name, signoff.owner_name) == (
        signer,
        "Sam Signer",
        "Sam Signer",
    )
    assert signoff.statement == "All records listed."
    assert signoff.subject_name == "Check 1 · Data that must move"
    assert signoff.content_hash == check.content_hash
    assert signoff.content == check.content
    assert check.status is CheckStatus.SIGNED


@pytest.mark.parametrize("kind", ["handoffs", "exceptions"])
@pytest.mark.parametrize("who", ["contributor", "lead", "viewer", "outsider"])
def test_it_refuses_item_signoff_by_anyone_but_its_owner(project, others, kind, who):
    user, owner = member_owner(project, "olga", name="Olga Owner")
    item = clean_handoff(project, owner) if kind == "handoffs" else clean_exception(project, owner)
    role = "receiving owner" if kind == "handoffs" else "decision owner"
    with pytest.raises(ReviewRefused, match=f"Only Olga Owner, the {role}"):
        services.item_sign(project=project, kind=kind, item=item, statement="OK", user=others[who])
    assert not SignOff.objects.exists()
    signoff = services.item_sign(project=project, kind=kind, item=item, statement="OK", user=user)
    assert (signoff.subject_kind, signoff.owner, signoff.signer) == (SUBJECT[kind], owner, user)
    assert not project_review(project).item_signoffs[(kind, item.pk)].stale


@pytest.mark.parametrize("kind", ["handoffs", "exceptions"])
def test_it_refuses_item_signoff_without_an_owner(project, lead, kind):
    item = clean_handoff(project, None) if kind == "handoffs" else clean_exception(project, None)
    with pytest.raises(ReviewRefused, match="has no"):
        services.item_sign(project=project, kind=kind, item=item, statement="OK", user=lead)


def test_it_refuses_item_signoff_when_the_owner_has_no_account(project, lead):
    handoff = clean_handoff(project, OwnerFactory(project=project, name="No Account"))
    with pytest.raises(ReviewRefused, match="Only No Account"):
        services.item_sign(project=project, kind="handoffs", item=handoff, statement="x", user=lead)


# --- What a check sign-off needs ---------------------------------------------------------


def test_it_refuses_check_signoff_with_an_unanswered_question(project, signer):
    answer_all(project, "data", skip={"stewards_named"})
    with pytest.raises(ReviewRefused, match=r"1 question\(s\) still need an answer"):
        _sign(project, signer)
    assert not SignOff.objects.exists()
    assert _status(project) is CheckStatus.IN_PROGRESS


def test_it_refuses_check_signoff_with_an_open_blocker(project, signer):
    answer_all(project, "data")
    _truth_missing(project)
    with pytest.raises(ReviewRefused, match=r"1 blocker\(s\) are open"):
        _sign(project, signer)
    assert not SignOff.objects.exists()
    assert _status(project) is CheckStatus.IN_PROGRESS


def test_it_allows_check_signoff_once_the_blocker_is_accepted(project, signer):
    answer_all(project, "data")
    _truth_missing(project)
    accept_finding(
        project=project,
        check=DATA,
        finding_key=_blocker_key(project),
        rationale="ERP is the default until the steward rules.",
        user=signer,
    )
    assert _status(project) is CheckStatus.READY_TO_SIGN
    signoff = _sign(project, signer)
    review = project_review(project)
    assert review.check("data").status is CheckStatus.SIGNED
    accepted = signoff.content["findings"][0]["accepted"]
    assert accepted["rationale"] == "ERP is the default until the steward rules."
    assert accepted["proposed_by"] == "Sam Signer"
    assert accepted["approved_by"] == "Evelyn Exec"


def test_it_refuses_check_signoff_with_a_blocker_added_by_hand(project, signer):
    answer_all(project, "data")
    services.risk_add(
        project=project,
        check=DATA,
        title="Migration tool unlicensed",
        detail="",
        severity="blocker",
        user=signer,
    )
    with pytest.raises(ReviewRefused, match="blocker"):
        _sign(project, signer)


# --- Accepting findings (two people; see test_acceptance.py for the whole flow) -----------


@pytest.mark.parametrize("who", ["contributor", "lead", "viewer"])
def test_it_lets_only_the_signatory_propose_accepting_a_finding(project, signer, others, who):
    _truth_missing(project)
    key = _blocker_key(project)
    with pytest.raises(ReviewRefused, match="Only Sam Signer"):
        _propose(project, key, user=others[who], rationale="Looks acceptable to me, honestly.")
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("rationale", ["", "too short", "   short   "])
def test_it_needs_a_rationale_of_ten_characters(project, signer, rationale):
    _truth_missing(project)
    with pytest.raises(ReviewRefused, match="at least a sentence"):
        _propose(project, _blocker_key(project), user=signer, rationale=rationale)
    assert not Acceptance.objects.exists()


def test_it_keeps_an_accepted_finding_listed_as_accepted(project, signer):
    element = _truth_missing(project)
    key = _blocker_key(project)
    acceptance = accept_finding(
        project=project,
        check=DATA,
        finding_key=key,
        rationale="  Decided in steering.  ",
        user=signer,
    )
    assert (acceptance.owner_name, acceptance.rationale, acceptance.proposed_by) == (
        "Sam Signer",
        "Decided in steering.",
        signer,
    )
    assert acceptance.finding_title == "System of truth missing"

    review = project_review(project)
    check = review.check("data")
    [accepted] = check.accepted
    assert accepted.key == key
    assert accepted.acceptance == acceptance
    assert not accepted.is_open
    assert check.open_blockers == []
    assert accepted in check.findings
    assert [i.pk for i in accepted.finding.items] == [element.pk]
    assert review.verdict.accepted_risks == 1


def test_it_refuses_accepting_twice_or_an_unknown_finding(project, signer):
    _truth_missing(project)
    key = _blocker_key(project)
    accept_finding(
        project=project, check=DATA, finding_key=key, rationale="Decided in steering.", user=signer
    )
    with pytest.raises(ReviewRefused, match="already accepted"):
        _propose(project, key, user=signer, rationale="Decided in steering again.")
    with pytest.raises(ReviewRefused, match="no longer exists"):
        _propose(project, "no_fixer|handoffs:1", user=signer, rationale="Decided in steering.")
    assert Acceptance.objects.count() == 1


def test_it_drops_a_derived_finding_when_the_data_is_fixed(project, signer):
    element = _truth_missing(project)
    element.truth_disputed = True
    element.save()
    rules = [f.finding.rule for f in project_review(project).check("data").findings]
    assert rules == ["truth_missing_or_disputed"]

    element.system_of_truth = SystemFactory(project=project, name="ERP")
    element.truth_disputed = False
    element.save()

    check = project_review(project).check("data")
    assert not [f for f in check.findings if f.finding.rule == "truth_missing_or_disputed"]
    assert check.open_blockers == []


def test_it_lets_the_signatory_or_a_lead_withdraw_an_acceptance(project, signer, lead, others):
    _truth_missing(project)
    acceptance = accept_finding(
        project=project,
        check=DATA,
        finding_key=_blocker_key(project),
        rationale="Decided in steering.",
        user=signer,
    )
    with pytest.raises(ReviewRefused, match="Only the check's signatory, a project lead"):
        services.acceptance_withdraw(
            project=project, acceptance=acceptance, user=others["contributor"]
        )
    services.acceptance_withdraw(project=project, acceptance=acceptance, user=lead, reason="No.")
    acceptance.refresh_from_db()
    assert acceptance.withdrawn_at is not None
    assert (acceptance.withdrawn_by, acceptance.withdraw_reason) == (lead, "No.")
    assert len(project_review(project).check("data").open_blockers) == 1


def test_it_refuses_deleting_an_accepted_manual_risk(project, signer):
    risk = services.risk_add(
        project=project, check=DATA, title="Vendor late", detail="", severity="high", user=signer
    )
    view = project_review(project).check("data").findings[0]
    assert (view.risk, view.key, view.finding.rule) == (risk, f"manual|risk:{risk.pk}", "manual")
    accept_finding(
        project=project,
        check=DATA,
        finding_key=risk.finding_key,
        rationale="Second vendor on standby.",
        user=signer,
    )
    with pytest.raises(ReviewRefused, match="withdraw that first"):
        services.risk_delete(risk=risk)


# --- Staleness, re-signing, revoking -----------------------------------------------------


def test_it_makes_a_check_signoff_stale_when_an_answer_changes(project, signer):
    answer_all(project, "data")
    signoff = _sign(project, signer)
    services.answer_save(
        project=project,
        check=DATA,
        question_key="records_listed",
        answer="partly",
        note="Suppliers still missing.",
        user=signer,
    )

    review = project_review(project)
    check = review.check("data")
    assert check.status is CheckStatus.STALE
    assert check.signoff.signoff == signoff
    assert check.signoff.stale
    assert review.verdict.state is VerdictState.NOT_READY
    assert [(c.label, c.status) for c in review.verdict.unsigned_checks][0] == (
        "Check 1 · Data that must move",
        CheckStatus.STALE,
    )


def test_it_keeps_a_check_signoff_when_someone_resaves_the_same_answer(project, signer, lead):
    answer_all(project, "data", user=signer)
    _sign(project, signer)
    services.answer_save(
        project=project,
        check=DATA,
        question_key="records_listed",
        answer="yes",
        note="  ",
        user=lead,
    )
    assert Answer.objects.get(question_key="records_listed").answered_by == lead
    assert _status(project) is CheckStatus.SIGNED


@pytest.mark.parametrize("change", ["register", "risk"])
def test_it_makes_a_check_signoff_stale_when_register_or_findings_change(project, signer, change):
    answer_all(project, "data")
    _sign(project, signer)
    if change == "register":
        DataElementFactory(project=project, system_of_truth=SystemFactory(project=project))
    else:
        services.risk_add(
            project=project, check=DATA, title="Late vendor", detail="", severity="low", user=signer
        )
    assert _status(project) is CheckStatus.STALE


def test_it_keeps_the_old_signoff_when_signing_again(project, signer):
    answer_all(project, "data")
    first = _sign(project, signer)
    services.answer_save(
        project=project,
        check=DATA,
        question_key="records_listed",
        answer="na",
        note="",
        user=signer,
    )
    assert _status(project) is CheckStatus.STALE
    second = _sign(project, signer)

    assert SignOff.objects.filter(project=project, check_key="data").count() == 2
    assert first.content_hash != second.content_hash
    check = project_review(project).check("data")
    assert check.status is CheckStatus.SIGNED
    assert check.signoff.signoff == second
    assert [s.pk for s in check.history] == [second.pk, first.pk]


def test_it_keeps_a_revoked_signoff_and_counts_the_check_unsigned(project, signer):
    answer_all(project, "data")
    signoff = _sign(project, signer)
    services.signoff_revoke(signoff=signoff, user=signer, reason="  Signed too early.  ")

    signoff.refresh_from_db()
    assert signoff.revoked_at is not None
    assert (signoff.revoked_by, signoff.revoke_reason) == (signer, "Signed too early.")
    check = project_review(project).check("data")
    assert check.signoff is None
    assert check.status is CheckStatus.READY_TO_SIGN
    assert check.history == [signoff]


@pytest.mark.parametrize("who", ["contributor", "lead", "viewer"])
def test_it_lets_only_the_signer_revoke(project, signer, others, who):
    answer_all(project, "data")
    signoff = _sign(project, signer)
    with pytest.raises(ReviewRefused, match="Only the person who signed"):
        services.signoff_revoke(signoff=signoff, user=others[who], reason="Not mine to keep.")
    signoff.refresh_from_db()
    assert signoff.revoked_at is None
    assert _status(project) is CheckStatus.SIGNED


def test_it_refuses_revoking_twice(project, signer):
    answer_all(project, "data")
    signoff = _sign(project, signer)
    services.signoff_revoke(signoff=signoff, user=signer, reason="Too early.")
    with pytest.raises(ReviewRefused, match="already revoked"):
        services.signoff_revoke(signoff=signoff, user=signer, reason="Again.")


def test_it_counts_a_revoked_item_signoff_as_unsigned(project):
    user, owner = member_owner(project, "olga")
    handoff = clean_handoff(project, owner)
    signoff = services.item_sign(
        project=project, kind="handoffs", item=handoff, statement="OK", user=user
    )
    services.signoff_revoke(signoff=signoff, user=user, reason="Wrong trigger.")
    assert ("handoffs", handoff.pk) not in project_review(project).item_signoffs
    assert SignOff.objects.get().revoked_at is not None


def test_it_counts_the_check_unsigned_after_revoking_a_resignature(project, signer):
    answer_all(project, "data")
    _sign(project, signer)
    latest = _sign(project, signer, statement="Confirmed again.")
    services.signoff_revoke(signoff=latest, user=signer, reason="Nothing here is agreed.")
    assert _status(project) is not CheckStatus.SIGNED


def test_it_keeps_a_signoff_of_a_deleted_item(project):
    user, owner = member_owner(project, "olga")
    handoff = clean_handoff(project, owner, name="Order to warehouse")
    signoff = services.item_sign(
        project=project, kind="handoffs", item=handoff, statement="OK", user=user
    )
    handoff.delete()
    signoff.refresh_from_db()
    assert (signoff.handoff, signoff.subject_name) == (None, "Order to warehouse")
    assert project_review(project).item_signoffs == {}


def test_it_keeps_a_check_signoff_current_as_days_pass(project):
    user, owner = member_owner(project, "erik")
    name_signatory(project, "exceptions", owner)
    ExceptionCaseFactory(project=project, severity=Severity.MEDIUM, decision_owner=owner)
    answer_all(project, "exceptions")
    _sign(project, user, EXCEPTIONS)
    today = timezone.localdate()
    assert _status(project, "exceptions", today=today) is CheckStatus.SIGNED
    tomorrow = today + dt.timedelta(days=1)
    assert _status(project, "exceptions", today=tomorrow) is CheckStatus.SIGNED


# --- What waits for whom -----------------------------------------------------------------


def test_it_lists_what_waits_for_a_user_and_what_went_stale(project, other_project):
    user, owner = member_owner(project, "olga", role=Role.VIEWER, name="Olga Owner")
    name_signatory(project, "handoffs", owner)
    handoff = clean_handoff(project, owner, name="Order to warehouse")
    exception = clean_exception(project, owner, name="Order without region")
    clean_handoff(project, OwnerFactory(project=project), name="Not mine")
    # An owner elsewhere, in a project Olga is not a member of, does not count.
    OwnerFactory(project=other_project, user=user)
    clean_handoff(other_project, None)
    # Check 2 waits for Olga once it can be signed: every question answered, no open blocker.
    assert [i.title for i in signoffs_for(user) if i.kind == "check"] == []
    answer_all(project, "handoffs")

    titles = sorted(i.title for i in signoffs_for(user))
    assert titles == [
        "Check 2 · Handoffs",
        "Exception decision · Order without region",
        "Handoff · Order to warehouse",
    ]
    assert pending_signoff_count(user) == 3

    services.item_sign(project=project, kind="handoffs", item=handoff, statement="OK", user=user)
    services.item_sign(
        project=project, kind="exceptions", item=exception, statement="OK", user=user
    )
    assert [i.title for i in signoffs_for(user)] == ["Check 2 · Handoffs"]

    handoff.trigger = "Order released"
    handoff.save()
    items = {i.title: i for i in signoffs_for(user)}
    stale = items["Handoff · Order to warehouse"]
    assert stale.stale
    assert stale.reason == "Stale — changed since you signed"
    assert stale.url == f"/projects/{project.slug}/items/handoffs/{handoff.pk}/"
    assert not items["Check 2 · Handoffs"].stale
    assert pending_signoff_count(user) == 2


def test_it_lists_a_stale_check_signoff_for_its_signatory(project, signer):
    answer_all(project, "data")
    _sign(project, signer)
    assert signoffs_for(signer) == []
    services.answer_save(
        project=project,
        check=get_check("data"),
        question_key="records_listed",
        answer="no",
        note="Gaps.",
        user=signer,
    )
    [item] = signoffs_for(signer)
    assert (item.title, item.stale, item.reason) == ("Check 1 · Data that must move", True, "Stale")


def test_it_lists_nothing_for_a_user_who_owns_nothing(project, lead):
    clean_handoff(project, OwnerFactory(project=project))
    assert signoffs_for(lead) == []
    assert signoffs_for(UserFactory()) == []


def test_it_computes_a_status_for_every_check(project):
    assert [c.key for c in project_review(project).checks] == CHECK_KEYS
    assert {c.status for c in project_review(project).checks} == {CheckStatus.NOT_STARTED}
