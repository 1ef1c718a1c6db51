"""A signature covers exactly what the signer was shown, and a double submit signs once.

The page carries the hash of what it shows; if the content changed before the form comes
back, the signature is refused (409) and the page shows what changed and who changed it.
"""

import re

import pytest
from django.urls import reverse

from readiness.projects.models import ActivityEntry
from readiness.reviews.models import SignOff
from tests.factories import edit_data
from tests.reviews.support import (
    HTMX,
    action_url,
    answer_all,
    answer_url,
    check_url,
    clean_handoff,
    item_signoff_url,
    item_url,
    member_owner,
    name_signatory,
)

pytestmark = pytest.mark.django_db

STATEMENT = "I act on it as described."


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def _opened(client, url) -> dict:
    """What a signer's browser would post back from the page at `url`."""
    html = client.get(url).text
    return {
        "statement": STATEMENT,
        "seen_hash": _hidden(html, "seen_hash"),
        "seen_seq": _hidden(html, "seen_seq"),
    }


@pytest.fixture
def olga(project):
    return member_owner(project, "olga", name="Olga Owner")


@pytest.fixture
def olga_client(client, olga):
    client.force_login(olga[0])
    return client


@pytest.fixture
def handoff(project, olga):
    return clean_handoff(project, olga[1], name="Order to warehouse", trigger="Order confirmed")


def _edit_handoff(client, handoff, **changes):
    url = reverse(
        "registers:item-edit",
        kwargs={"slug": handoff.project.slug, "kind": "handoffs", "pk": handoff.pk},
    )
    data = {**edit_data("handoffs", handoff, **changes), "confirm_stale": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    return response


# --- Handoffs and exception decisions ----------------------------------------------------


def test_it_refuses_a_signature_of_a_handoff_that_changed_while_the_page_was_open(
    olga_client, contributor_client, project, handoff
):
    posted = _opened(olga_client, item_url(project, "handoffs", handoff))
    _edit_handoff(contributor_client, handoff, trigger="Order released by credit control")

    response = olga_client.post(item_signoff_url(project, "handoffs", handoff), posted)

    assert response.status_code == 409
    assert not SignOff.objects.exists()
    html = response.text
    assert "<strong>Not signed.</strong> The content changed after you opened this page" in html
    alert = html.split('<div class="alert warn" role="alert">')[1].split("</ol>")[0]
    assert "<strong>Contributor Example</strong>" in alert
    assert "changed handoff “Order to warehouse”: Trigger" in alert
    assert '<span class="old">Order confirmed</span>' in alert
    assert '<span class="new">Order released by credit control</span>' in alert
    assert STATEMENT in html  # the statement typed is kept


def test_it_signs_what_the_refusal_page_shows(olga_client, contributor_client, project, handoff):
    posted = _opened(olga_client, item_url(project, "handoffs", handoff))
    _edit_handoff(contributor_client, handoff, trigger="Order released by credit control")
    refused = olga_client.post(item_signoff_url(project, "handoffs", handoff), posted)
    again = {
        "statement": STATEMENT,
        "seen_hash": _hidden(refused.text, "seen_hash"),
        "seen_seq": _hidden(refused.text, "seen_seq"),
    }

    response = olga_client.post(item_signoff_url(project, "handoffs", handoff), again)

    assert response.status_code == 302
    signoff = SignOff.objects.get()
    assert signoff.content["trigger"] == "Order released by credit control"
    assert signoff.content_hash == again["seen_hash"]


def test_it_signs_a_handoff_when_only_another_item_changed(
    olga_client, contributor_client, project, olga, handoff
):
    other = clean_handoff(project, olga[1], name="Invoice to ledger")
    posted = _opened(olga_client, item_url(project, "handoffs", handoff))
    _edit_handoff(contributor_client, other, trigger="Invoice posted")

    response = olga_client.post(item_signoff_url(project, "handoffs", handoff), posted)

    assert response.status_code == 302
    assert SignOff.objects.get().handoff == handoff


def test_it_asks_to_reload_when_the_form_carries_no_hash(olga_client, project, handoff):
    response = olga_client.post(
        item_signoff_url(project, "handoffs", handoff), {"statement": STATEMENT}, follow=True
    )
    assert "Reload the page and sign what it shows." in response.text
    assert not SignOff.objects.exists()


def test_it_records_one_signature_when_the_same_form_is_sent_twice(olga_client, project, handoff):
    posted = _opened(olga_client, item_url(project, "handoffs", handoff))
    first = olga_client.post(item_signoff_url(project, "handoffs", handoff), posted)
    second = olga_client.post(item_signoff_url(project, "handoffs", handoff), posted)

    assert first.status_code == second.status_code == 302
    assert SignOff.objects.count() == 1
    assert ActivityEntry.objects.filter(action="signed").count() == 1
    html = olga_client.get(item_url(project, "handoffs", handoff)).text
    assert "<strong>Signed</strong> — signed by Olga Example as Olga Owner" in html


def test_it_revokes_once_when_the_revocation_is_sent_twice(olga_client, project, handoff):
    posted = _opened(olga_client, item_url(project, "handoffs", handoff))
    olga_client.post(item_signoff_url(project, "handoffs", handoff), posted)
    signoff = SignOff.objects.get()
    url = reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk})

    olga_client.post(url, {"reason": "Signed the wrong version."})
    signoff.refresh_from_db()
    revoked_at = signoff.revoked_at
    response = olga_client.post(url, {"reason": "Signed the wrong version."}, follow=True)

    assert "This sign-off was already revoked." in response.text
    signoff.refresh_from_db()
    assert (signoff.revoked_at, signoff.revoke_reason) == (revoked_at, "Signed the wrong version.")
    assert SignOff.objects.count() == 1
    assert ActivityEntry.objects.filter(action="revoked").count() == 1


