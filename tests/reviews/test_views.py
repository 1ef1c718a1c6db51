"""The guided review pages: who reaches which step, answering, signing, staleness shown."""

import pytest
from django.urls import reverse

from readiness.projects.models import Role
from readiness.registers.models import Criticality
from readiness.reviews import services
from readiness.reviews.checks import get_check
from readiness.reviews.models import Acceptance, Answer, CheckSignatory, Risk, SignOff
from readiness.reviews.selectors import project_review
from readiness.reviews.verdict import CheckStatus
from tests.factories import DataElementFactory, OwnerFactory, accountable_executive, edit_data
from tests.reviews.support import (
    CHECK_KEYS,
    HTMX,
    STEPS,
    action_url,
    answer_all,
    answer_url,
    check_url,
    clean_exception,
    clean_handoff,
    item_signoff_url,
    item_url,
    member_owner,
    name_signatory,
)

OTHERS = ["contributor", "lead", "viewer"]
FIRST_QUESTION = {key: get_check(key).questions[0].key for key in CHECK_KEYS}


def _html(response) -> str:
    return response.content.decode()


def _client(request, persona):
    return request.getfixturevalue(f"{persona}_client")


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def sam(project):
    """Sam: a contributor, owner 'Sam Signer', the signatory of check 1 (data)."""
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    return user


@pytest.fixture
def sam_client(client, sam):
    return _login(client, sam)


# --- Reaching the steps ------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_sends_anonymous_to_login(anonymous_client, project, key, step):
    url = check_url(project, key, step)
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_hides_every_step_from_outsider(outsider_client, project, key, step):
    assert outsider_client.get(check_url(project, key, step)).status_code == 404


def _can_answer(html, project, key) -> bool:
    return f'action="{answer_url(project, key, FIRST_QUESTION[key])}"' in html


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_shows_every_step_to_viewer_read_only(viewer_client, project, key, step):
    response = viewer_client.get(check_url(project, key, step))
    assert response.status_code == 200
    html = _html(response)
    assert get_check(key).title in html
    assert 'class="step current" aria-current="step"' in html
    assert not _can_answer(html, project, key)
    assert action_url(project, "risk-add", key) not in html


@pytest.mark.parametrize("persona", ["contributor", "lead"])
@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_offers_answer_forms_to_editors(request, project, persona, key):
    client = _client(request, persona)
    assert _can_answer(_html(client.get(check_url(project, key, "questions"))), project, key)
    findings = _html(client.get(check_url(project, key, "findings")))
    assert action_url(project, "risk-add", key) in findings


@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_starts_a_check_at_its_questions(viewer_client, project, key):
    url = reverse("reviews:check-start", kwargs={"slug": project.slug, "key": key})
    response = viewer_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == check_url(project, key, "questions")


