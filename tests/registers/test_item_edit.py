"""Editing register items in place, and refusing edits made on a stale version."""

import pytest
from django.urls import reverse

from readiness.registers.models import DataElement
from readiness.registers.specs import SPECS
from tests.factories import DataElementFactory, OwnerFactory, edit_data, make_item

KINDS = list(SPECS)
HTMX = {"HX-Request": "true"}
CONFLICT = "changed by someone else since you opened it"
# A text field each register shows in its row, to change in an edit.
SHOWN = {
    "data-elements": "name",
    "handoffs": "name",
    "exceptions": "name",
    "reports": "name",
    "duties": "notes",
    "owners": "name",
    "systems": "name",
    "blackouts": "name",
}


@pytest.fixture
def item(request, project):
    return make_item(request.node.callspec.params["kind"], project)


def _url(project, kind, item, name="item-edit"):
    return reverse(f"registers:{name}", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk})


def _list_url(project, kind):
    return reverse("registers:list", kwargs={"slug": project.slug, "kind": kind})


def _fresh(item):
    return type(item).objects.get(pk=item.pk)


@pytest.mark.parametrize("kind", KINDS)
def test_it_shows_form_with_prefixed_fields_and_version(lead_client, project, kind, item):
    html = lead_client.get(_url(project, kind, item)).content.decode()
    field = SHOWN[kind]
    assert "<html" in html
    assert f'name="item-{item.pk}-{field}"' in html
    assert f'name="item-{item.pk}-opened_version" value="1"' in html


@pytest.mark.parametrize("kind", KINDS)
def test_it_turns_row_into_form_for_htmx(lead_client, project, kind, item):
    response = lead_client.get(_url(project, kind, item), headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}" class="editing"')
    assert "<html" not in html
    assert f'hx-post="{_url(project, kind, item)}"' in html
    assert f'hx-get="{_url(project, kind, item, "item-row")}"' in html  # Cancel


@pytest.mark.parametrize("kind", KINDS)
def test_it_saves_and_redirects_to_list(lead_client, project, kind, item):
    field = SHOWN[kind]
    response = lead_client.post(
        _url(project, kind, item), edit_data(kind, item, **{field: "Edited text"})
    )
    assert response.status_code == 302
    assert response["Location"] == _list_url(project, kind)
    fresh = _fresh(item)
    assert (getattr(fresh, field), fresh.version) == ("Edited text", 2)
    assert f"“{fresh}” saved." in lead_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_it_saves_and_returns_row_to_htmx(lead_client, project, kind, item):
    field = SHOWN[kind]
    response = lead_client.post(
        _url(project, kind, item), edit_data(kind, item, **{field: "Edited text"}), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    # The saved row takes the focus back (its Edit control), and the page hears it was saved.
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}" data-take-focus="edit">')
    assert "<html" not in html
    assert "Edited text" in html
    assert f'<div id="live-status" hx-swap-oob="innerHTML">Saved — {_fresh(item)}</div>' in html
    assert 'id="verdict-bar" hx-swap-oob="true"' in html
    assert getattr(_fresh(item), field) == "Edited text"


# Duties have no name; blackout periods have no free text beside their name.
@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind not in ("duties", "blackouts")])
def test_it_rerenders_invalid_edit_with_input_kept(lead_client, project, kind, item):
    data = edit_data(kind, item, name="")
    text_field = {
        "data-elements": "definition",
        "handoffs": "trigger",
        "exceptions": "scenario",
        "reports": "business_question",
        "owners": "team",
        "systems": "vendor",
    }[kind]
    data[f"item-{item.pk}-{text_field}"] = "Typed before the error"
    response = lead_client.post(_url(project, kind, item), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert f'id="id_item-{item.pk}-name_error"' in html
    assert "Typed before the error" in html
    fresh = _fresh(item)
    assert (fresh.name, fresh.version) == (item.name, 1)


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "duties"])
def test_it_rerenders_invalid_form_row_to_htmx(lead_client, project, kind, item):
    response = lead_client.post(
        _url(project, kind, item), edit_data(kind, item, name=""), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}" class="editing"')
    assert "<html" not in html
    assert f'id="id_item-{item.pk}-name_error"' in html
    assert _fresh(item).version == 1


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "duties"])
def test_it_refuses_renaming_onto_another_items_name(lead_client, project, kind, item):
    make_item(kind, project, name="Taken")
    response = lead_client.post(_url(project, kind, item), edit_data(kind, item, name="TAKEN"))
    assert response.status_code == 200
    assert "already" in response.context["form"].errors["name"][0]
    assert _fresh(item).name == item.name


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "duties"])
def test_it_keeps_own_name_on_save(lead_client, project, kind, item):
    response = lead_client.post(_url(project, kind, item), edit_data(kind, item))
    assert response.status_code == 302
    assert _fresh(item).version == 2


