"""One time zone per project: stored, edited by a lead, shown on its pages and in its dossier."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from readiness.dossiers.rendering import render_html, render_pdf
from readiness.dossiers.snapshot import build_snapshot
from readiness.projects.activity import activity_record
from readiness.projects.models import ActivityAction, ActivityEntry, Project
from readiness.reviews.models import SignOff
from tests.dossiers.support import fill_project, pdf_text
from tests.factories import DataElementFactory, project_settings_data

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
BEFORE, AFTER = ("projects", "0007_activity_restored"), ("projects", "0008_project_time_zone")


def _in_new_york(project) -> Project:
    Project.objects.filter(pk=project.pk).update(time_zone="America/New_York")
    return Project.objects.get(pk=project.pk)


def _new_york_time(moment) -> str:
    local = moment.astimezone(NEW_YORK)
    return f"{local:%-d %b %Y, %H:%M} {local.tzname()}"


def test_a_new_project_gets_the_sites_zone(project, settings):
    assert project.time_zone == settings.TIME_ZONE


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_projects_the_sites_zone(settings):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("projects", "Project")
    row = old.objects.create(
        name="Old rollout",
        slug="old-rollout",
        desired_outcome="Faster invoicing",
        go_live_date="2027-02-01",
        plan_lock_date="2027-01-01",
    )
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Project.objects.get(pk=row.pk).time_zone == settings.TIME_ZONE


def test_a_lead_sets_the_zone_in_the_settings(lead_client, project):
    url = reverse("projects:edit", kwargs={"slug": project.slug})
    assert 'value="America/New_York"' in lead_client.get(url).content.decode()
    response = lead_client.post(url, project_settings_data(project, time_zone="America/New_York"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.time_zone == "America/New_York"
    entry = project.activity.order_by("-seq").first()
    assert "time zone" in entry.summary.lower()


def test_it_refuses_a_zone_that_does_not_exist(lead_client, project):
    url = reverse("projects:edit", kwargs={"slug": project.slug})
    response = lead_client.post(url, project_settings_data(project, time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert Project.objects.get(pk=project.pk).time_zone != "Mars/Olympus_Mons"


def test_the_model_refuses_a_zone_that_does_not_exist(project):
    project.time_zone = "Europe/Atlantis"
    with pytest.raises(Exception, match="not a time zone name"):
        project.full_clean()


def test_a_viewer_cannot_change_the_zone(viewer_client, project):
    url = reverse("projects:edit", kwargs={"slug": project.slug})
    response = viewer_client.post(url, project_settings_data(project, time_zone="America/New_York"))
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).time_zone != "America/New_York"


def _entry_at(project, user, moment, item):
    """A recorded change to `item`, dated `moment` (its time set after the one write path)."""
    entry = activity_record(
        project=project,
        actor=user,
        action=ActivityAction.CHANGED,
        target_kind="data-elements",
        target_id=item.pk,
        target_name=item.name,
        summary=f"changed the data element {item.name}",
    )
    ActivityEntry.objects.filter(pk=entry.pk).update(at=moment)
    return entry


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (dt.datetime(2026, 11, 25, 19, 5, tzinfo=dt.UTC), "25 Nov 2026, 14:05 EST"),
        (dt.datetime(2026, 7, 1, 3, 30, tzinfo=dt.UTC), "30 Jun 2026, 23:30 EDT"),
    ],
)
def test_pages_show_times_in_the_projects_zone_with_its_name(
    lead, lead_client, project, moment, shown
):
    project = _in_new_york(project)
    element = DataElementFactory(project=project, name="Customer")
    _entry_at(project, lead, moment, element)
    for url in (
        reverse("projects:activity", kwargs={"slug": project.slug}),
        reverse(
            "reviews:item", kwargs={"slug": project.slug, "kind": "data-elements", "pk": element.pk}
        ),
        project.get_absolute_url(),
    ):
        assert shown in lead_client.get(url).content.decode(), url
    # The zone does not outlive the request.
    assert timezone.get_current_timezone_name() == timezone.get_default_timezone_name()


def test_another_projects_page_keeps_its_own_zone(lead, lead_client, project):
    element = DataElementFactory(project=project, name="Customer")
    _entry_at(project, lead, dt.datetime(2026, 11, 25, 19, 5, tzinfo=dt.UTC), element)
    html = lead_client.get(reverse("projects:activity", kwargs={"slug": project.slug})).content
    assert "25 Nov 2026, 19:05 GMT" in html.decode()  # Europe/London, the site's zone


def test_the_dossier_shows_times_in_the_projects_zone(project, lead):
    filled = fill_project(project)
    project = _in_new_york(project)
    moment = dt.datetime(2026, 11, 25, 19, 5, tzinfo=dt.UTC)
    snapshot = build_snapshot(project, generated_at=moment)
    assert snapshot["project"]["time_zone"] == "America/New_York"
    text = pdf_text(render_pdf(render_html(snapshot, None)))
    assert "25 Nov 2026, 14:05 EST" in text  # the state it shows, on the cover
    signed = SignOff.objects.get(handoff=filled["handoff"]).signed_at
    assert _new_york_time(signed) in text  # the sign-off history
    assert " UTC" not in text


def test_my_signoffs_shows_each_row_in_its_projects_zone(project, lead):
    filled = fill_project(project)
    project = _in_new_york(project)
    handoff = filled["handoff"]
    handoff.trigger = "Order released"
    handoff.save()  # the owner's sign-off goes stale
    signed = SignOff.objects.get(handoff=handoff).signed_at
    client = Client()
    client.force_login(filled["signer"])
    html = client.get(reverse("reviews:my-signoffs")).content.decode()
    assert f"signed {_new_york_time(signed)}" in html