# --- Checks ------------------------------------------------------------------------------


@pytest.fixture
def sam(project):
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    answer_all(project, "data")
    return user


@pytest.fixture
def sam_client(client, sam):
    client.force_login(sam)
    return client


def test_it_refuses_a_check_signature_when_an_answer_changed_while_the_page_was_open(
    sam_client, contributor_client, project
):
    posted = _opened(sam_client, check_url(project, "data", "signoff"))
    contributor_client.post(
        answer_url(project, "data", "records_listed"),
        {"records_listed-answer": "partly", "records_listed-note": "Two record types missing."},
        headers=HTMX,
    )

    response = sam_client.post(action_url(project, "check-sign", "data"), posted)

    assert response.status_code == 409
    assert not SignOff.objects.exists()
    html = response.text
    assert "<strong>Not signed.</strong> The content changed after you opened this page" in html
    alert = html.split('<div class="alert warn" role="alert">')[1].split("</ol>")[0]
    assert "<strong>Contributor Example</strong>" in alert
    assert "Partly" in alert
    assert '<span class="new">Two record types missing.</span>' in alert
    # The form on the refusal page signs what it now shows.
    again = {**posted, "seen_hash": _hidden(html, "seen_hash")}
    assert again["seen_hash"] != posted["seen_hash"]
    assert sam_client.post(action_url(project, "check-sign", "data"), again).status_code == 302
    assert SignOff.objects.get().content_hash == again["seen_hash"]


def test_it_records_one_check_signature_when_the_same_form_is_sent_twice(sam_client, project):
    posted = _opened(sam_client, check_url(project, "data", "signoff"))
    sam_client.post(action_url(project, "check-sign", "data"), posted)
    sam_client.post(action_url(project, "check-sign", "data"), posted)

    assert SignOff.objects.count() == 1
    assert ActivityEntry.objects.filter(action="signed").count() == 1


def test_it_revokes_a_check_signature_once_when_sent_twice(sam_client, project):
    posted = _opened(sam_client, check_url(project, "data", "signoff"))
    sam_client.post(action_url(project, "check-sign", "data"), posted)
    signoff = SignOff.objects.get()
    url = reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk})

    sam_client.post(url, {"reason": "The register was incomplete."})
    response = sam_client.post(url, {"reason": "The register was incomplete."}, follow=True)

    assert "This sign-off was already revoked." in response.text
    assert ActivityEntry.objects.filter(action="revoked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_records_one_signature_when_two_submits_arrive_at_once(project, olga, handoff):
    """Two requests at the same moment (a double click): the project lock makes them take
    turns, and the second finds the first one's signature."""
    import threading

    from django.db import connection, connections

    from readiness.reviews.selectors import project_review
    from readiness.reviews.services import item_sign

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    user, _ = olga
    digest = project_review(project).item_hashes[("handoffs", handoff.pk)]
    start = threading.Barrier(2)
    errors = []

    def sign():
        try:
            start.wait()
            item_sign(
                project=project,
                kind="handoffs",
                item=handoff,
                statement=STATEMENT,
                user=user,
                seen_hash=digest,
            )
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert SignOff.objects.count() == 1
    assert ActivityEntry.objects.filter(action="signed").count() == 1