@pytest.mark.parametrize(
    "url_name", ["check", "check-start", "answer-save", "risk-add", "check-sign"]
)
def test_it_404s_an_unknown_check(lead_client, project, url_name):
    kwargs = {"slug": project.slug, "key": "nope"}
    if url_name == "check":
        kwargs["step"] = "questions"
    if url_name == "answer-save":
        kwargs["question"] = "measurable_outcome"
    method = (
        lead_client.get
        if url_name.startswith("check") and url_name != "check-sign"
        else (lead_client.post)
    )
    assert method(reverse(f"reviews:{url_name}", kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize("step", ["summary", "overview", "Questions"])
def test_it_404s_an_unknown_step(lead_client, project, step):
    assert lead_client.get(check_url(project, "data", step)).status_code == 404


def test_it_404s_an_unknown_question(contributor_client, project):
    response = contributor_client.post(answer_url(project, "data", "nope"), {"nope-answer": "yes"})
    assert response.status_code == 404
    # A question of another check is unknown here too.
    url = answer_url(project, "data", "trigger_defined")
    assert contributor_client.post(url, {"trigger_defined-answer": "yes"}).status_code == 404
    assert not Answer.objects.exists()


# --- Answering ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_refuses_answers_and_risks_from_viewer(viewer_client, project, key):
    q = FIRST_QUESTION[key]
    assert viewer_client.post(answer_url(project, key, q), {f"{q}-answer": "yes"}).status_code == (
        403
    )
    risk = {"risk-title": "Vendor late", "risk-severity": "high", "risk-detail": ""}
    assert viewer_client.post(action_url(project, "risk-add", key), risk).status_code == 403
    assert not Answer.objects.exists()
    assert not Risk.objects.exists()


@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_refuses_answers_from_outsider_and_anonymous(
    outsider_client, anonymous_client, project, key
):
    q = FIRST_QUESTION[key]
    url = answer_url(project, key, q)
    assert outsider_client.post(url, {f"{q}-answer": "yes"}).status_code == 404
    response = anonymous_client.post(url, {f"{q}-answer": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_saves_an_answer_and_returns_the_question_to_htmx(
    contributor_client, contributor, project, key
):
    q = FIRST_QUESTION[key]
    response = contributor_client.post(
        answer_url(project, key, q),
        {f"{q}-answer": "partly", f"{q}-note": "Half done."},
        headers=HTMX,
    )
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li class="question card" id="q-{q}">')
    assert '<span class="saved small">Saved</span>' in html
    assert 'id="stepper" aria-label="Steps" hx-swap-oob="true"' in html
    assert f"1 of {len(get_check(key).questions)} answered" in html
    answer = Answer.objects.get(project=project, check_key=key, question_key=q)
    assert (answer.answer, answer.note, answer.answered_by) == ("partly", "Half done.", contributor)


@pytest.mark.parametrize("key", CHECK_KEYS)
def test_it_saves_an_answer_and_redirects_without_htmx(contributor_client, project, key):
    q = FIRST_QUESTION[key]
    response = contributor_client.post(answer_url(project, key, q), {f"{q}-answer": "yes"})
    assert response.status_code == 302
    assert response["Location"] == check_url(project, key, "questions") + f"#q-{q}"
    assert Answer.objects.get(check_key=key, question_key=q).answer == "yes"
    assert "Answer saved." in _html(contributor_client.get(response["Location"]))


def test_it_updates_an_answer_in_place(contributor_client, lead_client, project, lead):
    url = answer_url(project, "data", "records_listed")
    contributor_client.post(url, {"records_listed-answer": "yes"}, headers=HTMX)
    lead_client.post(
        url, {"records_listed-answer": "na", "records_listed-note": "n/a"}, headers=HTMX
    )
    answer = Answer.objects.get()
    assert (answer.answer, answer.note, answer.answered_by) == ("na", "n/a", lead)


@pytest.mark.parametrize("choice", ["no", "partly"])
@pytest.mark.parametrize("htmx", [True, False])
def test_a_no_or_partly_without_a_note_is_saved_and_marked(
    contributor_client, project, choice, htmx
):
    """A chosen answer is never dropped; the question says it needs a note."""
    q = "records_listed"
    headers = HTMX if htmx else {}
    response = contributor_client.post(
        answer_url(project, "data", q),
        {f"{q}-answer": choice, f"{q}-note": "   "},
        headers=headers,
    )
    assert response.status_code in (200, 302)
    assert Answer.objects.get().answer == choice
    html = _html(contributor_client.get(check_url(project, "data", "questions")))
    assert "Needs a note: say what is missing, so the gap can be closed." in html
    assert f'value="{choice}" id="id_{q}-answer_' in html.split(f'id="q-{q}"')[1].split("</li>")[0]


def test_a_needs_a_note_answer_is_listed_on_the_signoff_step_and_blocks_signing(
    contributor_client, project
):
    from readiness.reviews.selectors import project_review

    answer_all(project, "data")
    q = "records_listed"
    contributor_client.post(answer_url(project, "data", q), {f"{q}-answer": "no"}, headers=HTMX)
    check = project_review(project).check("data")
    assert [x.key for x in check.needs_note] == [q]
    assert not check.can_be_signed and check.status == "in_progress"
    html = _html(contributor_client.get(check_url(project, "data", "signoff")))
    assert "Every Partly or No says what is missing — 1 needs a note" in html
    assert f"{check_url(project, 'data', 'questions')}#q-{q}" in html

    contributor_client.post(
        answer_url(project, "data", q),
        {f"{q}-answer": "no", f"{q}-note": "Three record types still missing."},
        headers=HTMX,
    )
    assert project_review(project).check("data").needs_note == []


def test_it_refuses_an_answer_that_is_not_a_choice(contributor_client, project):
    q = "records_listed"
    response = contributor_client.post(
        answer_url(project, "data", q), {f"{q}-answer": "maybe"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Select a valid choice" in _html(response)
    assert not Answer.objects.exists()


# --- Risks and findings ------------------------------------------------------------------


def test_it_adds_a_risk_by_hand(contributor_client, project, contributor):
    response = contributor_client.post(
        action_url(project, "risk-add", "reporting"),
        {"risk-title": "BI licence late", "risk-severity": "high", "risk-detail": "Q3 at best"},
    )
    assert response.status_code == 302
    assert response["Location"] == check_url(project, "reporting", "findings")
    risk = Risk.objects.get()
    assert (risk.check_key, risk.created_by) == ("reporting", contributor)
    html = _html(contributor_client.get(response["Location"]))
    assert "BI licence late" in html
    assert "added by hand" in html


def test_it_rerenders_an_invalid_risk(contributor_client, project):
    response = contributor_client.post(
        action_url(project, "risk-add", "reporting"), {"risk-title": "", "risk-severity": "high"}
    )
    assert response.status_code == 200
    assert "This field is required." in _html(response)
    assert not Risk.objects.exists()


def _until(project):
    return project.go_live_date.isoformat()


def _blocker_in_data(project):
    DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)
    [blocker] = project_review(project).check("data").open_blockers
    return blocker.key


@pytest.mark.parametrize("persona", OTHERS)
def test_it_refuses_acceptance_by_anyone_but_the_signatory(request, project, sam, persona):
    key = _blocker_in_data(project)
    client = _client(request, persona)
    response = client.post(
        action_url(project, "finding-accept", "data"),
        {"finding_key": key, "rationale": "It is fine, trust me.", "expires_on": _until(project)},
        follow=True,
    )
    assert "Only Sam Signer, the signatory of this check, can do this." in _html(response)
    assert not Acceptance.objects.exists()


def test_it_refuses_acceptance_by_outsider(outsider_client, project, sam):
    key = _blocker_in_data(project)
    response = outsider_client.post(
        action_url(project, "finding-accept", "data"),
        {"finding_key": key, "rationale": "It is fine, trust me.", "expires_on": _until(project)},
    )
    assert response.status_code == 404


def test_it_refuses_acceptance_without_a_real_rationale(sam_client, project):
    key = _blocker_in_data(project)
    response = sam_client.post(
        action_url(project, "finding-accept", "data"),
        {"finding_key": key, "rationale": "ok", "expires_on": _until(project)},
        follow=True,
    )
    assert "Write a rationale of at least a sentence" in _html(response)
    assert not Acceptance.objects.exists()


def test_it_shows_an_accepted_finding_as_accepted(sam_client, viewer_client, project):
    key = _blocker_in_data(project)
    executive = accountable_executive(project)
    response = sam_client.post(
        action_url(project, "finding-accept", "data"),
        {
            "finding_key": key,
            "rationale": "ERP wins until the steward rules.",
            "expires_on": _until(project),
        },
    )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert acceptance.owner_name == "Sam Signer"
    html = _html(viewer_client.get(check_url(project, "data", "findings")))
    assert "acceptance proposed" in html
    assert "It counts once it is approved by Evelyn Exec" in html
    services.acceptance_approve(project=project, acceptance=acceptance, user=executive)

    html = _html(viewer_client.get(check_url(project, "data", "findings")))
    assert "System of truth missing" in html
    assert '<span class="tag acc">accepted</span>' in html
    assert "proposed by Sam Example as Sam Signer" in html
    assert "approved by Evelyn Exec (accountable executive)" in html
    assert "ERP wins until the steward rules." in html
    assert "Propose accepting it as a known risk" not in html  # the viewer is not the signatory


def test_it_offers_acceptance_only_to_the_signatory(sam_client, lead_client, project):
    _blocker_in_data(project)
    url = check_url(project, "data", "findings")
    assert "Propose accepting it as a known risk" in _html(sam_client.get(url))
    html = _html(lead_client.get(url))
    assert "Propose accepting it as a known risk" not in html
    assert "Only the check's signatory (Sam Signer) can propose accepting" in html


# --- Signatories -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["contributor", "viewer"])
def test_it_lets_only_leads_set_signatories(request, project, persona):
    _, owner = member_owner(project, "anna")
    response = _client(request, persona).post(
        action_url(project, "signatory-set", "data"), {"owner": owner.pk}
    )
    assert response.status_code == 403
    assert not CheckSignatory.objects.exists()


def test_it_lets_a_lead_set_a_signatory(lead_client, project):
    _, owner = member_owner(project, "anna", name="Anna Berg")
    response = lead_client.post(action_url(project, "signatory-set", "data"), {"owner": owner.pk})
    assert response.status_code == 302
    assert response["Location"] == check_url(project, "data", "signoff")
    assert CheckSignatory.objects.get(project=project, check_key="data").owner == owner
    html = _html(lead_client.get(response["Location"]))
    assert "Signatory saved." in html
    assert "A signatory is named: Anna Berg" in html


def test_it_refuses_signatories_without_an_account_or_from_elsewhere(
    lead_client, project, other_project, outsider
):
    no_account = OwnerFactory(project=project, name="No Account")
    foreign = OwnerFactory(project=other_project, user=outsider)
    for owner in (no_account, foreign):
        response = lead_client.post(
            action_url(project, "signatory-set", "data"), {"owner": owner.pk}, follow=True
        )
        assert "Choose an owner of this project who has a user account." in _html(response)
    assert not CheckSignatory.objects.exists()
    html = _html(lead_client.get(check_url(project, "data", "signoff")))
    assert f'<option value="{no_account.pk}"' not in html


# --- Signing a check ---------------------------------------------------------------------


def _check_hash(project, key="data"):
    return project_review(project).check(key).content_hash


def _sign_check(client, project, key="data"):
    return client.post(
        action_url(project, "check-sign", key),
        {"statement": "Reviewed with the team.", "seen_hash": _check_hash(project, key)},
        follow=True,
    )


@pytest.mark.parametrize("persona", OTHERS)
def test_it_refuses_check_signoff_by_anyone_but_the_signatory(request, project, sam, persona):
    answer_all(project, "data")
    response = _sign_check(_client(request, persona), project)
    assert "Only Sam Signer, the signatory of this check, can do this." in _html(response)
    assert not SignOff.objects.exists()
    html = _html(_client(request, persona).get(check_url(project, "data", "signoff")))
    assert "Only Sam Signer can sign this check." in html
    assert action_url(project, "check-sign", "data") not in html


def test_it_refuses_check_signoff_by_outsider(outsider_client, project, sam):
    answer_all(project, "data")
    response = outsider_client.post(
        action_url(project, "check-sign", "data"),
        {"statement": "Reviewed.", "seen_hash": _check_hash(project)},
    )
    assert response.status_code == 404
    assert not SignOff.objects.exists()


def test_it_explains_why_a_check_cannot_be_signed_yet(sam_client, project):
    answer_all(project, "data", skip={"stewards_named", "decision_fields"})
    html = _html(_sign_check(sam_client, project))
    assert "2 question(s) still need an answer before signing." in html
    answer_all(project, "data")
    _blocker_in_data(project)
    response = _sign_check(sam_client, project)
    assert response.status_code == 403
    assert "1 blocker(s) are open: fix them or accept them first." in _html(response)
    html = _html(sam_client.get(check_url(project, "data", "signoff")))
    assert "You can sign once the list above is complete." in html
    assert not SignOff.objects.exists()


def test_it_refuses_signing_without_a_statement(sam_client, project):
    answer_all(project, "data")
    response = sam_client.post(
        action_url(project, "check-sign", "data"),
        {"statement": "", "seen_hash": _check_hash(project)},
        follow=True,
    )
    assert "Write a statement to sign." in _html(response)
    assert not SignOff.objects.exists()


def test_it_lets_the_signatory_sign_a_check(sam_client, sam, project):
    answer_all(project, "data")
    html = _html(_sign_check(sam_client, project))
    signoff = SignOff.objects.get()
    assert (signoff.signer, signoff.check_key, signoff.statement) == (
        sam,
        "data",
        "Reviewed with the team.",
    )
    assert "Check 1 signed." in html
    assert "<strong>Signed</strong>" in html
    assert signoff.content_hash in html
    assert "Sign again" not in html  # nothing to sign again until the content changes
    assert "Your signature covers the current content." in html


# --- Signing handoffs and exception decisions --------------------------------------------


@pytest.fixture
def olga(project):
    return member_owner(project, "olga", name="Olga Owner")


def _item(project, kind, owner):
    if kind == "handoffs":
        return clean_handoff(project, owner, name="Order to warehouse")
    return clean_exception(project, owner, name="Order without region")


def _item_hash(project, kind, item):
    return project_review(project).item_hashes[(kind, item.pk)]


def _sign_item(client, project, kind, item):
    return client.post(
        item_signoff_url(project, kind, item),
        {"statement": "I act on it.", "seen_hash": _item_hash(project, kind, item)},
        follow=True,
    )


@pytest.mark.parametrize("kind", ["handoffs", "exceptions"])
@pytest.mark.parametrize("persona", OTHERS)
def test_it_refuses_item_signoff_by_anyone_but_its_owner(request, project, olga, kind, persona):
    item = _item(project, kind, olga[1])
    role = "receiving owner" if kind == "handoffs" else "decision owner"
    client = _client(request, persona)
    assert "Sign as Olga Owner" not in _html(client.get(item_signoff_url(project, kind, item)))
    response = _sign_item(client, project, kind, item)
    assert f"Only Olga Owner, the {role}, can sign this." in _html(response)
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("kind", ["handoffs", "exceptions"])
def test_it_hides_item_signoff_from_outsider(outsider_client, project, olga, kind):
    item = _item(project, kind, olga[1])
    assert outsider_client.get(item_signoff_url(project, kind, item)).status_code == 404
    assert (
        outsider_client.post(item_signoff_url(project, kind, item), {"statement": "x"}).status_code
        == 404
    )
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("kind", ["handoffs", "exceptions"])
def test_it_lets_the_owner_sign_an_item(client, project, olga, kind):
    user, owner = olga
    item = _item(project, kind, owner)
    _login(client, user)
    html = _html(client.get(item_signoff_url(project, kind, item)))
    assert "Sign as Olga Owner" in html
    html = _html(_sign_item(client, project, kind, item))
    signoff = SignOff.objects.get()
    assert (signoff.signer, signoff.owner, signoff.subject_name) == (user, owner, str(item))
    assert f"You signed “{item}”." in html
    assert "<strong>Signed</strong> — signed by Olga Example as Olga Owner" in html


def test_it_404s_item_signoff_of_other_kinds_or_projects(lead_client, project, other_project):
    foreign = clean_handoff(other_project, None)
    assert lead_client.get(item_signoff_url(project, "handoffs", foreign)).status_code == 404
    url = reverse("reviews:item-signoff", kwargs={"slug": project.slug, "kind": "reports", "pk": 1})
    assert lead_client.get(url).status_code == 404


# --- Staleness, everywhere ---------------------------------------------------------------


def test_it_shows_a_handoff_signoff_stale_everywhere_after_an_edit(
    client, contributor_client, viewer_client, project, olga
):
    user, owner = olga
    handoff = _item(project, "handoffs", owner)
    _sign_item(_login(client, user), project, "handoffs", handoff)
    signoff = SignOff.objects.get()
    assert not project_review(project).item_signoffs[("handoffs", handoff.pk)].stale

    edit_url = reverse(
        "registers:item-edit", kwargs={"slug": project.slug, "kind": "handoffs", "pk": handoff.pk}
    )
    data = edit_data("handoffs", handoff, trigger="Order released to warehouse")
    # Warned first: nothing is saved until the contributor confirms.
    warned = contributor_client.post(edit_url, data)
    assert warned.status_code == 200
    assert "Saving makes Olga Owner’s sign-off of this handoff stale." in _html(warned)
    assert 'name="confirm_stale" value="1"' in _html(warned)
    assert not project_review(project).item_signoffs[("handoffs", handoff.pk)].stale
    response = contributor_client.post(edit_url, {**data, "confirm_stale": "1"})
    assert response.status_code == 302

    state = project_review(project).item_signoffs[("handoffs", handoff.pk)]
    assert (state.signoff, state.stale) == (signoff, True)
    item_page = _html(viewer_client.get(item_signoff_url(project, "handoffs", handoff)))
    assert "<strong>Stale</strong> — signed by Olga Example as Olga Owner" in item_page
    assert "the item changed since and needs a new sign-off" in item_page
    for step in STEPS:
        check_page = _html(viewer_client.get(check_url(project, "handoffs", step)))
        assert "<strong>Stale sign-off:</strong>" in check_page
        assert item_url(project, "handoffs", handoff) in check_page
    assert "Stale sign-off:" not in _html(viewer_client.get(check_url(project, "data")))
    overview = _html(viewer_client.get(project.get_absolute_url()))
    assert "Stale sign-offs (1)" in overview
    assert f'<a href="{item_url(project, "handoffs", handoff)}">Order to warehouse</a>' in (
        overview
    )
    register = _html(
        viewer_client.get(
            reverse("registers:list", kwargs={"slug": project.slug, "kind": "handoffs"})
        )
    )
    assert "st-stale" in register

    # Signing again makes it current, and keeps the stale one in the history.
    _sign_item(client, project, "handoffs", handoff)
    assert SignOff.objects.count() == 2
    assert not project_review(project).item_signoffs[("handoffs", handoff.pk)].stale
    assert "Stale sign-offs" not in _html(viewer_client.get(project.get_absolute_url()))


def test_it_shows_item_signoff_badges_in_the_check_register_step(client, project, olga):
    user, owner = olga
    handoff = _item(project, "handoffs", owner)
    _sign_item(_login(client, user), project, "handoffs", handoff)
    html = _html(client.get(check_url(project, "handoffs", "register")))
    assert f'class="tag st-signed" href="{item_url(project, "handoffs", handoff)}"' in (html)


def test_it_shows_a_check_signoff_stale_after_an_answer_changes(sam_client, viewer_client, project):
    answer_all(project, "data")
    _sign_check(sam_client, project)
    url = answer_url(project, "data", "records_listed")
    sam_client.post(
        url, {"records_listed-answer": "no", "records_listed-note": "Gaps."}, headers=HTMX
    )

    assert project_review(project).check("data").status is CheckStatus.STALE
    html = _html(viewer_client.get(check_url(project, "data", "signoff")))
    assert '<span class="status st-stale">Stale</span>' in html
    assert "<strong>Stale:</strong>" in html
    assert "Current hash" in html
    overview = _html(viewer_client.get(project.get_absolute_url()))
    # The check's state, not a blocker: the strip says it, and what to do next.
    assert 'title="Check 1 · Data that must move: Stale"' in overview
    assert 'class="st-stale"' in overview


def test_it_shows_the_verdict_and_the_strip_on_the_overview(viewer_client, project):
    html = _html(viewer_client.get(project.get_absolute_url()))
    assert '<div class="verdict-label">Not ready</div>' in html
    assert "days to plan lock" in html
    for key in CHECK_KEYS:
        assert reverse("reviews:check-start", kwargs={"slug": project.slug, "key": key}) in html
    assert html.count("Not started</span>") == 5


# --- Revoking ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", OTHERS)
def test_it_lets_only_the_signer_revoke(request, project, sam, sam_client, persona):
    answer_all(project, "data")
    _sign_check(sam_client, project)
    signoff = SignOff.objects.get()
    url = reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk})
    response = _client(request, persona).post(url, {"reason": "I disagree."}, follow=True)
    assert "Only the person who signed can revoke their sign-off." in _html(response)
    signoff.refresh_from_db()
    assert signoff.revoked_at is None


def test_it_revokes_and_keeps_the_record(sam_client, sam, outsider_client, project):
    answer_all(project, "data")
    _sign_check(sam_client, project)
    signoff = SignOff.objects.get()
    url = reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk})
    assert outsider_client.post(url, {"reason": "x"}).status_code == 404
    response = sam_client.post(url, {"reason": ""}, follow=True)
    assert "Give a reason for revoking." in _html(response)

    response = sam_client.post(url, {"reason": "Signed the wrong version."})
    assert response["Location"] == check_url(project, "data", "signoff")
    signoff.refresh_from_db()
    assert (signoff.revoked_by, signoff.revoke_reason) == (sam, "Signed the wrong version.")
    html = _html(sam_client.get(response["Location"]))
    assert "Sign-off revoked. It stays in the history." in html
    assert "Revoked " in html
    assert "<strong>Signed</strong>" not in html
    assert project_review(project).check("data").status is CheckStatus.READY_TO_SIGN


# --- My sign-offs ------------------------------------------------------------------------


def test_it_lists_my_waiting_and_stale_signoffs(client, project, olga):
    user, owner = olga
    name_signatory(project, "exceptions", owner)
    handoff = _item(project, "handoffs", owner)
    exception = _item(project, "exceptions", owner)
    _login(client, user)
    html = _html(client.get(reverse("reviews:my-signoffs")))
    assert "Waiting for you (2)" in html  # check 3 has unanswered questions: not signable yet

    answer_all(project, "exceptions")
    html = _html(client.get(reverse("reviews:my-signoffs")))
    assert "Waiting for you (3)" in html
    assert "Stale (0)" in html
    assert '<span class="count">3</span>' in html
    assert item_url(project, "handoffs", handoff) in html
    assert item_url(project, "exceptions", exception) in html
    assert check_url(project, "exceptions", "signoff") in html

    services.item_sign(project=project, kind="handoffs", item=handoff, statement="OK", user=user)
    handoff.wait_rule = "Hold while credit review is open"
    handoff.save()
    html = _html(client.get(reverse("reviews:my-signoffs")))
    assert "Stale (1)" in html
    assert "Waiting for you (2)" in html
    assert "Stale — changed since you signed" in html
    assert '<span class="count">3</span>' in html


def test_it_shows_no_count_to_someone_with_nothing_to_sign(lead_client, project):
    clean_handoff(project, OwnerFactory(project=project))
    html = _html(lead_client.get(reverse("reviews:my-signoffs")))
    assert "Nothing waits for your signature." in html
    assert "None of your sign-offs is stale." in html
    assert '<span class="count">' not in html


def test_it_shows_the_nav_count_on_other_pages(client, project):
    user, owner = member_owner(project, "vera", role=Role.VIEWER)
    clean_handoff(project, owner)
    html = _html(_login(client, user).get(project.get_absolute_url()))
    assert '<span class="count">1</span>' in html


def test_it_sends_anonymous_from_my_signoffs_to_login(anonymous_client):
    url = reverse("reviews:my-signoffs")
    assert anonymous_client.get(url)["Location"] == f"/accounts/login/?next={url}"


def test_the_item_signoff_page_shows_what_is_signed_in_words(client, project):
    from tests.factories import HandoffFactory

    handoff = HandoffFactory(project=project, mechanism="partly_manual", is_workaround=True)
    lead = project.memberships.filter(role="lead").first()
    if lead is None:
        from tests.factories import MembershipFactory

        lead = MembershipFactory(project=project, role="lead")
    client.force_login(lead.user)
    url = reverse(
        "reviews:item-signoff", kwargs={"slug": project.slug, "kind": "handoffs", "pk": handoff.pk}
    )
    html = client.get(url).text
    assert "<dt>Mechanism</dt><dd>Partly manual</dd>" in html
    assert "<dt>Local workaround</dt><dd>Yes</dd>" in html
    assert "partly_manual" not in html


def test_it_pages_my_signoffs_beyond_fifty(client, project, olga):
    user, owner = olga
    for i in range(55):
        clean_handoff(project, owner, name=f"Handoff {i:02}")
    _login(client, user)
    first = _html(client.get(reverse("reviews:my-signoffs")))
    assert "Waiting for you (55)" in first
    assert first.count("Waiting for your sign-off</span>") == 50
    assert "Page 1 of 2" in first
    second = _html(client.get(reverse("reviews:my-signoffs") + "?page=2"))
    assert second.count("Waiting for your sign-off</span>") == 5
