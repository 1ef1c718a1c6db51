"""The leadership portfolio, and who lands on it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.core.clock import site_today
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.dossiers.selectors import latest_ready_dossiers
from readiness.projects.models import Role
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    MembershipFactory,
    OwnerFactory,
    ProjectFactory,
    ReportFactory,
    SystemFactory,
    UserFactory,
)

PORTFOLIO = reverse("dossiers:portfolio")


def _dossier(project, number, status=DossierStatus.READY, **kwargs):
    ready = status == DossierStatus.READY
    return Dossier.objects.create(
        project=project,
        number=number,
        status=status,
        snapshot={},
        snapshot_hash=f"{number:064d}",
        verdict="not_ready",
        sha256=f"{number:064x}" if ready else "",
        page_count=12 if ready else None,
        byte_size=48_000 if ready else None,
        **kwargs,
    )


def _project(name, go_live_in, members=(), role=Role.VIEWER):
    go_live = site_today() + datetime.timedelta(days=go_live_in)
    project = ProjectFactory(
        name=name, go_live_date=go_live, plan_lock_date=go_live - datetime.timedelta(days=20)
    )
    for user in members:
        MembershipFactory(project=project, user=user, role=role)
    return project


def _download(project, dossier):
    return reverse("dossiers:download", kwargs={"slug": project.slug, "pk": dossier.pk})


def test_it_sends_anonymous_to_login(anonymous_client):
    response = anonymous_client.get(PORTFOLIO)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PORTFOLIO}"


def test_it_lists_only_my_projects_by_go_live(viewer_client, viewer, project, other_project):
    later = _project("Payroll on Workday", 200, [viewer])
    sooner = _project("Warehouse scanners", 10, [viewer])
    html = viewer_client.get(PORTFOLIO).content.decode()
    assert other_project.name not in html
    # project goes live in 90 days (factory default): between the two.
    positions = [html.index(p.name) for p in (sooner, project, later)]
    assert positions == sorted(positions)


@pytest.mark.parametrize("persona", ["viewer", "contributor", "lead"])
def test_it_shows_verdict_strip_days_and_blockers(request, project, persona):
    client = request.getfixturevalue(f"{persona}_client")
    response = client.get(PORTFOLIO)
    html = response.content.decode()
    assert response.status_code == 200
    row = response.context["rows"][0]
    verdict = row.review.verdict
    assert verdict.label in html
    assert f"v-{verdict.state}" in html
    assert 'class="strip"' in html
    assert html.count('<li class="st-') == 5
    assert f'<span class="daynum">{verdict.days_to_go_live}</span> days to go-live' in html
    assert f"{verdict.days_to_plan_lock}</span> days to plan lock" in html
    assert f"{verdict.blocker_count}</span> blocker" in html
    assert persona.capitalize() in html


def test_it_links_latest_ready_dossier(viewer_client, project):
    _dossier(project, 1)
    latest = _dossier(project, 2)
    _dossier(project, 3, status=DossierStatus.FAILED, error="boom")
    _dossier(project, 4, status=DossierStatus.QUEUED)
    html = viewer_client.get(PORTFOLIO).content.decode()
    assert _download(project, latest) in html
    assert "Dossier v2" in html
    assert "Dossier v1" not in html and "Dossier v4" not in html


def test_it_says_when_there_is_no_dossier(viewer_client, project):
    html = viewer_client.get(PORTFOLIO).content.decode()
    assert "No dossier yet." in html
    assert reverse("dossiers:list", kwargs={"slug": project.slug}) in html


def test_it_shows_empty_portfolio(db, client):
    user = UserFactory(username="newcomer")
    client.force_login(user)
    html = client.get(PORTFOLIO).content.decode()
    assert "not a member of any rollout" in html


def test_it_finds_latest_ready_dossiers_in_one_query(
    project, other_project, django_assert_num_queries
):
    _dossier(project, 1)
    newest = _dossier(project, 2)
    _dossier(project, 3, status=DossierStatus.RENDERING)
    only = _dossier(other_project, 1)
    third = _project("No dossiers", 30)
    with django_assert_num_queries(1):
        latest = latest_ready_dossiers([project, other_project, third])
    assert latest == {project.pk: newest, other_project.pk: only}
    assert latest[project.pk].project is project


# --- where members land --------------------------------------------------------------------


def test_it_lands_viewer_on_portfolio(viewer_client):
    response = viewer_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == PORTFOLIO


def test_it_lands_viewer_of_many_projects_on_portfolio(viewer_client, viewer):
    _project("Payroll on Workday", 200, [viewer])
    assert viewer_client.get("/")["Location"] == PORTFOLIO


@pytest.mark.parametrize("persona", ["lead", "contributor"])
def test_it_lands_team_on_project_list(request, persona):
    client = request.getfixturevalue(f"{persona}_client")
    assert client.get("/")["Location"] == reverse("projects:list")


def test_it_lands_viewer_who_also_contributes_on_project_list(viewer_client, viewer):
    _project("Payroll on Workday", 200, [viewer], role=Role.CONTRIBUTOR)
    assert viewer_client.get("/")["Location"] == reverse("projects:list")


def test_it_lands_user_without_projects_on_project_list(db, client):
    client.force_login(UserFactory(username="newcomer"))
    assert client.get("/")["Location"] == reverse("projects:list")


def test_it_links_portfolio_in_main_nav(lead_client):
    html = lead_client.get(reverse("projects:list")).content.decode()
    assert f'<a href="{PORTFOLIO}">Portfolio</a>' in html


# --- query count ---------------------------------------------------------------------------


def _fill_registers(project, size):
    owner = OwnerFactory(project=project)
    systems = [SystemFactory(project=project) for _ in range(size)]
    for i in range(size):
        element = DataElementFactory(
            project=project, steward=owner, consuming_systems=systems[: i % 3 + 1]
        )
        handoff = HandoffFactory(project=project, data_elements=[element], receiving_owner=owner)
        ExceptionCaseFactory(project=project, handoff=handoff, data_elements=[element])
        ReportFactory(project=project, source_elements=[element], source_systems=systems[:2])
        DutyFactory(project=project, handoff=handoff, owner=owner)
        _dossier(project, project.dossiers.count() + 1)


def _portfolio_queries(client) -> int:
    client.get(PORTFOLIO)  # warm caches: session, content types
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PORTFOLIO)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_grow_with_registers(viewer_client, viewer, project):
    second = _project("Payroll on Workday", 200, [viewer])
    for p in (project, second):
        _fill_registers(p, 1)
    small = _portfolio_queries(viewer_client)
    for p in (project, second):
        _fill_registers(p, 8)
    assert _portfolio_queries(viewer_client) == small


def test_its_query_count_does_not_grow_with_projects(viewer_client, viewer, project):
    _fill_registers(project, 2)
    one = _portfolio_queries(viewer_client)
    second = _project("Payroll on Workday", 200, [viewer])
    _fill_registers(second, 2)
    two = _portfolio_queries(viewer_client)
    third = _project("Warehouse scanners", 10, [viewer])
    _fill_registers(third, 5)
    three = _portfolio_queries(viewer_client)
    print(f"portfolio: {one} queries for one project, {two} for two, {three} for three")
    assert one == two == three  # kept summaries: no review, no query per project
