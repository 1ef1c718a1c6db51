"""Entering items by hand quickly: save and add another, checkbox lists, plain empty labels."""

import pytest
from django.urls import reverse

from readiness.registers.forms import HandoffForm
from readiness.registers.specs import SPECS
from tests.factories import DataElementFactory, SystemFactory, create_data

HTMX = {"HX-Request": "true"}


def _url(project, kind):
    return reverse("registers:item-create", kwargs={"slug": project.slug, "kind": kind})


def test_save_and_add_another_returns_to_an_empty_form(contributor_client, project):
    data = {**create_data("systems"), "then": "add"}
    response = contributor_client.post(_url(project, "systems"), data)
    assert response.status_code == 302
    assert response["Location"] == _url(project, "systems")
    assert SPECS["systems"].model.objects.filter(project=project).count() == 1
    page = contributor_client.get(response["Location"]).content.decode()
    assert "added. Add the next one." in page


def test_save_and_add_another_inline_shows_the_row_and_a_new_form(contributor_client, project):
    data = {**create_data("systems", name="ERP"), "then": "add"}
    html = contributor_client.post(_url(project, "systems"), data, headers=HTMX).content.decode()
    item = SPECS["systems"].model.objects.get(project=project)
    assert html.lstrip().startswith(f'<tr id="row-systems-{item.pk}"')
    assert '<tr id="row-systems-new"' in html
    assert 'name="item-new-name"' in html and 'value="ERP"' not in html


@pytest.mark.parametrize("kind", list(SPECS))
def test_forms_show_no_dashes_for_an_empty_choice(lead_client, project, kind):
    html = lead_client.get(_url(project, kind)).content.decode()
    assert "---------" not in html
    assert "Save and add another" in html


def test_many_to_many_fields_are_checkbox_lists_with_the_checked_first(lead_client, project):
    SystemFactory(project=project, name="Alpha")
    SystemFactory(project=project, name="Zulu")
    element = DataElementFactory(project=project, name="Customer")
    element.consuming_systems.set(SystemFactory._meta.model.objects.filter(name="Zulu"))
    url = reverse("registers:item-edit", args=[project.slug, "data-elements", element.pk])
    html = lead_client.get(url).content.decode()
    start = html.index(f'<div class="checklist" id="id_item-{element.pk}-consuming_systems"')
    checklist = html[start : html.index("</div>", start)]
    assert checklist.count('type="checkbox"') == 2
    assert checklist.index("Zulu") < checklist.index("Alpha")
    assert "checked" in checklist.split("Alpha")[0]


def test_handoff_form_puts_from_beside_to():
    names = list(HandoffForm.base_fields)
    form = HandoffForm.__new__(HandoffForm)
    form.fields = dict(HandoffForm.base_fields)
    form.order_fields(HandoffForm.field_order)
    order = list(form.fields)
    assert order.index("to_system") == order.index("from_system") + 1
    assert order.index("to_team") == order.index("from_team") + 1
    assert set(order) == set(names)


def _quick(project, kind):
    return reverse("registers:item-quick-add", kwargs={"slug": project.slug, "kind": kind})


QUICK = {
    "quick-name": "Legacy ERP",
    "field": "item-new-from_system",
    "target": "id_item-new-from_system",
}


def test_it_adds_a_system_from_the_field_and_returns_it_selected(contributor_client, project):
    response = contributor_client.post(_quick(project, "systems"), QUICK, headers=HTMX)
    system = SPECS["systems"].model.objects.get(project=project)
    assert system.name == "Legacy ERP"
    assert response.content.decode().strip() == (
        f'<option value="{system.pk}" selected>Legacy ERP</option>'
    )
    assert project.activity.filter(target_kind="systems", action="created").exists()


def test_it_adds_an_owner_to_a_checkbox_list_checked(lead_client, project):
    data = {"quick-name": "Nadia Park", "field": "item-new-x", "target": "t", "multiple": "1"}
    html = lead_client.post(_quick(project, "owners"), data, headers=HTMX).content.decode()
    owner = SPECS["owners"].model.objects.get(project=project)
    assert f'name="item-new-x" value="{owner.pk}"' in html and "checked" in html
    assert owner.kind == "business"


def test_it_says_why_it_cannot_add_one(contributor_client, project):
    SystemFactory(project=project, name="Legacy ERP")
    response = contributor_client.post(_quick(project, "systems"), QUICK, headers=HTMX)
    assert response["HX-Retarget"] == "#quick-error-id_item-new-from_system"
    assert "already a system called" in response.content.decode()


@pytest.mark.parametrize(
    ("client_name", "kind", "status"),
    [
        ("outsider_client", "systems", 404),
        ("viewer_client", "systems", 403),
        ("contributor_client", "owners", 403),
    ],
)
def test_it_refuses_quick_adds_to_those_who_may_not(request, project, client_name, kind, status):
    client = request.getfixturevalue(client_name)
    assert client.post(_quick(project, kind), QUICK).status_code == status
    assert not SPECS[kind].model.objects.filter(project=project).exists()


def test_it_offers_quick_adds_only_where_allowed(contributor_client, lead_client, project):
    url = _url(project, "handoffs")
    contributor = contributor_client.get(url).content.decode()
    assert _quick(project, "systems") in contributor
    assert _quick(project, "owners") not in contributor
    assert _quick(project, "owners") in lead_client.get(url).content.decode()
