"""Adding register items, as a plain form post and inline through htmx."""

import pytest
from django.urls import reverse

from readiness.registers.models import DataElement, Duty, DutyKind, ExceptionCase
from readiness.registers.specs import SPECS
from tests.factories import OwnerFactory, SystemFactory, create_data, make_item

KINDS = list(SPECS)


def _form_kinds(kinds=KINDS):
    return list(kinds)


HTMX = {"HX-Request": "true"}
# A change that makes each register's create form invalid, and a field the user typed.
INVALID = {
    "data-elements": ({"name": "", "definition": "Typed before the error"}, "name"),
    "handoffs": ({"name": "", "trigger": "Typed before the error"}, "name"),
    "exceptions": ({"name": "", "scenario": "Typed before the error"}, "name"),
    "reports": ({"name": "", "business_question": "Typed before the error"}, "name"),
    "duties": ({"kind": "", "notes": "Typed before the error"}, "kind"),
    "owners": ({"name": "", "team": "Typed before the error"}, "name"),
    "systems": ({"name": "", "vendor": "Typed before the error"}, "name"),
    "blackouts": ({"name": "Typed before the error", "ends_on": "2031-01-01"}, "ends_on"),
}


def _url(project, kind):
    return reverse("registers:item-create", kwargs={"slug": project.slug, "kind": kind})


def _list_url(project, kind):
    return reverse("registers:list", kwargs={"slug": project.slug, "kind": kind})


def _items(project, kind):
    return SPECS[kind].model.objects.filter(project=project)


@pytest.mark.parametrize("kind", _form_kinds())
def test_it_shows_empty_form(lead_client, project, kind):
    html = lead_client.get(_url(project, kind)).content.decode()
    assert "<html" in html
    field = "kind" if kind == "duties" else "name"
    assert f'name="item-new-{field}"' in html


