"""Loading a project's registers into ReviewData: fields mapped right, queries flat."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness.projects.models import Owner, Project, System
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report
from readiness.reviews.data import OwnerRow, review_data_for

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


def make_project(slug: str = "crm") -> Project:
    return Project.objects.create(
        name=f"Rollout {slug}",
        slug=slug,
        desired_outcome="Orders invoiced within 24 hours",
        go_live_date=date(2025, 6, 1),
        plan_lock_date=date(2025, 4, 1),
        breakage_plan="Call Anna.",
    )


def fill(project: Project, n: int) -> None:
    """n rows in every register, each linked so every through table has rows too."""
    owner = Owner.objects.create(project=project, name="Anna", kind="business")
    erp = System.objects.create(project=project, name="ERP")
    crm = System.objects.create(project=project, name="CRM")
    for i in range(n):
        de = DataElement.objects.create(
            project=project, name=f"Element {i}", system_of_truth=erp, steward=owner
        )
        de.consuming_systems.set([crm])
        h = Handoff.objects.create(
            project=project, name=f"Handoff {i}", receiving_owner=owner, from_system=erp
        )
        h.data_elements.set([de])
        ex = ExceptionCase.objects.create(
            project=project, name=f"Case {i}", handoff=h, decision_owner=owner
        )
        ex.data_elements.set([de])
        r = Report.objects.create(project=project, name=f"Report {i}", owner=owner)
        r.source_elements.set([de])
        r.source_systems.set([erp, crm])
        Duty.objects.create(project=project, kind="update_docs", handoff=h, owner=owner)


def test_it_maps_fields():
    project = make_project()
    other = make_project("other")
    System.objects.create(project=other, name="Elsewhere")

    anna = Owner.objects.create(
        project=project, name="Anna Berg", kind="business", team="Sales ops"
    )
    acme = Owner.objects.create(project=project, name="Acme", kind="vendor")
    erp = System.objects.create(project=project, name="ERP", vendor="Big ERP Co")
    crm = System.objects.create(project=project, name="CRM")
    wh = System.objects.create(project=project, name="Warehouse")

    customer = DataElement.objects.create(
        project=project,
        name="Customer",
        criticality="critical",
        system_of_truth=erp,
        truth_disputed=True,
        defined_differently=True,
        steward=anna,
        travelling_context="Origin, approval",
    )
    customer.consuming_systems.set([wh, crm])
    item = DataElement.objects.create(project=project, name="Item", criticality="minor")

    order = Handoff.objects.create(
        project=project,
        name="Order to fulfilment",
        mechanism="spreadsheet",
        receiving_owner=anna,
        fixer=acme,
        shared_record=True,
        wait_rule="Wait for credit check",
        automation_rules="",
        is_workaround=True,
        rejection_path="Back to sales",
        escalation_path="Head of ops",
        from_system=crm,
        to_system=erp,
        trigger="Order approved",
    )
    order.data_elements.set([item, customer])
    bare = Handoff.objects.create(project=project, name="Invoice")

    case = ExceptionCase.objects.create(
        project=project,
        name="Two ids",
        severity="high",
        test_status="failed",
        tested_on=date(2025, 2, 1),
        decision_owner=anna,
        expected_handling="pause",
        handoff=order,
    )
    case.data_elements.set([customer])

    revenue = Report.objects.create(
        project=project,
        name="Revenue",
        timing="after_stabilization",
        needs_reconciliation=True,
        shows_why=True,
        owner=acme,
    )
    revenue.source_elements.set([customer])
    revenue.source_systems.set([erp, crm])
    Report.objects.create(project=project, name="Empty")

    scoped = Duty.objects.create(project=project, kind="review_failures", handoff=order, owner=acme)
    whole = Duty.objects.create(project=project, kind="approve_changes")

    data = review_data_for(project, today=TODAY)

    assert data.project_pk == project.pk
    assert data.today == TODAY
    assert data.plan_lock_date == date(2025, 4, 1)
    assert data.go_live_date == date(2025, 6, 1)
    assert data.days_to_plan_lock == 31
    assert data.desired_outcome == "Orders invoiced within 24 hours"
    assert data.breakage_plan == "Call Anna."

    anna_row = OwnerRow(anna.pk, "Anna Berg", "business", "Sales ops", None)
    acme_row = OwnerRow(acme.pk, "Acme", "vendor", "", None)
    assert data.owners == (acme_row, anna_row)
    assert [s.name for s in data.systems] == ["CRM", "ERP", "Warehouse"]

    de_customer, de_item = data.data_elements
    assert de_customer.pk == customer.pk
    assert de_customer.criticality == "critical"
    assert de_customer.system_of_truth == "ERP"
    assert de_customer.truth_disputed and de_customer.defined_differently
    assert de_customer.steward == anna_row
    assert de_customer.travelling_context == "Origin, approval"
    assert de_customer.consuming == ("CRM", "Warehouse")
    assert de_item.system_of_truth is None
    assert de_item.steward is None
    assert de_item.consuming == ()

    h_bare, h_order = data.handoffs  # ordered by name: Invoice, Order…
    assert h_bare.pk == bare.pk and h_bare.receiving_owner is None and h_bare.fixer is None
    assert h_bare.data_element_ids == ()
    assert h_order.mechanism == "spreadsheet"
    assert h_order.receiving_owner == anna_row
    assert h_order.fixer == acme_row
    assert h_order.shared_record and h_order.is_workaround
    assert h_order.wait_rule == "Wait for credit check"
    assert h_order.automation_rules == ""
    assert h_order.rejection_path == "Back to sales"
    assert h_order.escalation_path == "Head of ops"
    assert sorted(h_order.data_element_ids) == sorted([customer.pk, item.pk])
    assert (h_order.from_system, h_order.to_system) == ("CRM", "ERP")
    assert h_order.trigger == "Order approved"

    (ex,) = data.exceptions
    assert ex.pk == case.pk
    assert (ex.severity, ex.test_status) == ("high", "failed")
    assert ex.tested_on == date(2025, 2, 1)
    assert ex.decision_owner == anna_row
    assert ex.expected_handling == "pause"
    assert (ex.handoff_id, ex.handoff_name) == (order.pk, "Order to fulfilment")
    assert ex.data_element_ids == (customer.pk,)

    r_empty, r_revenue = data.reports
    assert r_empty.source_count == 0 and r_empty.owner is None
    assert r_revenue.pk == revenue.pk
    assert r_revenue.timing == "after_stabilization"
    assert r_revenue.needs_reconciliation and r_revenue.shows_why
    assert r_revenue.owner == acme_row
    assert r_revenue.source_count == 3
    assert r_revenue.source_element_ids == (customer.pk,)
    assert r_revenue.source_systems == ("CRM", "ERP")

    d_whole, d_scoped = sorted(data.duties, key=lambda d: d.handoff_id is not None)
    assert d_whole.pk == whole.pk
    assert d_whole.kind == "approve_changes"
    assert d_whole.owner is None
    assert d_whole.name == "Approves changes — Whole project"
    assert d_scoped.pk == scoped.pk
    assert d_scoped.kind_label == "Reviews failures"
    assert (d_scoped.handoff_id, d_scoped.handoff_name) == (order.pk, "Order to fulfilment")
    assert d_scoped.owner == acme_row
    assert d_scoped.ref.name == str(scoped)


def test_it_defaults_today_to_the_local_date():
    from django.utils import timezone

    assert review_data_for(make_project()).today == timezone.localdate()


def test_it_leaves_other_projects_out():
    mine, theirs = make_project("mine"), make_project("theirs")
    fill(theirs, 3)
    data = review_data_for(mine, today=TODAY)
    assert data.owners == data.systems == data.data_elements == data.handoffs == ()
    assert data.exceptions == data.reports == data.duties == ()


def _queries(project: Project) -> int:
    with CaptureQueriesContext(connection) as ctx:
        review_data_for(project, today=TODAY)
    return len(ctx.captured_queries)


def test_query_count_is_flat(django_assert_num_queries):
    small, large = make_project("small"), make_project("large")
    fill(small, 5)
    fill(large, 50)
    count = _queries(small)
    with django_assert_num_queries(count):
        data = review_data_for(large, today=TODAY)
    assert len(data.data_elements) == len(data.duties) == 50
    assert all(len(r.source_systems) == 2 for r in data.reports)
    # One query per table: owners, systems, blackouts, check signatories, and each register
    # with its link tables.
    assert count == 15
