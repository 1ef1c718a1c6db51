"""The read-only page of every register item: fields in words, sign-off state and what changed
since, the findings it causes, and its history — for every member, at a flat query cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.projects.activity import activity_record
from readiness.projects.models import ActivityAction
from readiness.registers.models import Criticality
from readiness.registers.specs import SPECS
from readiness.reviews import services
from tests.factories import (
    DataElementFactory,
    HandoffFactory,
    SystemFactory,
    edit_data,
    make_item,
)
from tests.reviews.support import (
    check_url,
    clean_handoff,
    item_signoff_url,
    item_url,
    member_owner,
)

pytestmark = pytest.mark.django_db

KINDS = list(SPECS)
MEMBERS = ["lead", "contributor", "viewer"]


def _edit_url(project, kind, item) -> str:
    return reverse(
        "registers:item-edit", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk}
    )


def _edit_button(project, kind, item) -> str:
    # The edit returns to the item's page after saving.
    back = item_url(project, kind, item)
    return f'<a class="btn primary" href="{_edit_url(project, kind, item)}?next={back}">Edit</a>'


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("persona", MEMBERS)
def test_it_shows_every_item_to_every_member(request, project, kind, persona):
    item = make_item(kind, project)
    client = request.getfixturevalue(f"{persona}_client")
    response = client.get(item_url(project, kind, item))
    assert response.status_code == 200
    assert f"<h1>{SPECS[kind].singular.capitalize()}: {item}</h1>" in response.text


@pytest.mark.parametrize("kind", KINDS)
def test_it_hides_items_from_outsiders(outsider_client, project, kind):
    item = make_item(kind, project)
    assert outsider_client.get(item_url(project, kind, item)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_it_sends_anonymous_to_login(anonymous_client, project, kind):
    url = item_url(project, kind, make_item(kind, project))
    assert anonymous_client.get(url)["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("kind", KINDS)
def test_it_offers_no_edit_button_to_a_viewer(viewer_client, project, kind):
    item = make_item(kind, project)
    html = viewer_client.get(item_url(project, kind, item)).text
    assert _edit_url(project, kind, item) not in html
    assert ">Edit</a>" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_it_offers_the_edit_button_to_whoever_may_edit(
    lead_client, contributor_client, project, kind
):
    item = make_item(kind, project)
    assert _edit_button(project, kind, item) in lead_client.get(item_url(project, kind, item)).text
    contributor_html = contributor_client.get(item_url(project, kind, item)).text
    # Owners are the lead's to manage; every other register is the contributors' to edit.
    assert (_edit_button(project, kind, item) in contributor_html) is (kind != "owners")


def test_it_404s_unknown_kinds_other_projects_and_missing_items(
    lead_client, project, other_project
):
    foreign = HandoffFactory(project=other_project)
    assert lead_client.get(item_url(project, "handoffs", foreign)).status_code == 404
    url = reverse("reviews:item", kwargs={"slug": project.slug, "kind": "widgets", "pk": 1})
    assert lead_client.get(url).status_code == 404
    url = reverse("reviews:item", kwargs={"slug": project.slug, "kind": "handoffs", "pk": 999999})
    assert lead_client.get(url).status_code == 404


def test_it_accepts_only_get_on_the_item_page(lead_client, project):
    item = HandoffFactory(project=project)
    assert lead_client.post(item_url(project, "handoffs", item)).status_code == 405


# --- What the page shows ------------------------------------------------------------------


def test_it_shows_the_findings_an_item_causes_with_a_link_to_the_check(viewer_client, project):
    element = DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)
    DataElementFactory(project=project, name="Order")
    html = viewer_client.get(item_url(project, "data-elements", element)).text
    findings = html.split("<h2>Findings it causes</h2>")[1].split("</section>")[0]
    assert '<span class="tag sevtag-blocker">Blocker</span>' in findings
    assert f'href="{check_url(project, "data", "findings")}"' in findings

    calm = SystemFactory(project=project, name="ERP")
    calm_html = viewer_client.get(item_url(project, "systems", calm)).text
    assert "No warning sign points at this item." in calm_html


def test_it_shows_the_history_of_this_item_only_newest_first(
    contributor_client, viewer_client, project
):
    handoff = HandoffFactory(project=project, name="Order to warehouse", trigger="Order confirmed")
    other = HandoffFactory(project=project, name="Invoice to ledger")
    url = _edit_url(project, "handoffs", handoff)
    contributor_client.post(url, edit_data("handoffs", handoff, trigger="Order released"))
    handoff.refresh_from_db()
    contributor_client.post(url, edit_data("handoffs", handoff, mechanism="spreadsheet"))
    other_url = _edit_url(project, "handoffs", other)
    contributor_client.post(other_url, edit_data("handoffs", other, trigger="Invoice posted"))

    html = viewer_client.get(item_url(project, "handoffs", handoff)).text
    history = html.split("<h2>History</h2>")[1].split("</section>")[0]
    assert "Invoice to ledger" not in history
    mechanism = history.index("changed handoff “Order to warehouse”: Mechanism")
    trigger = history.index("changed handoff “Order to warehouse”: Trigger")
    assert mechanism < trigger
    assert '<span class="old">Order confirmed</span> → <span class="new">Order released</span>' in (
        history
    )
    assert '<span class="new">Manual: spreadsheet</span>' in history
    assert history.count("<strong>Contributor Example</strong>") == 2


def _grow_history(project, item, n, actor=None):
    for i in range(n):
        activity_record(
            project=project,
            actor=actor,
            action=ActivityAction.CHANGED,
            target_kind="handoffs",
            target_id=item.pk,
            target_name=str(item),
            summary=f"changed handoff “{item}”: Trigger",
            changes=[{"field": "trigger", "label": "Trigger", "old": f"T{i}", "new": f"T{i + 1}"}],
        )


def test_it_links_to_the_full_history_when_the_page_shows_only_the_latest(viewer_client, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    _grow_history(project, handoff, 60)
    html = viewer_client.get(item_url(project, "handoffs", handoff)).text
    history = html.split("<h2>History</h2>")[1].split("</section>")[0]
    assert history.count("changed handoff “Order to warehouse”: Trigger") == 50
    assert '<span class="new">T60</span>' in history  # the newest is shown
    activity = reverse("projects:activity", kwargs={"slug": project.slug})
    link = f'<a href="{activity}?register=handoffs&amp;item={handoff.pk}">All 60 changes'
    assert link in history
    listed = viewer_client.get(f"{activity}?register=handoffs&item={handoff.pk}")
    assert listed.context["page"].paginator.count == 60


@pytest.fixture
def olga(project):
    return member_owner(project, "olga", name="Olga Owner")


@pytest.fixture
def signed_handoff(project, olga):
    user, owner = olga
    handoff = clean_handoff(project, owner, name="Order to warehouse", trigger="Order confirmed")
    services.item_sign(
        project=project, kind="handoffs", item=handoff, statement="I act on it.", user=user
    )
    return handoff


def test_it_shows_a_signed_handoff_and_offers_signing_only_to_its_owner(
    client, viewer_client, project, olga, signed_handoff
):
    html = viewer_client.get(item_url(project, "handoffs", signed_handoff)).text
    assert "<strong>Signed</strong> — signed by Olga Example as Olga Owner" in html
    assert "Signed by its receiving owner: <strong>Olga Owner</strong>" in html
    assert "Sign as Olga Owner" not in html
    assert item_signoff_url(project, "handoffs", signed_handoff) not in html

    client.force_login(olga[0])
    html = client.get(item_url(project, "handoffs", signed_handoff)).text
    assert "Your signature covers the current content." in html
    assert "Sign as Olga Owner" not in html  # no “Sign again” right after signing


def test_it_shows_what_changed_since_a_handoff_was_signed_and_who_changed_it(
    contributor_client, viewer_client, project, signed_handoff
):
    url = _edit_url(project, "handoffs", signed_handoff)
    data = edit_data("handoffs", signed_handoff, trigger="Order released", mechanism="email")
    contributor_client.post(url, {**data, "confirm_stale": "1"})

    html = viewer_client.get(item_url(project, "handoffs", signed_handoff)).text
    assert "<strong>Stale</strong> — signed by Olga Example as Olga Owner" in html
    changes = html.split('class="table compact changes"')[1].split("</table>")[0]
    rows = changes.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == 2
    trigger = next(r for r in rows if '<td data-label="Field">Trigger</td>' in r)
    assert '<td class="old" data-label="Signed">Order confirmed</td>' in trigger
    assert '<td class="new" data-label="Now">Order released</td>' in trigger
    assert "Contributor Example, " in trigger
    mechanism = next(r for r in rows if '<td data-label="Field">Mechanism</td>' in r)
    assert '<td class="old" data-label="Signed">Automated</td>' in mechanism
    assert '<td class="new" data-label="Now">Manual: e-mail</td>' in mechanism


def test_it_says_a_change_came_through_a_linked_record(
    lead_client, viewer_client, project, olga, signed_handoff
):
    """Renaming the receiving owner changes what was signed without touching the handoff."""
    owner = olga[1]
    url = _edit_url(project, "owners", owner)
    data = edit_data("owners", owner, name="Olga Smith")
    assert lead_client.post(url, {**data, "confirm_stale": "1"}).status_code == 302

    html = viewer_client.get(item_url(project, "handoffs", signed_handoff)).text
    changes = html.split('class="table compact changes"')[1].split("</table>")[0]
    assert '<td class="old" data-label="Signed">Olga Owner</td>' in changes
    assert '<td class="new" data-label="Now">Olga Smith</td>' in changes
    assert "through a linked record" in changes


def test_it_shows_the_signing_page_as_the_item_page(client, project, olga, signed_handoff):
    client.force_login(olga[0])
    response = client.get(item_signoff_url(project, "handoffs", signed_handoff))
    assert response.status_code == 200
    assert "<h1>Handoff: Order to warehouse</h1>" in response.text


# --- Queries ------------------------------------------------------------------------------


def test_it_costs_the_same_queries_for_a_short_and_a_long_history(
    client, project, olga, signed_handoff
):
    client.force_login(olga[0])
    url = item_url(project, "handoffs", signed_handoff)
    _grow_history(project, signed_handoff, 5, actor=olga[0])
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        assert client.get(url).status_code == 200
    _grow_history(project, signed_handoff, 75, actor=olga[0])
    client.get(url)  # the first visit after a change reviews the project again, once
    with CaptureQueriesContext(connection) as long:
        assert client.get(url).status_code == 200
    assert len(long) == len(short)
