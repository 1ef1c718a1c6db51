"""Committing an import: all or nothing, one activity entry, versions, and stale sign-offs."""

import pytest

from readiness.projects.models import ActivityAction, ActivityEntry, Owner, Project
from readiness.registers.models import DataElement, Handoff
from readiness.reviews import services as review_services
from readiness.reviews.selectors import project_review
from readiness.transfer.models import ImportBatch, ImportStatus
from readiness.transfer.parsing import ImportRefused
from readiness.transfer.services import (
    import_batch_cancel,
    import_batch_commit,
    import_batch_create,
    import_batch_plan,
)
from tests.factories import DataElementFactory, HandoffFactory, SystemFactory
from tests.reviews.support import member_owner

pytestmark = [pytest.mark.django_db, pytest.mark.no_revision_shim]


def upload(project, user, text, scope="handoffs", create_missing=False, filename=""):
    batch = import_batch_create(
        project=project,
        user=user,
        scope=scope,
        filename=filename or f"{scope}.csv",
        data=text.encode(),
        create_missing=create_missing,
    )
    return import_batch_plan(batch=batch)


def test_it_writes_everything_with_one_activity_entry_and_one_revision(project, lead):
    erp, crm = (
        SystemFactory(project=project, name="ERP"),
        SystemFactory(project=project, name="CRM"),
    )
    customer = DataElementFactory(project=project, name="Customer", definition="Who buys")
    customer.consuming_systems.set([erp])
    entries = ActivityEntry.objects.filter(project=project).count()
    revision = Project.objects.get(pk=project.pk).revision
    text = (
        "Name,Definition,Consuming systems,Steward,Criticality\n"
        "Customer,Who pays,CRM; ERP,,Cannot be wrong\n"
        "Invoice,What is owed,ERP,Nadia Park,Minor\n"
    )
    batch = upload(project, lead, text, scope="data-elements", create_missing=True)
    assert batch.plan["changes"] == 3
    batch = import_batch_commit(batch=batch)

    assert batch.status == ImportStatus.COMMITTED
    customer.refresh_from_db()
    assert customer.definition == "Who pays"
    assert customer.criticality == "critical"
    assert customer.version == 2
    assert sorted(s.name for s in customer.consuming_systems.all()) == ["CRM", "ERP"]
    invoice = DataElement.objects.get(project=project, name="Invoice")
    assert invoice.steward == Owner.objects.get(project=project, name="Nadia Park")
    assert invoice.version == 1
    assert [s.name for s in invoice.consuming_systems.all()] == ["ERP"]
    assert crm.consumes.count() == 1

    assert Project.objects.get(pk=project.pk).revision == revision + 1
    [entry] = ActivityEntry.objects.filter(project=project)[entries:]
    assert entry.action == ActivityAction.IMPORTED
    assert entry.via == "import"
    assert entry.summary.startswith("Imported “data-elements.csv”: owners 1 created;")
    assert {c["label"] for c in entry.changes} == {
        "Owner “Nadia Park”",
        "Data element “Invoice”",
        "Data element “Customer”: Definition",
        "Data element “Customer”: Consuming systems",
        "Data element “Customer”: Criticality",
    }
    assert batch.sheets == []


def test_a_signed_handoff_turns_stale_when_an_import_changes_it(project, lead):
    user, owner = member_owner(project, "anna", name="Anna Berg")
    handoff = HandoffFactory(project=project, name="Order to cash", receiving_owner=owner)
    signoff = review_services.item_sign(
        project=project, kind="handoffs", item=handoff, statement="OK", user=user
    )
    assert not project_review(project).item_signoffs[("handoffs", handoff.pk)].stale

    batch = upload(project, lead, "Name,Trigger\nOrder to cash,Payment received\n")
    import_batch_commit(batch=batch)

    state = project_review(Project.objects.get(pk=project.pk)).item_signoffs[
        ("handoffs", handoff.pk)
    ]
    assert state.signoff == signoff
    assert state.stale


def test_it_refuses_errors_and_writes_nothing(project, lead):
    batch = upload(project, lead, "Name,Receiving owner\nA,\nB,Nobody\n")
    assert batch.plan["blocked"]
    with pytest.raises(ImportRefused):
        import_batch_commit(batch=batch)
    assert not Handoff.objects.filter(project=project).exists()
    assert not ActivityEntry.objects.filter(project=project, action="imported").exists()


