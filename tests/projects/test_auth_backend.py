"""The session's user is read with the state of the user's projects in one statement, and kept
pages check that state: who may see a project and whether it changed."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.projects.auth import MemberBackend
from readiness.projects.models import Membership, Project, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_user_is_read_as_the_orm_reads_it_with_each_membership(lead, project, other_project):
    MembershipFactory(project=other_project, user=lead, role=Role.VIEWER)
    Project.objects.filter(pk=project.pk).update(revision=7, history_head="ab" * 32)
    revision = Project.objects.get(pk=other_project.pk).revision
    with CaptureQueriesContext(connection) as queries:
        user = MemberBackend().get_user(lead.pk)
    assert len(queries) == 1
    fresh = get_user_model().objects.get(pk=lead.pk)
    for field in fresh._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(fresh, field.attname), field.name
    assert user.membership_states == {
        project.slug: (project.pk, 7, "ab" * 32, Role.LEAD),
        other_project.slug: (other_project.pk, revision, "", Role.VIEWER),
    }


def test_a_user_with_no_project_has_no_states_and_unknown_or_inactive_users_none(lead, project):
    Membership.objects.filter(user=lead).delete()
    assert MemberBackend().get_user(lead.pk).membership_states == {}
    assert MemberBackend().get_user(lead.pk + 1000) is None
    assert MemberBackend().get_user("not a number") is None
    get_user_model().objects.filter(pk=lead.pk).update(is_active=False)
    assert MemberBackend().get_user(lead.pk) is None


def test_a_kept_page_costs_one_query_and_follows_membership_and_role(lead, lead_client, project):
    url = reverse("projects:members", args=[project.slug])
    assert lead_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as hit:
        response = lead_client.get(url)
    assert response.status_code == 200
    assert len(hit) == 1  # the user with their projects' state: nothing else
    assert "Add a member" in response.text

    Membership.objects.filter(user=lead).update(role=Role.VIEWER)
    assert "Add a member" not in lead_client.get(url).text  # not the lead's kept page
    Membership.objects.filter(user=lead).delete()
    assert lead_client.get(url).status_code == 404


def test_a_session_signed_in_before_the_backend_existed_still_works(lead, project):
    client = Client()
    client.force_login(lead, backend="readiness.core.auth.UserBackend")
    assert client.session[BACKEND_SESSION_KEY] == "readiness.core.auth.UserBackend"
    url = reverse("projects:members", args=[project.slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept, with the state read on its own
    assert client.get(reverse("projects:members", args=["contoso"])).status_code == 404
