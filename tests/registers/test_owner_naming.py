"""Who may name owners: the receiving owner, decision owner and steward of an item are a lead's
to set (and recorded); anyone else sees them, read-only, and a crafted POST cannot change them."""

import pytest
from django.urls import reverse

from readiness.registers.models import DataElement, ExceptionCase, Handoff
from tests.factories import OwnerFactory, create_data, edit_data
from tests.reviews.support import HTMX, clean_exception, clean_handoff

FIELDS = {
    "handoffs": "receiving_owner",
    "exceptions": "decision_owner",
    "data-elements": "steward",
}


@pytest.fixture
def owners(project):
    return OwnerFactory(project=project, name="Olivia Grant"), OwnerFactory(
        project=project, name="Otto Other"
    )


def _item(kind, project, owner):
    if kind == "handoffs":
        return clean_handoff(project, owner, name="Order to warehouse")
    if kind == "exceptions":
        return clean_exception(project, owner, name="Credit above invoice")
    return DataElement.objects.create(project=project, name="Customer", steward=owner)


def _edit_url(project, kind, item):
    return reverse(
        "registers:item-edit", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk}
    )


@pytest.mark.parametrize("kind", list(FIELDS))
@pytest.mark.parametrize("htmx", [False, True])
def test_a_contributor_cannot_change_who_owns_an_item(
    contributor_client, project, owners, kind, htmx
):
    olivia, otto = owners
    item = _item(kind, project, olivia)
    field = FIELDS[kind]
    form_html = contributor_client.get(_edit_url(project, kind, item)).text
    assert f'name="item-{item.pk}-{field}"' in form_html and "disabled" in form_html
    assert "Only a project lead names or changes this." in form_html

    data = edit_data(kind, item, **{field: otto.pk, "name": "Renamed"})
    response = contributor_client.post(
        _edit_url(project, kind, item), data, headers=HTMX if htmx else {}
    )
    assert response.status_code in (200, 302)
    item.refresh_from_db()
    assert (item.name, getattr(item, field)) == ("Renamed", olivia)


@pytest.mark.parametrize("kind", list(FIELDS))
def test_a_lead_changes_who_owns_an_item_and_it_is_recorded(lead_client, project, owners, kind):
    olivia, otto = owners
    item = _item(kind, project, olivia)
    field = FIELDS[kind]
    data = edit_data(kind, item, **{field: otto.pk})
    assert lead_client.post(_edit_url(project, kind, item), data).status_code == 302
    item.refresh_from_db()
    assert getattr(item, field) == otto
    entry = project.activity.order_by("-seq").first()
    assert {c["field"]: (c["old"], c["new"]) for c in entry.changes}[field] == (
        "Olivia Grant",
        "Otto Other",
    )


def test_a_contributor_creates_items_without_naming_their_owner(
    contributor_client, project, owners
):
    olivia, _ = owners
    url = reverse("registers:item-create", kwargs={"slug": project.slug, "kind": "handoffs"})
    data = create_data("handoffs", name="New handoff", receiving_owner=olivia.pk)
    assert contributor_client.post(url, data).status_code == 302
    assert Handoff.objects.get(name="New handoff").receiving_owner is None
    assert not ExceptionCase.objects.exists()
