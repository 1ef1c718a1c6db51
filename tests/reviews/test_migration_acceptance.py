"""The migrations of two-person acceptance and test runs carry existing rows forward.

An acceptance recorded by one person becomes a proposal waiting for a second person (it no
longer counts on its own); a sign-off keeps the name of the account that signed; an exception
case tested before runs existed gets one run with its result, date and evidence.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from readiness.projects.models import Project
from readiness.registers.models import ExceptionCase, TestRun
from readiness.reviews.models import Acceptance, SignOff

BEFORE = [
    ("reviews", "0002_review_summary"),
    ("registers", "0002_data_quality_interfaces_choices_deputy"),
    ("projects", "0005_blackouts_build_accuracy_threshold"),
]


@pytest.mark.django_db(transaction=True)
def test_it_carries_acceptances_signoffs_and_test_results_forward():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    today = datetime.date.today()
    try:
        apps = executor.loader.project_state(BEFORE).apps
        user = apps.get_model("auth", "User").objects.create(
            username="helen", first_name="Helen", last_name="Marsh"
        )
        project = apps.get_model("projects", "Project").objects.create(
            name="Legacy rollout",
            slug="legacy",
            desired_outcome="Keep working.",
            plan_lock_date=today,
            go_live_date=today + datetime.timedelta(days=30),
        )
        owner = apps.get_model("projects", "Owner").objects.create(
            project=project, name="Olivia Grant", user=user
        )
        apps.get_model("reviews", "Acceptance").objects.create(
            project=project,
            check_key="data",
            finding_key="truth_missing_or_disputed|data-elements:1",
            finding_title="System of truth missing",
            rationale="Decided in steering.",
            owner=owner,
            owner_name=owner.name,
            accepted_by=user,
        )
        apps.get_model("reviews", "SignOff").objects.create(
            project=project,
            subject_kind="check",
            check_key="data",
            subject_name="Check 1 · Data",
            owner=owner,
            owner_name=owner.name,
            signer=user,
            statement="OK",
            content_hash="0" * 64,
            content={},
        )
        cases = apps.get_model("registers", "ExceptionCase").objects
        cases.create(
            project=project,
            name="Tested with evidence",
            test_status="failed",
            tested_on=today,
            evidence="Credit of 412 issued.",
        )
        cases.create(project=project, name="Passed, no evidence", test_status="passed")
        cases.create(project=project, name="Never tested")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    project = Project.objects.get(slug="legacy")
    acceptance = Acceptance.objects.get(project=project)
    assert acceptance.approved_at is None  # one person's acceptance no longer counts alone
    assert acceptance.expires_on == project.go_live_date + datetime.timedelta(days=90)
    assert (acceptance.severity, acceptance.proposed_by_name) == ("blocker", "Helen Marsh")
    assert SignOff.objects.get(project=project).signed_by == "Helen Marsh as Olivia Grant"

    runs = {r.exception_case.name: r for r in TestRun.objects.select_related("exception_case")}
    assert set(runs) == {"Tested with evidence", "Passed, no evidence"}
    failed = runs["Tested with evidence"]
    assert (failed.result, failed.run_on, failed.evidence) == (
        "failed",
        today,
        "Credit of 412 issued.",
    )
    assert runs["Passed, no evidence"].evidence.startswith("Recorded as passed before test runs")
    assert ExceptionCase.objects.get(name="Never tested").test_status == "untested"
