"""Deleting register items: a confirm page without JavaScript, an empty swap with htmx."""

import pytest
from django.urls import reverse

from readiness.registers.models import DataElement, Duty, Handoff
from readiness.registers.specs import SPECS
from tests.factories import DataElementFactory, DutyFactory, HandoffFactory, make_item

KINDS = list(SPECS)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def item(request, project):
    return make_item(request.node.callspec.params["kind"], project)


def _url(project, kind, item):
    return reverse(
        "registers:item-delete", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk}
    )


def _exists(item):
    return type(item).objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_it_asks_for_confirmation(lead_client, project, kind, item):
    response = lead_client.get(_url(project, kind, item))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Delete {SPECS[kind].singular} “{item}”?" in html
    assert 'method="post"' in html
    assert _exists(item)


@pytest.mark.parametrize("kind", KINDS)
def test_it_deletes_and_redirects_to_list(lead_client, project, kind, item):
    response = lead_client.post(_url(project, kind, item))
    list_url = reverse("registers:list", kwargs={"slug": project.slug, "kind": kind})
    assert response.status_code == 302
    assert response["Location"] == list_url
    assert not _exists(item)
    assert f"“{item}” deleted." in lead_client.get(list_url).content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_an_htmx_delete_leaves_a_row_that_offers_undo(lead_client, project, kind, item):
    response = lead_client.post(_url(project, kind, item), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}" class="deleted">')
    assert f"Deleted {SPECS[kind].singular} “{item}”." in html
    undo = reverse(
        "registers:item-undo-delete", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk}
    )
    assert f'hx-post="{undo}"' in html
    assert f'<div id="live-status" hx-swap-oob="innerHTML">Deleted — {item}</div>' in html
    assert not _exists(item)


@pytest.mark.parametrize("kind", KINDS)
def test_an_htmx_delete_asks_in_the_row_first(lead_client, project, kind, item):
    response = lead_client.get(_url(project, kind, item), headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}" class="asking">')
    assert f"Delete {SPECS[kind].singular} “{item}”?" in html
    assert f'hx-post="{_url(project, kind, item)}"' in html
    assert "<html" not in html
    assert _exists(item)


def test_the_question_in_the_row_names_the_duties_that_go_with_a_handoff(lead_client, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    duty = DutyFactory(project=project, handoff=handoff)
    html = lead_client.get(_url(project, "handoffs", handoff), headers=HTMX).text
    assert f"1 other item goes with it: {duty}." in html
    assert f'<input type="hidden" name="also" value="{duty}">' in html
    assert "Delete all 2" in html


def test_it_clears_links_to_a_deleted_owner(lead_client, project):
    steward = make_item("owners", project)
    element = DataElementFactory(project=project, steward=steward)
    lead_client.post(_url(project, "owners", steward))
    element.refresh_from_db()
    assert element.steward is None


def test_it_deletes_duties_of_a_deleted_handoff_once_confirmed(lead_client, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    element = DataElementFactory(project=project)
    handoff.data_elements.add(element)
    duty = DutyFactory(project=project, handoff=handoff)
    lead_client.post(_url(project, "handoffs", handoff), {"also": [str(duty)]})
    assert not Handoff.objects.exists()
    assert not Duty.objects.exists()
    assert DataElement.objects.get() == element


def test_it_names_the_duties_that_go_with_a_handoff_and_asks(lead_client, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    duty = DutyFactory(project=project, handoff=handoff)

    page = lead_client.get(_url(project, "handoffs", handoff)).text
    assert "1 other item will be deleted with it" in page
    assert str(duty) in page
    assert "Delete it and 1 other item" in page

    # A post that did not confirm them (an old form, a script) deletes nothing and asks.
    response = lead_client.post(_url(project, "handoffs", handoff))
    assert response.status_code == 409
    assert str(duty) in response.text
    assert Handoff.objects.exists() and Duty.objects.exists()


def test_an_htmx_delete_of_a_handoff_with_duties_goes_to_the_question(lead_client, project):
    handoff = HandoffFactory(project=project)
    DutyFactory(project=project, handoff=handoff)
    response = lead_client.post(_url(project, "handoffs", handoff), headers=HTMX)
    assert response["HX-Redirect"] == _url(project, "handoffs", handoff)
    assert Duty.objects.exists()
