"""Who may reach which register page: every view, every register, every persona."""

import pytest
from django.urls import reverse

from readiness.registers.specs import SPECS
from tests.factories import create_data, edit_data, make_item

KINDS = list(SPECS)
EDITABLE_BY_CONTRIBUTOR = [kind for kind in KINDS if kind != "owners"]
READS = ["list", "item-row"]
# (url name, method) of every register endpoint that changes something.
CHANGES = [
    ("item-create", "get"),
    ("item-create", "post"),
    ("item-edit", "get"),
    ("item-edit", "post"),
    ("item-delete", "get"),
    ("item-delete", "post"),
]
EVERYTHING = [(name, "get") for name in READS] + CHANGES
WITH_ITEM = [(name, method) for name, method in EVERYTHING if name not in {"list", "item-create"}]


@pytest.fixture
def item(request, project):
    return make_item(request.node.callspec.params["kind"], project)


def _url(name, kind, project, item):
    kwargs = {"slug": project.slug, "kind": kind}
    if name not in {"list", "item-create"}:
        kwargs["pk"] = item.pk
    return reverse(f"registers:{name}", kwargs=kwargs)


def _request(client, name, method, kind, project, item):
    url = _url(name, kind, project, item)
    if method == "get":
        return client.get(url)
    if name == "item-create":
        return client.post(url, create_data(kind))
    if name == "item-edit":
        return client.post(url, edit_data(kind, item))
    return client.post(url)


def _count(kind, project):
    return SPECS[kind].model.objects.filter(project=project).count()


def _assert_untouched(kind, project, item):
    fresh = type(item).objects.get(pk=item.pk)
    assert fresh.version == item.version
    assert _count(kind, project) == 1


@pytest.mark.parametrize(("name", "method"), EVERYTHING)
@pytest.mark.parametrize("kind", KINDS)
def test_it_sends_anonymous_to_login(anonymous_client, project, item, kind, name, method):
    url = _url(name, kind, project, item)
    response = getattr(anonymous_client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(("name", "method"), EVERYTHING)
@pytest.mark.parametrize("kind", KINDS)
def test_it_hides_project_from_outsider(outsider_client, project, item, kind, name, method):
    response = _request(outsider_client, name, method, kind, project, item)
    assert response.status_code == 404
    _assert_untouched(kind, project, item)


@pytest.mark.parametrize("name", READS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("persona", ["viewer", "contributor", "lead"])
def test_it_shows_registers_to_members(request, project, item, kind, name, persona):
    client = request.getfixturevalue(f"{persona}_client")
    response = client.get(_url(name, kind, project, item))
    assert response.status_code == 200
    assert f'id="row-{kind}-{item.pk}"' in response.content.decode()


@pytest.mark.parametrize(("name", "method"), CHANGES)
@pytest.mark.parametrize("kind", KINDS)
def test_it_refuses_viewer(viewer_client, project, item, kind, name, method):
    response = _request(viewer_client, name, method, kind, project, item)
    assert response.status_code == 403
    _assert_untouched(kind, project, item)


@pytest.mark.parametrize(("name", "method"), CHANGES)
def test_it_refuses_contributor_on_owners(contributor_client, project, name, method):
    item = make_item("owners", project)
    response = _request(contributor_client, name, method, "owners", project, item)
    assert response.status_code == 403
    _assert_untouched("owners", project, item)


@pytest.mark.parametrize(("name", "method"), CHANGES)
@pytest.mark.parametrize("kind", KINDS)
def test_it_allows_lead(lead_client, project, item, kind, name, method):
    response = _request(lead_client, name, method, kind, project, item)
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize("kind", EDITABLE_BY_CONTRIBUTOR)
def test_it_lets_contributor_create_edit_and_delete(contributor_client, project, item, kind):
    for name in ("item-create", "item-edit", "item-delete"):
        assert contributor_client.get(_url(name, kind, project, item)).status_code == 200

    response = _request(contributor_client, "item-create", "post", kind, project, item)
    assert response.status_code == 302, response.context["form"].errors
    assert _count(kind, project) == 2

    response = _request(contributor_client, "item-edit", "post", kind, project, item)
    assert response.status_code == 302, response.context["form"].errors
    assert type(item).objects.get(pk=item.pk).version == 2

    response = _request(contributor_client, "item-delete", "post", kind, project, item)
    assert response.status_code == 302
    assert not type(item).objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_it_shows_add_and_edit_buttons_only_to_those_who_may(request, project, item, kind):
    create_url = _url("item-create", kind, project, item)
    edit_url = _url("item-edit", kind, project, item)
    list_url = _url("list", kind, project, item)
    for persona in ("viewer", "contributor", "lead"):
        html = request.getfixturevalue(f"{persona}_client").get(list_url).content.decode()
        may = persona == "lead" or (persona == "contributor" and kind != "owners")
        assert (create_url in html) is may, persona
        assert (edit_url in html) is may, persona


@pytest.mark.parametrize(("name", "method"), WITH_ITEM)
@pytest.mark.parametrize("kind", KINDS)
def test_it_404s_item_of_another_project(lead_client, project, other_project, kind, name, method):
    foreign = make_item(kind, other_project)
    url = _url(name, kind, project, foreign)
    data = edit_data(kind, foreign) if name == "item-edit" else {}
    response = lead_client.get(url) if method == "get" else lead_client.post(url, data)
    assert response.status_code == 404
    fresh = type(foreign).objects.get(pk=foreign.pk)
    assert fresh.version == 1


@pytest.mark.parametrize("persona", ["viewer", "lead"])
def test_it_404s_unknown_register(request, project, persona):
    client = request.getfixturevalue(f"{persona}_client")
    url = reverse("registers:list", kwargs={"slug": project.slug, "kind": "spaceships"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_it_refuses_unsupported_methods(lead_client, project, item, kind):
    assert lead_client.post(_url("list", kind, project, item)).status_code == 405
    assert lead_client.post(_url("item-row", kind, project, item)).status_code == 405
    assert lead_client.put(_url("item-edit", kind, project, item)).status_code == 405