def test_it_plans_again_at_commit_and_refuses_what_changed_since_the_preview(project, lead):
    handoff = HandoffFactory(project=project, name="Order to cash", trigger="Order placed")
    text = f"Name,Trigger,Version\nOrder to cash,Order confirmed,{handoff.version}\nNew one,,\n"
    batch = upload(project, lead, text)
    assert not batch.plan["blocked"]
    Handoff.objects.filter(pk=handoff.pk).update(trigger="Order paid", version=2)

    with pytest.raises(ImportRefused, match="changed since the preview"):
        import_batch_commit(batch=batch)
    handoff.refresh_from_db()
    assert handoff.trigger == "Order paid"
    assert not Handoff.objects.filter(project=project, name="New one").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY
    assert batch.plan["blocked"]


def test_a_cancelled_import_forgets_the_file_and_cannot_be_committed(project, lead):
    batch = upload(project, lead, "Name\nA\n")
    import_batch_cancel(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and batch.sheets == []
    with pytest.raises(ImportRefused):
        import_batch_commit(batch=batch)


def test_a_contributor_may_not_change_owners_through_a_workbook(project, contributor):
    text = "Name,Team\nNadia Park,Sales\n"
    batch = upload(project, contributor, text, scope="project", filename="Owners.csv")
    assert batch.plan["blocked"]
    assert "you may not change owners" in str(batch.plan["sheets"][0]["rows"])
    batch = upload(
        project,
        contributor,
        "Name,Steward\nInvoice,Nadia Park\n",
        scope="data-elements",
        create_missing=True,
    )
    assert batch.plan["blocked"]
    assert any("you may not add owners" in e for e in batch.plan["errors"])


def test_planning_reports_its_progress(project, lead, monkeypatch):
    from readiness.transfer import planning

    monkeypatch.setattr(planning, "PROGRESS_EVERY", 2)
    seen = []
    text = "Name\n" + "".join(f"Element {i}\n" for i in range(5))
    batch = import_batch_create(
        project=project, user=lead, scope="data-elements", filename="x.csv", data=text.encode()
    )
    original = planning.ImportPlan.row_done

    def spy(self):
        original(self)
        seen.append(ImportBatch.objects.get(pk=batch.pk).progress_done)

    monkeypatch.setattr(planning.ImportPlan, "row_done", spy)
    import_batch_plan(batch=batch)
    assert seen == [0, 2, 2, 4, 4]


def test_a_stale_sign_off_says_the_import_changed_it_and_who_imported(project, lead):
    from readiness.core.content import item_content
    from readiness.registers.specs import SPECS
    from readiness.reviews.history import item_changes

    user, owner = member_owner(project, "anna", name="Anna Berg")
    handoff = HandoffFactory(project=project, name="Order to cash", receiving_owner=owner)
    signoff = review_services.item_sign(
        project=project, kind="handoffs", item=handoff, statement="OK", user=user
    )
    import_batch_commit(batch=upload(project, lead, "Name,Trigger\nOrder to cash,Paid\n"))

    current = item_content(SPECS["handoffs"].queryset(project).get(pk=handoff.pk))
    [change] = item_changes(
        project=project, kind="handoffs", pk=handoff.pk, signoff=signoff, current=current
    )
    assert (change.label, change.new) == ("Trigger", "Paid")
    assert change.by == "Lead Example"
    entry = ActivityEntry.objects.filter(project=project, action="imported").get()
    assert {
        "kind": "handoffs",
        "id": handoff.pk,
        "name": "Order to cash",
        "field": "trigger",
        "label": "Handoff “Order to cash”: Trigger",
        "old": "Order confirmed",
        "new": "Paid",
    } in entry.changes


def test_only_a_lead_names_owners_through_an_import(project, contributor, lead):
    from tests.factories import OwnerFactory

    OwnerFactory(project=project, name="J. Smith")
    text = "Name,Receiving owner\nOrder to cash,J. Smith\n"
    batch = upload(project, contributor, text)
    assert batch.plan["blocked"]
    [row] = batch.plan["sheets"][0]["rows"]
    assert row["errors"] == [
        {"column": "Receiving owner", "message": "only a project lead names or changes this."}
    ]
    fresh = Project.objects.get(pk=project.pk)  # not the one that knows the contributor's role
    assert not upload(fresh, lead, text).plan["blocked"]
