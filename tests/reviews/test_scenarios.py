"""Each new warning sign, entered as a team would — through the register and project forms and
their services — down to the finding, its severity and the project's verdict."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from readiness.projects.forms import ProjectForm
from readiness.projects.models import Project
from readiness.projects.services import project_update
from readiness.registers.models import DataElement, Duty, Handoff
from readiness.registers.services import register_item_save
from readiness.registers.specs import SPECS
from readiness.reviews.checks import get_check
from readiness.reviews.findings import FindingSeverity, ItemRef
from readiness.reviews.selectors import project_review
from readiness.reviews.services import signatory_set
from readiness.reviews.verdict import VerdictState
from tests.reviews.support import member_owner

B, H, M, L = (
    FindingSeverity.BLOCKER,
    FindingSeverity.HIGH,
    FindingSeverity.MEDIUM,
    FindingSeverity.LOW,
)


@pytest.fixture
def team(project, lead):
    """The lead, who keys things in, and a business owner who can sign."""
    _, anna = member_owner(project, "anna", name="Anna Berg")
    return {"user": lead, "anna": anna}


def save(project, user, register, instance=None, **values):
    """Fill a register form as the page would, and save it through the register service."""
    spec = SPECS[register]
    data = {}
    if instance is not None:
        initial = model_to_dict(instance, fields=spec.form_class._meta.fields)
        data = {k: ("" if v is None else v) for k, v in initial.items()}
        data = {
            k: [o.pk for o in v] if isinstance(v, list) else v for k, v in data.items() if v != ""
        }
        data["opened_version"] = instance.version
    for name, value in values.items():
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = value
    data = {k: v for k, v in data.items() if v is not False}
    form = spec.form_class(data=data, project=project, instance=instance, may_name_owners=True)
    assert form.is_valid(), form.errors
    return register_item_save(spec=spec, form=form, user=user)


def move_plan_lock(project, user, days):
    project = Project.objects.get(pk=project.pk)
    data = model_to_dict(project, fields=ProjectForm._meta.fields)
    data = {k: v for k, v in data.items() if v is not None}
    data["plan_lock_date"] = dt.date.today() + dt.timedelta(days=days)
    data["go_live_date"] = data["plan_lock_date"] + dt.timedelta(days=60)
    data["opened_version"] = project.version
    form = ProjectForm(data=data, instance=project)
    assert form.is_valid(), form.errors
    return project_update(form=form, user=user)


def _review(project):
    return project_review(Project.objects.get(pk=project.pk))


def findings(project, rule):
    return [f.finding for f in _review(project).findings if f.finding.rule == rule]


def verdict(project):
    return _review(project).verdict


def test_master_data_keyed_by_hand_and_never_measured(project, team):
    customer = save(
        project,
        team["user"],
        "data-elements",
        name="Customer",
        criticality="critical",
        steward=team["anna"],
        population="keyed",
        period_date="not_financial",
    )
    [f] = findings(project, "data_quality")
    assert (f.severity, f.title) == (H, "Critical data keyed by hand without validation")
    assert "accuracy has never been measured" in f.message

    # Measured, but below the project's threshold, two weeks before plan lock: a blocker.
    move_plan_lock(project, team["user"], 10)
    save(
        project,
        team["user"],
        "data-elements",
        instance=DataElement.objects.get(pk=customer.pk),
        entry_validated=True,
        accuracy_percent="95.0",
        accuracy_measured_on=dt.date.today().isoformat(),
    )
    [f] = findings(project, "data_quality")
    assert (f.severity, f.title) == (B, "Critical data below the accuracy threshold")
    v = verdict(project)
    assert v.state == VerdictState.NOT_READY
    assert "Critical data below the accuracy threshold" in [b.title for b in v.listed_blockers]


def test_interface_descoped_on_the_path_of_critical_data(project, team):
    erp = save(project, team["user"], "systems", name="ERP", build="custom")
    bank = save(project, team["user"], "systems", name="Bank", build="standard")
    payment = save(
        project,
        team["user"],
        "data-elements",
        name="Payment",
        criticality="critical",
        steward=team["anna"],
        system_of_truth=erp,
        accuracy_percent="99.5",
        accuracy_measured_on=dt.date.today().isoformat(),
        period_date="value",
    )
    save(
        project,
        team["user"],
        "handoffs",
        name="Payment file to bank",
        mechanism="automated",
        from_system=erp,
        to_system=bank,
        data_elements=[payment],
        receiving_owner=team["anna"],
        fixer=team["anna"],
        rules_state="written",
        human_checkpoint="yes",
        automation_rules="Files above 1m wait for treasury.",
        interface_status="descoped",
    )
    [f] = findings(project, "interface_gap")
    assert (f.severity, f.title) == (H, "Interface descoped on a critical path")
    [c] = findings(project, "custom_build")
    assert (c.severity, c.items[0].name) == (M, "ERP")

    move_plan_lock(project, team["user"], 7)
    [f] = findings(project, "interface_gap")
    assert f.severity == B
    assert verdict(project).state == VerdictState.NOT_READY


def test_go_live_in_peak_season_and_financial_data_without_period_date(project, team):
    project = Project.objects.get(pk=project.pk)
    save(
        project,
        team["user"],
        "blackouts",
        name="Peak season",
        starts_on=(project.go_live_date - dt.timedelta(days=5)).isoformat(),
        ends_on=(project.go_live_date + dt.timedelta(days=20)).isoformat(),
    )
    [f] = findings(project, "blackout_cutover")
    assert (f.severity, f.items[0].name) == (H, "Peak season")
    assert "inside “Peak season”" in f.message

    save(
        project,
        team["user"],
        "data-elements",
        name="Invoice",
        criticality="critical",
        steward=team["anna"],
        accuracy_percent="99.5",
        accuracy_measured_on=dt.date.today().isoformat(),
        period_date="",
    )
    [p] = findings(project, "period_date_missing")
    assert (p.severity, p.check) == (H, "data")
    assert verdict(project).state == VerdictState.NOT_READY


def test_vendor_receiving_owner_duty_without_deputy_and_one_signer(project, team):
    vendor = save(project, team["user"], "owners", name="Acme Integrations", kind="vendor")
    ivan = save(project, team["user"], "owners", name="Ivan Petrov", kind="it_person")
    handoff = save(
        project,
        team["user"],
        "handoffs",
        name="Order to warehouse",
        mechanism="partly_manual",
        receiving_owner=vendor,
        fixer=team["anna"],
        rules_state="written",
        human_checkpoint="yes",
        automation_rules="Orders above 10k wait for a person.",
        interface_status="tested",
        interface_tested_on=dt.date.today().isoformat(),
    )
    [f] = [
        x
        for x in findings(project, "missing_owner")
        if x.items and x.items[0] == ItemRef("handoffs", handoff.pk, handoff.name)
    ]
    assert (f.severity, f.title) == (M, "Handoff received outside the business")

    save(project, team["user"], "duties", kind="monitor_flows", owner=ivan)
    assert not [x for x in findings(project, "missing_owner") if "Monitors" in x.message]
    [d] = findings(project, "no_deputy")
    assert d.severity == M
    duty = Duty.objects.get(project=project, kind="monitor_flows")
    save(project, team["user"], "duties", instance=duty, deputy=team["anna"])
    assert findings(project, "no_deputy") == []

    for check in ("data", "handoffs", "exceptions", "reporting", "ownership"):
        signatory_set(
            project=project, check=get_check(check), owner=team["anna"], user=team["user"]
        )
    [s] = findings(project, "signature_concentration")
    assert (s.severity, s.items[0].name) == (M, "Anna Berg")
    assert s.message == "Anna Berg must sign 5 of the project’s 6 sign-offs."


def test_no_validation_typed_as_rules_no_longer_passes(project, team):
    save(
        project,
        team["user"],
        "handoffs",
        name="Lead to account",
        mechanism="automated",
        receiving_owner=team["anna"],
        fixer=team["anna"],
        rules_state="none",
        human_checkpoint="no",
        automation_rules="no validation",
    )
    [f] = [x for x in findings(project, "automation_unguarded") if x.items]
    assert f.severity == H
    assert "runs with no rules or guardrails and has no human checkpoint" in f.message
    handoff = Handoff.objects.get(project=project, name="Lead to account")
    save(
        project,
        team["user"],
        "handoffs",
        instance=handoff,
        rules_state="written",
        human_checkpoint="yes",
        automation_rules="Duplicates are held for a person to merge.",
    )
    assert [x for x in findings(project, "automation_unguarded") if x.items] == []


def test_report_that_cannot_show_why_a_number_moved(project, team):
    save(
        project,
        team["user"],
        "reports",
        name="Daily cash position",
        timing="day_one",
        owner=team["anna"],
        business_question="How much cash do we hold?",
    )
    [f] = findings(project, "report_cannot_show_why")
    assert (f.severity, f.check) == (M, "reporting")


def test_untested_cases_escalate_one_by_one_near_plan_lock(project, team):
    customer = save(
        project,
        team["user"],
        "data-elements",
        name="Customer",
        criticality="critical",
        steward=team["anna"],
        accuracy_percent="99.5",
        accuracy_measured_on=dt.date.today().isoformat(),
    )
    common = dict(
        severity="medium",
        test_status="untested",
        expected_handling="pause",
        decision_owner=team["anna"],
    )
    save(
        project,
        team["user"],
        "exceptions",
        name="Two customer ids",
        data_elements=[customer],
        **common,
    )
    save(project, team["user"], "exceptions", name="Late delivery note", **common)
    move_plan_lock(project, team["user"], 10)
    by_name = {f.items[0].name: f.severity for f in findings(project, "untested_exceptions")}
    assert by_name == {"Two customer ids": H, "Late delivery note": M}
    assert all("Exception case" not in b.title for b in verdict(project).listed_blockers)


def test_context_recorded_as_not_travelling(project, team):
    save(
        project,
        team["user"],
        "data-elements",
        name="Sales order",
        criticality="critical",
        steward=team["anna"],
        accuracy_percent="99.5",
        accuracy_measured_on=dt.date.today().isoformat(),
        context_travels="lost",
        travelling_context="Approval state stays in the CRM.",
    )
    [f] = findings(project, "context_lost")
    assert (f.severity, f.title) == (M, "Context does not travel")
    assert verdict(project).state == VerdictState.NOT_READY
