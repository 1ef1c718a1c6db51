"""Project settings: leads edit them, with the same date rules and stale-edit protection."""

import pytest
from django.urls import reverse

from readiness.projects.models import Project
from tests.factories import project_settings_data


@pytest.fixture
def url(project):
    return reverse("projects:edit", kwargs={"slug": project.slug})


def test_it_shows_current_values_and_version(lead_client, project, url):
    html = lead_client.get(url).content.decode()
    assert f'value="{project.name}"' in html
    assert 'name="opened_version" value="1"' in html


def test_it_saves_and_bumps_version(lead_client, project, url):
    response = lead_client.post(
        url, project_settings_data(project, breakage_plan="Call the ERP desk.")
    )
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    project.refresh_from_db()
    assert (project.breakage_plan, project.version) == ("Call the ERP desk.", 2)
    assert project.slug == "northwind"


def test_it_refuses_plan_lock_after_go_live(lead_client, project, url):
    bad = project_settings_data(
        project,
        plan_lock_date=project.go_live_date.replace(year=project.go_live_date.year + 1).isoformat(),
    )
    response = lead_client.post(url, bad)
    assert response.status_code == 200
    assert "plan_lock_date" in response.context["form"].errors
    assert Project.objects.get(pk=project.pk).plan_lock_date == project.plan_lock_date


def test_it_refuses_stale_settings(lead_client, project, url):
    opened = project_settings_data(project, breakage_plan="Mine")
    Project.objects.filter(pk=project.pk).update(breakage_plan="Theirs", version=2)
    response = lead_client.post(url, opened)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed by someone else since you opened it" in html
    assert "Mine" in html
    project.refresh_from_db()
    assert (project.breakage_plan, project.version) == ("Theirs", 2)
