"""Members: leads add people by username or e-mail, change roles, and keep one lead."""

import pytest
from django.urls import reverse

from readiness.projects.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

LAST_LEAD = "A project needs at least one lead."


@pytest.fixture
def url(project):
    return reverse("projects:members", kwargs={"slug": project.slug})


def _membership(project, user):
    return Membership.objects.get(project=project, user=user)


def _role_url(project, membership):
    return reverse("projects:member-role", kwargs={"slug": project.slug, "pk": membership.pk})


def _remove_url(project, membership):
    return reverse("projects:member-remove", kwargs={"slug": project.slug, "pk": membership.pk})


def test_it_lists_members_with_roles(lead_client, url, contributor, viewer):
    html = lead_client.get(url).content.decode()
    for username in ("lead", "contributor", "viewer"):
        assert f"Role of {username}" in html


def test_it_adds_member_by_username(lead_client, project, url):
    UserFactory(username="newbie")
    response = lead_client.post(url, {"user": "newbie", "role": Role.CONTRIBUTOR})
    assert response.status_code == 302
    assert response["Location"] == url
    membership = Membership.objects.get(project=project, user__username="newbie")
    assert membership.role == Role.CONTRIBUTOR
    assert "newbie added as Contributor." in lead_client.get(url).content.decode()


def test_it_adds_member_by_email_ignoring_case(lead_client, project, url):
    UserFactory(username="newbie", email="new.bie@example.com")
    lead_client.post(url, {"user": "New.Bie@Example.com", "role": Role.VIEWER})
    assert Membership.objects.get(project=project, user__username="newbie").role == Role.VIEWER


def test_it_lets_outsider_become_member(lead_client, project, url, outsider, outsider_client):
    assert outsider_client.get(project.get_absolute_url()).status_code == 404
    lead_client.post(url, {"user": "outsider", "role": Role.VIEWER})
    assert outsider_client.get(project.get_absolute_url()).status_code == 200


def test_it_refuses_duplicate_member(lead_client, project, url, contributor):
    response = lead_client.post(url, {"user": "contributor", "role": Role.LEAD})
    assert response.status_code == 200
    assert response.context["add_form"].errors["user"] == ["contributor is already a member."]
    assert "contributor is already a member." in response.content.decode()
    assert _membership(project, contributor).role == Role.CONTRIBUTOR


@pytest.mark.parametrize("who", ["nobody-by-that-name", "nobody@example.com"])
def test_it_refuses_unknown_user(lead_client, project, url, who):
    response = lead_client.post(url, {"user": who, "role": Role.VIEWER})
    assert response.status_code == 200
    assert "No active account" in response.content.decode()
    assert project.memberships.count() == 1


def test_it_refuses_inactive_user(lead_client, project, url):
    UserFactory(username="gone", is_active=False)
    response = lead_client.post(url, {"user": "gone", "role": Role.VIEWER})
    assert "No active account" in response.content.decode()
    assert project.memberships.count() == 1


def test_it_changes_role(lead_client, project, url, contributor):
    membership = _membership(project, contributor)
    response = lead_client.post(_role_url(project, membership), {"role": Role.VIEWER})
    assert response.status_code == 302
    assert response["Location"] == url
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_it_refuses_invalid_role(lead_client, project, url, contributor):
    membership = _membership(project, contributor)
    lead_client.post(_role_url(project, membership), {"role": "emperor"})
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR
    assert "Choose a valid role." in lead_client.get(url).content.decode()


def test_it_refuses_demoting_the_last_lead(lead_client, project, url, lead):
    membership = _membership(project, lead)
    response = lead_client.post(_role_url(project, membership), {"role": Role.VIEWER})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.LEAD
    assert LAST_LEAD in response.content.decode()


def test_it_demotes_a_lead_when_another_lead_remains(lead_client, project, lead):
    MembershipFactory(project=project, role=Role.LEAD)
    membership = _membership(project, lead)
    lead_client.post(_role_url(project, membership), {"role": Role.CONTRIBUTOR})
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR


def test_it_refuses_removing_the_last_lead(lead_client, project, url, lead, contributor):
    membership = _membership(project, lead)
    response = lead_client.post(_remove_url(project, membership))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert LAST_LEAD in response.content.decode()


def test_it_keeps_a_refused_last_lead_on_the_members_page(lead_client, project, url, lead):
    response = lead_client.post(_remove_url(project, _membership(project, lead)))
    assert response.status_code == 403
    assert "Add member" in response.content.decode()  # the members page, not another


def test_it_removes_a_member(lead_client, project, url, contributor, client):
    membership = _membership(project, contributor)
    response = lead_client.post(_remove_url(project, membership))
    assert response.status_code == 302
    assert response["Location"] == url
    assert not Membership.objects.filter(pk=membership.pk).exists()
    client.force_login(contributor)
    assert client.get(project.get_absolute_url()).status_code == 404


def test_it_sends_a_lead_who_leaves_to_the_project_list(lead_client, project, lead):
    MembershipFactory(project=project, role=Role.LEAD)
    response = lead_client.post(_remove_url(project, _membership(project, lead)))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:list")
    assert not Membership.objects.filter(project=project, user=lead).exists()
