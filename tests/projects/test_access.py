"""Who may reach which project page: every view, every persona."""

import pytest
from django.urls import reverse

from readiness.projects.models import Membership, Project, Role

READ_PAGES = ["overview"]
# (url name, method) of every page that changes the project or its members.
CHANGE_PAGES = [
    ("edit", "get"),
    ("edit", "post"),
    ("members", "get"),
    ("members", "post"),
    ("member-role", "post"),
    ("member-remove", "post"),
]
ALL_PAGES = [(name, "get") for name in READ_PAGES] + CHANGE_PAGES


def _url(name, project, membership=None):
    kwargs = {"slug": project.slug}
    if name in {"member-role", "member-remove"}:
        kwargs["pk"] = membership.pk
    return reverse(f"projects:{name}", kwargs=kwargs)


def _post_data(name, project, new_member=None):
    if name == "edit":
        return {
            "name": "Renamed by someone who may not",
            "desired_outcome": project.desired_outcome,
            "plan_lock_date": project.plan_lock_date.isoformat(),
            "go_live_date": project.go_live_date.isoformat(),
            "lifecycle": project.lifecycle,
            "opened_version": project.version,
        }
    if name == "members":
        return {"user": new_member.username, "role": Role.LEAD}
    if name == "member-role":
        return {"role": Role.VIEWER}
    return {}


@pytest.fixture
def target(project, lead, contributor):
    """The membership the role/remove URLs point at: the contributor's."""
    return Membership.objects.get(project=project, user=contributor)


def _request(client, name, method, project, target, new_member=None):
    url = _url(name, project, target)
    if method == "get":
        return client.get(url)
    return client.post(url, _post_data(name, project, new_member))


@pytest.mark.parametrize(("name", "method"), ALL_PAGES)
def test_it_sends_anonymous_to_login(anonymous_client, project, target, name, method):
    url = _url(name, project, target)
    response = getattr(anonymous_client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(("name", "method"), ALL_PAGES)
def test_it_hides_project_from_outsider(outsider_client, project, target, name, method, outsider):
    response = _request(outsider_client, name, method, project, target, outsider)
    assert response.status_code == 404
    assert not Membership.objects.filter(project=project, user=outsider).exists()


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize("persona", ["viewer", "contributor", "lead"])
def test_it_shows_read_pages_to_members(request, project, target, name, persona):
    client = request.getfixturevalue(f"{persona}_client")
    response = client.get(_url(name, project, target))
    assert response.status_code == 200
    assert project.name in response.content.decode()


@pytest.mark.parametrize(("name", "method"), CHANGE_PAGES)
def test_it_refuses_viewer(viewer_client, project, target, name, method, outsider):
    response = _request(viewer_client, name, method, project, target, outsider)
    assert response.status_code == 403
    _assert_unchanged(project, target)


@pytest.mark.parametrize(("name", "method"), CHANGE_PAGES)
def test_it_refuses_contributor(contributor_client, project, target, name, method, outsider):
    response = _request(contributor_client, name, method, project, target, outsider)
    assert response.status_code == 403
    _assert_unchanged(project, target)


@pytest.mark.parametrize(("name", "method"), CHANGE_PAGES)
def test_it_allows_lead(lead_client, project, target, name, method, outsider):
    response = _request(lead_client, name, method, project, target, outsider)
    assert response.status_code == (200 if method == "get" else 302)


def test_it_shows_settings_and_members_links_only_to_lead(lead_client, viewer_client, project):
    settings_url = reverse("projects:edit", kwargs={"slug": project.slug})
    assert settings_url in lead_client.get(project.get_absolute_url()).content.decode()
    assert settings_url not in viewer_client.get(project.get_absolute_url()).content.decode()


def test_it_404s_membership_of_another_project(lead_client, project, lead, outsider):
    foreign = Membership.objects.get(user=outsider)
    for name in ("member-role", "member-remove"):
        url = reverse(f"projects:{name}", kwargs={"slug": project.slug, "pk": foreign.pk})
        assert lead_client.post(url, {"role": Role.VIEWER}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Role.LEAD


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_refuses_other_methods(lead_client, project, method):
    response = getattr(lead_client, method)(project.get_absolute_url())
    assert response.status_code == 405


def _assert_unchanged(project, target):
    fresh = Project.objects.get(pk=project.pk)
    assert (fresh.name, fresh.version) == (project.name, project.version)
    target.refresh_from_db()
    assert target.role == Role.CONTRIBUTOR
    assert not Membership.objects.filter(project=project, user__username="outsider").exists()


def test_it_sends_anonymous_from_project_list_to_login(anonymous_client):
    response = anonymous_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    url = reverse("projects:list")
    assert anonymous_client.get(url)["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("persona", ["viewer", "contributor", "lead"])
def test_it_lists_only_own_projects(request, project, other_project, persona):
    client = request.getfixturevalue(f"{persona}_client")
    html = client.get(reverse("projects:list")).content.decode()
    assert project.name in html
    assert other_project.name not in html
    assert f'<span class="tag">{persona.capitalize()}</span>' in html


def test_it_lists_only_outsiders_projects(outsider_client, project, other_project):
    html = outsider_client.get(reverse("projects:list")).content.decode()
    assert other_project.name in html
    assert project.name not in html
