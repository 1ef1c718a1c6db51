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
