"""Constraints the database keeps for register items, and the edit version."""

import pytest
from django.db import IntegrityError, transaction

from readiness.core.locking import EditConflict, save_versioned
from readiness.registers.forms import DataElementForm, DutyForm
from readiness.registers.models import DataElement, Duty, DutyKind
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    ProjectFactory,
    ReportFactory,
    edit_data,
)

pytestmark = pytest.mark.django_db

NAMED = [DataElementFactory, HandoffFactory, ExceptionCaseFactory, ReportFactory]
NAMED_IDS = ["data-element", "handoff", "exception", "report"]


@pytest.mark.parametrize("factory", NAMED, ids=NAMED_IDS)
def test_it_refuses_duplicate_name_in_one_project(factory):
    project = ProjectFactory()
    factory(project=project, name="Customer")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(project=project, name="Customer")


@pytest.mark.parametrize("factory", NAMED, ids=NAMED_IDS)
def test_it_allows_same_name_in_two_projects(factory):
    factory(project=ProjectFactory(), name="Customer")
    factory(project=ProjectFactory(), name="Customer")
    assert factory._meta.model.objects.filter(name="Customer").count() == 2


def test_it_refuses_second_project_wide_duty_of_a_kind():
    project = ProjectFactory()
    DutyFactory(project=project, kind=DutyKind.APPROVE_CHANGES, handoff=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyFactory(project=project, kind=DutyKind.APPROVE_CHANGES, handoff=None)


def test_it_refuses_same_duty_twice_on_one_handoff():
    project = ProjectFactory()
    handoff = HandoffFactory(project=project)
    DutyFactory(project=project, kind=DutyKind.MONITOR_FLOWS, handoff=handoff)
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyFactory(project=project, kind=DutyKind.MONITOR_FLOWS, handoff=handoff)


def test_it_allows_a_duty_kind_project_wide_and_per_handoff_and_elsewhere():
    project = ProjectFactory()
    kind = DutyKind.MONITOR_FLOWS
    DutyFactory(project=project, kind=kind, handoff=None)
    DutyFactory(project=project, kind=kind, handoff=HandoffFactory(project=project))
    DutyFactory(project=project, kind=kind, handoff=HandoffFactory(project=project))
    DutyFactory(project=ProjectFactory(), kind=kind, handoff=None)
    assert Duty.objects.filter(kind=kind).count() == 4


def test_duty_form_reports_project_wide_duplicate():
    project = ProjectFactory()
    DutyFactory(project=project, kind=DutyKind.APPROVE_CHANGES, handoff=None)
    form = DutyForm({"kind": DutyKind.APPROVE_CHANGES}, project=project)
    assert not form.is_valid()
    assert "This project-wide duty already exists." in str(form.errors)


def test_it_names_a_duty_by_kind_and_scope():
    handoff = HandoffFactory(name="Order to warehouse")
    duty = DutyFactory(project=handoff.project, kind=DutyKind.REVIEW_FAILURES, handoff=handoff)
    assert str(duty) == "Reviews failures — Order to warehouse"
    wide = DutyFactory(project=handoff.project, kind=DutyKind.UPDATE_DOCS, handoff=None)
    assert str(wide) == "Updates documentation — Whole project"


def _form(item, **changes):
    form = DataElementForm(
        edit_data("data-elements", item, **changes),
        instance=DataElement.objects.get(pk=item.pk),
        project=item.project,
        prefix=f"item-{item.pk}",
    )
    assert form.is_valid(), form.errors
    return form


def test_it_increments_version_on_each_edit():
    item = DataElementFactory(name="Customer")
    assert item.version == 1
    save_versioned(_form(item, name="Customer v2"))
    item.refresh_from_db()
    assert (item.name, item.version) == ("Customer v2", 2)
    save_versioned(_form(item, name="Customer v3"))
    item.refresh_from_db()
    assert (item.name, item.version) == ("Customer v3", 3)


def test_it_refuses_save_of_a_stale_form():
    item = DataElementFactory(name="Customer")
    stale = _form(item, name="Mine")
    save_versioned(_form(item, name="Theirs"))
    with pytest.raises(EditConflict):
        save_versioned(stale)
    item.refresh_from_db()
    assert (item.name, item.version) == ("Theirs", 2)
