"""`manage.py seed_demo`: a realistic demo with its weak spots, identical when run again."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from readiness.projects.models import Membership, Owner, OwnerKind, Project, Role, System
from readiness.registers import models as register_models
from readiness.registers.models import (
    Criticality,
    DataElement,
    Duty,
    ExceptionCase,
    Handoff,
    Mechanism,
    Report,
    ReportTiming,
    Severity,
)
from readiness.reviews.selectors import project_review

# Imported under another name: pytest would try to collect a class called "Test…".
CaseStatus = register_models.TestStatus

pytestmark = pytest.mark.django_db

MAIN = "northwind-erp-cutover"
SECOND = "harbor-crm-refresh"
PASSWORD = "readiness-demo"
USERNAMES = ["demo-lead", "demo-contributor", "demo-owner", "demo-viewer", "demo-outsider"]
MODELS = [
    get_user_model(),
    Project,
    Membership,
    Owner,
    System,
    DataElement,
    Handoff,
    ExceptionCase,
    Report,
    Duty,
]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _rows(qs, *fields):
    return sorted(qs.values_list(*fields), key=repr)


def _fingerprint() -> dict:
    """Every stored value that matters, including stamps, versions and M2M links."""
    user_model = get_user_model()
    item = ("project__slug", "name", "version", "updated")
    return {
        "users": _rows(
            user_model.objects.all(),
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "is_staff",
            "is_superuser",
        ),
        "projects": _rows(
            Project.objects.all(),
            "slug",
            "name",
            "summary",
            "desired_outcome",
            "plan_lock_date",
            "go_live_date",
            "parallel_run_start",
            "parallel_run_end",
            "lifecycle",
            "breakage_plan",
            "version",
            "updated",
        ),
        "members": _rows(
            Membership.objects.all(), "project__slug", "user__username", "role", "updated"
        ),
        "owners": _rows(Owner.objects.all(), *item, "email", "team", "kind", "user__username"),
        "systems": _rows(System.objects.all(), *item, "vendor", "purpose"),
        "elements": _rows(
            DataElement.objects.all(),
            *item,
            "definition",
            "system_of_truth__name",
            "criticality",
            "defined_differently",
            "truth_disputed",
            "steward__name",
            "travelling_context",
        ),
        "consumers": _rows(DataElement.consuming_systems.through.objects.all(), "pk"),
        "element_links": _rows(DataElement.objects.all(), "name", "consuming_systems__name"),
        "handoffs": _rows(
            Handoff.objects.all(),
            *item,
            "from_system__name",
            "to_system__name",
            "trigger",
            "receiving_owner__name",
            "fixer__name",
            "mechanism",
            "shared_record",
            "wait_rule",
            "automation_rules",
            "is_workaround",
            "data_elements__name",
        ),
        "exceptions": _rows(
            ExceptionCase.objects.all(),
            *item,
            "scenario",
            "handoff__name",
            "decision_owner__name",
            "severity",
            "test_status",
            "tested_on",
            "evidence",
            "data_elements__name",
        ),
        "reports": _rows(
            Report.objects.all(),
            *item,
            "timing",
            "needs_reconciliation",
            "shows_why",
            "owner__name",
            "source_elements__name",
            "source_systems__name",
        ),
        "duties": _rows(
            Duty.objects.all(),
            "project__slug",
            "kind",
            "handoff__name",
            "owner__name",
            "notes",
            "version",
            "updated",
        ),
    }


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_a_second_run_changes_nothing():
    _seed()
    counts, fingerprint = _counts(), _fingerprint()
    output = _seed()
    assert _counts() == counts
    assert _fingerprint() == fingerprint
    assert "Northwind ERP cutover" in output
    assert "demo-outsider" in output


def test_it_restores_demo_content_that_was_edited():
    _seed()
    counts = _counts()
    handoff = Handoff.objects.get(project__slug=MAIN, mechanism=Mechanism.SPREADSHEET)
    Handoff.objects.filter(pk=handoff.pk).update(mechanism=Mechanism.AUTOMATED)
    handoff.data_elements.clear()
    _seed()
    handoff.refresh_from_db()
    assert handoff.mechanism == Mechanism.SPREADSHEET
    assert handoff.version == 2  # bumped, so a form opened on the edited row sees a conflict
    assert handoff.data_elements.exists()
    assert _counts() == counts


def test_main_project_has_a_realistic_amount_of_content():
    _seed()
    project = Project.objects.get(slug=MAIN)
    assert project.systems.count() >= 6
    assert project.data_elements.count() >= 12
    assert project.handoffs.count() >= 10
    assert project.exception_cases.count() >= 12
    assert project.reports.count() >= 6
    assert project.duties.filter(handoff__isnull=True).count() >= 3
    assert project.duties.filter(handoff__isnull=False).count() >= 2
    kinds = set(project.owners.values_list("kind", flat=True))
    assert kinds == set(OwnerKind.values)
    assert project.plan_lock_date < project.parallel_run_start
    assert project.parallel_run_start <= project.go_live_date <= project.parallel_run_end

    second = Project.objects.get(slug=SECOND)
    assert second.systems.count() >= 2
    assert second.handoffs.count() >= 2
    assert second.parallel_run_start is None


def test_demo_accounts_have_the_documented_roles():
    _seed()
    roles = {
        (m.project.slug, m.user.username): m.role
        for m in Membership.objects.select_related("project", "user")
    }
    assert roles == {
        (MAIN, "demo-lead"): Role.LEAD,
        (MAIN, "demo-contributor"): Role.CONTRIBUTOR,
        (MAIN, "demo-exec"): Role.VIEWER,
        (MAIN, "demo-owner"): Role.CONTRIBUTOR,
        (MAIN, "demo-viewer"): Role.VIEWER,
        (SECOND, "demo-lead"): Role.LEAD,
        (SECOND, "demo-outsider"): Role.CONTRIBUTOR,
    }
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert not get_user_model().objects.filter(is_staff=True).exists()

    owner = Owner.objects.get(project__slug=MAIN, user__username="demo-owner")
    assert owner.kind == OwnerKind.BUSINESS
    assert owner.receives.count() >= 2
    assert owner.decides.count() >= 2
    assert owner.stewarded.exists()
    viewer = get_user_model().objects.get(username="demo-viewer")
    assert viewer.get_full_name() == "Dana Whitfield"


@pytest.mark.parametrize("username", USERNAMES)
def test_every_demo_account_can_log_in(username):
    _seed()
    user = get_user_model().objects.get(username=username)
    assert user.first_name and user.last_name
    assert user.email.endswith("@example.com")
    # Through the log-in page, as people do (the throttle needs the request).
    response = Client().post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.text


def test_main_project_carries_the_weak_spots():
    _seed()
    project = Project.objects.get(slug=MAIN)
    elements = project.data_elements
    assert elements.filter(criticality=Criticality.CRITICAL, truth_disputed=True).exists()
    assert elements.filter(criticality=Criticality.CRITICAL, system_of_truth=None).exists()
    assert elements.filter(criticality=Criticality.CRITICAL, defined_differently=True).exists()
    assert elements.filter(steward=None).count() >= 2

    handoffs = project.handoffs
    assert handoffs.filter(mechanism=Mechanism.SPREADSHEET).exists()
    assert handoffs.filter(mechanism=Mechanism.EMAIL).exists()
    assert handoffs.filter(mechanism=Mechanism.PARTLY_MANUAL).exists()
    assert handoffs.filter(fixer=None).exists()
    assert handoffs.filter(shared_record=True, wait_rule="").exists()
    assert handoffs.filter(mechanism=Mechanism.AUTOMATED, automation_rules="").exists()
    assert handoffs.filter(is_workaround=True).exists()

    cases = project.exception_cases
    high_untested = cases.filter(severity=Severity.HIGH, test_status=CaseStatus.UNTESTED)
    assert high_untested.count() >= 3
    assert cases.filter(test_status=CaseStatus.FAILED).exists()
    assert cases.filter(test_status=CaseStatus.PASSED).exclude(evidence="").count() >= 3
    assert not cases.exclude(test_status=CaseStatus.UNTESTED).filter(tested_on=None).exists()

    reports = project.reports
    assert reports.filter(timing=ReportTiming.DAY_ONE, needs_reconciliation=True).exists()
    assert reports.filter(shows_why=False).count() >= 2

    duties = project.duties
    assert duties.filter(owner__kind=OwnerKind.VENDOR).exists()
    assert duties.filter(owner__kind=OwnerKind.IT).exists()
    assert duties.filter(owner=None).exists()


NEW_SIGNS = {
    "data_quality",
    "period_date_missing",
    "interface_gap",
    "custom_build",
    "report_cannot_show_why",
    "no_deputy",
    "signature_concentration",
    "blackout_cutover",
    "context_lost",
    "assurance_red",
}


def test_the_demo_shows_every_new_warning_sign():
    from readiness.reviews.selectors import project_review

    _seed()
    found = {
        (f.finding.rule, f.finding.title)
        for project in Project.objects.all()
        for f in project_review(project).findings
    }
    assert {rule for rule, _ in found} >= NEW_SIGNS
    titles = {title for _, title in found}
    assert {
        "Automation without a human checkpoint",
        "Rejected records fixed outside the business",
        "Business duty owned in IT",
    } <= titles


def test_outsider_is_not_on_the_main_project():
    _seed()
    outsider = get_user_model().objects.get(username="demo-outsider")
    assert not Membership.objects.filter(project__slug=MAIN, user=outsider).exists()
    assert Membership.objects.filter(project__slug=SECOND, user=outsider).exists()


def test_the_demo_projects_show_their_own_time_zones_and_grouped_blockers():
    _seed()
    main, second = Project.objects.get(slug=MAIN), Project.objects.get(slug=SECOND)
    assert (main.time_zone, second.time_zone) == ("Europe/London", "America/Halifax")
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo-lead"))
    html = client.get(main.get_absolute_url()).content.decode()
    verdict = project_review(main).verdict
    assert verdict.blocker_count and f"Blockers ({verdict.blocker_count})" in html
    assert all(b.owner for b in verdict.listed_blockers)  # every listed blocker has an owner
    assert re.search(r"\d\d:\d\d (GMT|BST)", html)
