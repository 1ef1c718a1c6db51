"""Creating a project: anyone logged in may, and becomes its lead."""

import datetime

import pytest
from django.urls import reverse

from readiness.projects.models import Membership, Project, Role
from tests.factories import ProjectFactory, UserFactory

URL = reverse("projects:create")
LOCK = datetime.date(2030, 3, 1)
LIVE = datetime.date(2030, 5, 1)


def _data(**changes):
    return {
        "name": "Fabrikam Payroll",
        "summary": "Payroll moves to the new HR suite.",
        "desired_outcome": "Payslips out on the 25th without manual fixes.",
        "plan_lock_date": LOCK.isoformat(),
        "go_live_date": LIVE.isoformat(),
        "lifecycle": "draft",
        **changes,
    }


@pytest.fixture
def newcomer_client(client, db):
    client.force_login(UserFactory(username="newcomer"))
    return client


def test_it_shows_the_form(newcomer_client):
    response = newcomer_client.get(URL)
    assert response.status_code == 200
    assert 'name="go_live_date"' in response.content.decode()


def test_it_sends_anonymous_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_it_creates_project_with_creator_as_lead(newcomer_client):
    response = newcomer_client.post(URL, _data())
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.slug == "fabrikam-payroll"
    assert project.go_live_date == LIVE
    membership = Membership.objects.get(project=project)
    assert (membership.user.username, membership.role) == ("newcomer", Role.LEAD)
    page = newcomer_client.get(response["Location"])
    assert "You are its lead." in page.content.decode()


def test_it_lets_a_member_of_another_project_create_one(outsider_client, outsider):
    outsider_client.post(URL, _data())
    project = Project.objects.get(name="Fabrikam Payroll")
    assert project.memberships.get().user == outsider


def test_it_makes_slug_unique(newcomer_client):
    ProjectFactory(name="Something else", slug="fabrikam-payroll")
    newcomer_client.post(URL, _data())
    assert Project.objects.get(name="Fabrikam Payroll").slug == "fabrikam-payroll-2"


def test_it_refuses_plan_lock_after_go_live(newcomer_client):
    response = newcomer_client.post(
        URL, _data(plan_lock_date=LIVE.isoformat(), go_live_date=LOCK.isoformat())
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["plan_lock_date"] == ["The plan must lock on or before go-live."]
    html = response.content.decode()
    assert "The plan must lock on or before go-live." in html
    assert 'id="id_plan_lock_date_error"' in html  # rendered with the field, not only on top
    assert 'value="Fabrikam Payroll"' in html
    assert not Project.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("run", "field", "message"),
    [
        ({"parallel_run_start": LOCK.isoformat()}, "parallel_run_end", "needs both"),
        ({"parallel_run_end": LIVE.isoformat()}, "parallel_run_start", "needs both"),
        (
            {"parallel_run_start": "2030-02-01", "parallel_run_end": LIVE.isoformat()},
            "parallel_run_start",
            "cannot start before the plan locks",
        ),
        (
            {"parallel_run_start": "2030-04-01", "parallel_run_end": "2030-03-15"},
            "parallel_run_end",
            "must end after it starts",
        ),
    ],
    ids=["start-only", "end-only", "before-lock", "backwards"],
)
def test_it_refuses_bad_parallel_run(newcomer_client, run, field, message):
    response = newcomer_client.post(URL, _data(**run))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Project.objects.exists()


def test_it_refuses_duplicate_project_name(newcomer_client):
    ProjectFactory(name="Fabrikam Payroll")
    response = newcomer_client.post(URL, _data())
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Project.objects.count() == 1


def test_it_refuses_name_without_letters(newcomer_client):
    response = newcomer_client.post(URL, _data(name="!!!"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Project.objects.exists()


def test_it_redirects_htmx_create_with_hx_redirect(newcomer_client):
    response = newcomer_client.post(URL, _data(), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == Project.objects.get().get_absolute_url()