@pytest.mark.parametrize("kind", _form_kinds())
def test_it_shows_inline_form_row_to_htmx(lead_client, project, kind):
    response = lead_client.get(_url(project, kind), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{kind}-new"')
    assert "<html" not in html
    assert f'hx-post="{_url(project, kind)}"' in html


@pytest.mark.parametrize("kind", KINDS)
def test_it_creates_and_redirects_to_list(lead_client, project, kind):
    response = lead_client.post(_url(project, kind), create_data(kind))
    assert response.status_code == 302
    assert response["Location"] == _list_url(project, kind)
    item = _items(project, kind).get()
    assert item.version == 1
    html = lead_client.get(response["Location"]).content.decode()
    assert f"“{item}” added." in html


@pytest.mark.parametrize("kind", KINDS)
def test_it_creates_and_returns_row_to_htmx(lead_client, project, kind):
    response = lead_client.post(_url(project, kind), create_data(kind), headers=HTMX)
    item = _items(project, kind).get()
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{kind}-{item.pk}"')
    assert "<html" not in html
    assert str(item) in html


@pytest.mark.parametrize("kind", _form_kinds())
def test_it_rerenders_invalid_form_with_input_kept(lead_client, project, kind):
    changes, field = INVALID[kind]
    response = lead_client.post(_url(project, kind), create_data(kind, **changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert field in response.context["form"].errors
    assert f'id="id_item-new-{field}_error"' in html
    assert "Typed before the error" in html
    assert not _items(project, kind).exists()


@pytest.mark.parametrize("kind", _form_kinds())
def test_it_rerenders_invalid_form_row_to_htmx(lead_client, project, kind):
    changes, field = INVALID[kind]
    response = lead_client.post(_url(project, kind), create_data(kind, **changes), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{kind}-new"')
    assert "<html" not in html
    assert f'id="id_item-new-{field}_error"' in html
    assert "Typed before the error" in html
    assert not _items(project, kind).exists()


@pytest.mark.parametrize("kind", _form_kinds([k for k in KINDS if k != "duties"]))
def test_it_refuses_duplicate_name_in_project_ignoring_case(lead_client, project, kind):
    make_item(kind, project, name="Customer")
    response = lead_client.post(_url(project, kind), create_data(kind, name="customer "))
    assert response.status_code == 200
    errors = response.context["form"].errors["name"]
    assert errors == [
        f"There is already a {SPECS[kind].model._meta.verbose_name} called “customer” "
        "in this project."
    ]
    assert 'id="id_item-new-name_error"' in response.content.decode()
    assert _items(project, kind).count() == 1


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "duties"])
def test_it_allows_name_used_in_another_project(lead_client, project, other_project, kind):
    make_item(kind, other_project, name="Customer")
    response = lead_client.post(_url(project, kind), create_data(kind, name="Customer"))
    assert response.status_code == 302
    assert _items(project, kind).get().name == "Customer"


def test_it_refuses_second_project_wide_duty(lead_client, project):
    make_item("duties", project, kind=DutyKind.APPROVE_CHANGES, handoff=None)
    response = lead_client.post(_url(project, "duties"), create_data("duties"))
    assert response.status_code == 200
    assert "This project-wide duty already exists." in response.content.decode()
    assert Duty.objects.filter(project=project).count() == 1


def test_it_allows_same_duty_on_a_handoff(lead_client, project):
    make_item("duties", project, kind=DutyKind.APPROVE_CHANGES, handoff=None)
    handoff = make_item("handoffs", project)
    data = create_data("duties", handoff=handoff.pk)
    assert lead_client.post(_url(project, "duties"), data).status_code == 302
    assert Duty.objects.filter(project=project, handoff=handoff).exists()


def test_it_refuses_owner_of_another_project_as_steward(lead_client, project, other_project):
    foreign_owner = OwnerFactory(project=other_project)
    data = create_data("data-elements", steward=foreign_owner.pk)
    response = lead_client.post(_url(project, "data-elements"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["steward"][0]
    assert not DataElement.objects.exists()


def test_it_refuses_system_of_another_project_as_consumer(lead_client, project, other_project):
    mine, theirs = SystemFactory(project=project), SystemFactory(project=other_project)
    data = create_data("data-elements", consuming_systems=[mine.pk, theirs.pk])
    response = lead_client.post(_url(project, "data-elements"), data)
    assert response.status_code == 200
    assert "consuming_systems" in response.context["form"].errors
    assert not DataElement.objects.exists()


def test_it_offers_only_this_projects_choices(lead_client, project, other_project):
    OwnerFactory(project=project, name="Our steward")
    OwnerFactory(project=other_project, name="Their steward")
    SystemFactory(project=other_project, name="Their ERP")
    html = lead_client.get(_url(project, "data-elements")).content.decode()
    assert "Our steward" in html
    assert "Their steward" not in html
    assert "Their ERP" not in html


def test_it_saves_links_to_systems_and_owner(lead_client, project):
    owner = OwnerFactory(project=project)
    erp, crm = SystemFactory(project=project), SystemFactory(project=project)
    data = create_data(
        "data-elements",
        steward=owner.pk,
        system_of_truth=erp.pk,
        consuming_systems=[erp.pk, crm.pk],
        truth_disputed="on",
    )
    lead_client.post(_url(project, "data-elements"), data)
    item = DataElement.objects.get()
    assert (item.steward, item.system_of_truth, item.truth_disputed) == (owner, erp, True)
    assert set(item.consuming_systems.all()) == {erp, crm}


def test_it_offers_only_members_as_owner_accounts(lead_client, project, contributor, outsider):
    response = lead_client.get(_url(project, "owners"))
    choices = {str(u) for u in response.context["form"].fields["user"].queryset}
    assert choices == {"lead", "contributor"}
    data = create_data("owners", user=outsider.pk)
    response = lead_client.post(_url(project, "owners"), data)
    assert "user" in response.context["form"].errors


def test_it_refuses_linking_a_user_to_two_owners(lead_client, project, contributor):
    OwnerFactory(project=project, user=contributor)
    response = lead_client.post(_url(project, "owners"), create_data("owners", user=contributor.pk))
    assert response.status_code == 200
    assert "This user is already linked to another owner here." in response.content.decode()


def test_it_ignores_a_test_status_posted_with_a_new_exception(lead_client, project):
    """A case's test status is its latest test run: a crafted POST cannot set it."""
    data = create_data("exceptions", test_status="passed", tested_on="2030-01-15")
    assert lead_client.post(_url(project, "exceptions"), data).status_code == 302
    case = ExceptionCase.objects.get(project=project)
    assert (case.test_status, case.tested_on) == ("untested", None)


def test_it_renders_compact_textareas_in_inline_forms(lead_client, project):
    html = lead_client.get(_url(project, "data-elements"), headers=HTMX).content.decode()
    assert 'name="item-new-definition" cols="40" rows="2"' in html
