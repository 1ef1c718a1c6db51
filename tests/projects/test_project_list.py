from django.urls import reverse

from readiness.projects.models import Role
from tests.factories import MembershipFactory


def test_it_counts_every_member_of_each_project(lead_client, project, contributor, viewer):
    MembershipFactory(project=project, role=Role.CONTRIBUTOR)
    response = lead_client.get(reverse("projects:list"))
    row = response.context["projects"].get(pk=project.pk)
    assert row.member_count == 4  # lead, contributor, viewer and one more


def test_it_shows_a_friendly_page_when_a_viewer_tries_to_change(viewer_client, project):
    response = viewer_client.get(reverse("projects:edit", kwargs={"slug": project.slug}))
    assert response.status_code == 403
    assert "Your role does not allow this" in response.text