def test_it_refuses_owner_of_another_project_as_steward(lead_client, project, other_project):
    item = DataElementFactory(project=project)
    foreign = OwnerFactory(project=other_project)
    data = edit_data("data-elements", item, steward=foreign.pk)
    response = lead_client.post(_url(project, "data-elements", item), data)
    assert response.status_code == 200
    assert "steward" in response.context["form"].errors
    assert _fresh(item).steward is None


class TestStaleEdit:
    """Two people open the same item; the second save must not overwrite the first."""

    @pytest.fixture
    def item(self, project):
        return DataElementFactory(project=project, name="Customer", definition="Original")

    @pytest.fixture
    def opened(self, lead_client, project, item):
        html = lead_client.get(_url(project, "data-elements", item)).content.decode()
        assert f'name="item-{item.pk}-opened_version" value="1"' in html
        return edit_data("data-elements", item, name="Customer (mine)", definition="My text")

    @pytest.fixture
    def saved_by_other(self, contributor_client, project, item):
        theirs = edit_data("data-elements", item, name="Customer (theirs)")
        response = contributor_client.post(_url(project, "data-elements", item), theirs)
        assert response.status_code == 302
        assert _fresh(item).version == 2

    @pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
    def test_it_refuses_stale_edit(
        self, lead_client, project, item, opened, saved_by_other, headers
    ):
        response = lead_client.post(_url(project, "data-elements", item), opened, headers=headers)
        html = response.content.decode()
        assert response.status_code == 200
        assert CONFLICT in html
        assert 'value="Customer (mine)"' in html
        assert "My text" in html
        fresh = _fresh(item)
        assert (fresh.name, fresh.definition, fresh.version) == (
            "Customer (theirs)",
            "Original",
            2,
        )

    def test_it_saves_after_reopening(self, lead_client, project, item, saved_by_other):
        data = edit_data("data-elements", _fresh(item), definition="My text")
        assert data[f"item-{item.pk}-opened_version"] == 2
        response = lead_client.post(_url(project, "data-elements", item), data)
        assert response.status_code == 302
        fresh = _fresh(item)
        assert (fresh.name, fresh.definition, fresh.version) == ("Customer (theirs)", "My text", 3)

    def test_it_treats_missing_version_as_stale(self, lead_client, project, item):
        data = edit_data("data-elements", item, name="No version")
        del data[f"item-{item.pk}-opened_version"]
        response = lead_client.post(_url(project, "data-elements", item), data)
        assert CONFLICT in response.content.decode()
        assert _fresh(item).name == "Customer"


@pytest.mark.parametrize("kind", KINDS)
def test_it_returns_display_row_for_cancel(lead_client, project, kind, item):
    response = lead_client.get(_url(project, kind, item, "item-row"), headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}" data-take-focus="edit">')
    assert "<html" not in html


def test_it_updates_links(lead_client, project):
    item = DataElementFactory(project=project)
    owner = OwnerFactory(project=project, name="Grace Hopper")
    data = edit_data("data-elements", item, steward=owner.pk, criticality="minor")
    response = lead_client.post(_url(project, "data-elements", item), data, headers=HTMX)
    assert "Grace Hopper" in response.content.decode()
    fresh = DataElement.objects.get(pk=item.pk)
    assert (fresh.steward, fresh.criticality) == (owner, "minor")
