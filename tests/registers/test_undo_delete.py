"""Undo of a delete: the item comes back with its values, what went with it and the links the
delete cleared; recorded as a restore; only by who deleted, for a short while, once."""

import datetime as dt

import pytest
from django.urls import reverse

from readiness.core.content import item_content
from readiness.projects.models import ActivityAction, ActivityEntry, Project
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, TestRun
from readiness.registers.services import UNDO_SECONDS
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    OwnerFactory,
    SystemFactory,
    make_item,
)

HTMX = {"HX-Request": "true"}


def _delete(client, project, kind, item, **data):
    url = reverse(
        "registers:item-delete", kwargs={"slug": project.slug, "kind": kind, "pk": item.pk}
    )
    return client.post(url, data, headers=HTMX)


def _undo(client, project, kind, pk, headers=HTMX):
    url = reverse(
        "registers:item-undo-delete", kwargs={"slug": project.slug, "kind": kind, "pk": pk}
    )
    return client.post(url, headers=headers)


def _revision(project):
    return Project.objects.values_list("revision", flat=True).get(pk=project.pk)


def test_undo_brings_a_data_element_back_with_its_values_and_links(lead_client, project):
    steward = OwnerFactory(project=project, name="Ada Lovelace")
    erp, crm = SystemFactory(project=project, name="ERP"), SystemFactory(project=project)
    element = DataElementFactory(
        project=project,
        name="Customer",
        steward=steward,
        system_of_truth=erp,
        consuming_systems=[erp, crm],
    )
    handoff = HandoffFactory(project=project, data_elements=[element])
    case = ExceptionCaseFactory(project=project, data_elements=[element])
    before = item_content(DataElement.objects.get(pk=element.pk))

    assert _delete(lead_client, project, "data-elements", element).status_code == 200
    assert not DataElement.objects.filter(pk=element.pk).exists()
    assert not handoff.data_elements.exists()
    revision = _revision(project)

    response = _undo(lead_client, project, "data-elements", element.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        f'<tr id="row-data-elements-{element.pk}" data-take-focus="edit">'
    )
    assert "Restored — Customer" in html
    restored = DataElement.objects.get(pk=element.pk)  # the same id: links to it work again
    assert item_content(restored) == before
    assert list(handoff.data_elements.all()) == [restored]
    assert list(case.data_elements.all()) == [restored]
    assert _revision(project) > revision

    entry = ActivityEntry.objects.filter(project=project).order_by("-seq").first()
    restores = ActivityEntry.objects.filter(project=project, action=ActivityAction.RESTORED)
    assert [e.summary for e in restores] == ["restored data element “Customer”: undoing its delete"]
    assert {c["label"]: c["new"] for c in restores[0].changes}["Steward"] == "Ada Lovelace"
    # The handoff and the case got their link back, and the history says so.
    changed = ActivityEntry.objects.filter(
        project=project, action=ActivityAction.CHANGED, seq__gt=restores[0].seq
    )
    assert {e.target_kind for e in changed} == {"handoffs", "exceptions"}
    assert entry.seq == max(e.seq for e in [restores[0], *changed])


def test_undo_of_an_owner_fills_the_fields_the_delete_cleared(lead_client, project):
    steward = OwnerFactory(project=project, name="Grace Hopper")
    element = DataElementFactory(project=project, steward=steward)
    version = DataElement.objects.get(pk=element.pk).version
    _delete(lead_client, project, "owners", steward)
    assert DataElement.objects.get(pk=element.pk).steward is None

    assert _undo(lead_client, project, "owners", steward.pk).status_code == 200
    fresh = DataElement.objects.get(pk=element.pk)
    assert fresh.steward_id == steward.pk
    assert fresh.version > version  # a form opened on the cleared field is now out of date
    entry = (
        ActivityEntry.objects.filter(project=project, target_kind="data-elements")
        .order_by("seq")
        .last()
    )
    assert entry.action == ActivityAction.CHANGED
    assert entry.summary.endswith("Steward restored with owner “Grace Hopper”")


def test_undo_of_a_handoff_brings_its_duties_back(lead_client, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    duty = DutyFactory(project=project, handoff=handoff)
    _delete(lead_client, project, "handoffs", handoff, also=[str(duty)])
    assert not Duty.objects.exists()

    _undo(lead_client, project, "handoffs", handoff.pk)
    assert Handoff.objects.get(pk=handoff.pk).name == "Order to warehouse"
    assert Duty.objects.get(pk=duty.pk).handoff_id == handoff.pk
    restores = ActivityEntry.objects.filter(project=project, action=ActivityAction.RESTORED)
    assert {e.target_kind for e in restores} == {"handoffs", "duties"}


def test_undo_of_an_exception_case_brings_its_test_runs_back(lead_client, project):
    case = ExceptionCaseFactory(project=project)
    run = TestRun.objects.create(
        project=project,
        exception_case=case,
        run_on=dt.date(2026, 3, 2),
        result="passed",
        tester="Ann",
        evidence="Sent a record without region; it was parked.",
    )
    _delete(lead_client, project, "exceptions", case)
    assert not TestRun.objects.exists()
    _undo(lead_client, project, "exceptions", case.pk)
    assert ExceptionCase.objects.filter(pk=case.pk).exists()
    assert TestRun.objects.get(pk=run.pk).evidence == run.evidence


def test_a_double_undo_restores_once(lead_client, project):
    element = DataElementFactory(project=project, name="Customer")
    _delete(lead_client, project, "data-elements", element)
    first = _undo(lead_client, project, "data-elements", element.pk)
    second = _undo(lead_client, project, "data-elements", element.pk)
    assert first.status_code == 200
    assert second.status_code == 404  # the undo was used up
    assert DataElement.objects.filter(project=project).count() == 1
    assert ActivityEntry.objects.filter(action=ActivityAction.RESTORED).count() == 1


def test_two_undos_at_once_restore_once(lead_client, project):
    """The same undo sent twice before either answered: both requests carry the record (a
    session read before the other wrote); the service refuses the second."""
    from readiness.registers.services import RestoreRefused, register_item_restore

    element = DataElementFactory(project=project, name="Customer")
    _delete(lead_client, project, "data-elements", element)
    undo = lead_client.session["undo_deletes"][f"{project.pk}:data-elements:{element.pk}"]
    register_item_restore(project=project, undo=undo, user=None)
    with pytest.raises(RestoreRefused, match="back already"):
        register_item_restore(project=project, undo=undo, user=None)
    assert ActivityEntry.objects.filter(action=ActivityAction.RESTORED).count() == 1


def test_undo_is_refused_once_the_project_changed(lead_client, project):
    element = DataElementFactory(project=project, name="Customer")
    other = DataElementFactory(project=project, name="Supplier")
    _delete(lead_client, project, "data-elements", element)
    _delete(lead_client, project, "data-elements", other)  # the next change

    response = _undo(lead_client, project, "data-elements", element.pk)
    assert response.status_code == 409
    assert "the project changed since the delete" in response.content.decode()
    assert not DataElement.objects.filter(pk=element.pk).exists()
    # The latest delete can still be undone.
    assert _undo(lead_client, project, "data-elements", other.pk).status_code == 200


def test_undo_is_refused_after_the_time_is_up(lead_client, project):
    element = DataElementFactory(project=project, name="Customer")
    _delete(lead_client, project, "data-elements", element)
    session = lead_client.session
    key = f"{project.pk}:data-elements:{element.pk}"
    kept = session["undo_deletes"]
    late = dt.datetime.fromisoformat(kept[key]["at"]) - dt.timedelta(seconds=UNDO_SECONDS + 1)
    kept[key]["at"] = late.isoformat()
    session["undo_deletes"] = kept
    session.save()

    response = _undo(lead_client, project, "data-elements", element.pk)
    assert response.status_code == 409
    assert "Too late to undo" in response.content.decode()
    assert not DataElement.objects.filter(pk=element.pk).exists()


def test_undo_without_javascript_goes_back_to_the_list(lead_client, project):
    element = DataElementFactory(project=project, name="Customer")
    _delete(lead_client, project, "data-elements", element)
    response = _undo(lead_client, project, "data-elements", element.pk, headers={})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registers:list", kwargs={"slug": project.slug, "kind": "data-elements"}
    )
    assert DataElement.objects.filter(pk=element.pk).exists()


@pytest.mark.parametrize("persona", ["viewer", "outsider", "contributor"])
def test_only_who_could_delete_may_undo(request, lead_client, project, persona):
    owner = make_item("owners", project)  # contributors may not change owners
    _delete(lead_client, project, "owners", owner)
    client = request.getfixturevalue(f"{persona}_client")
    response = _undo(client, project, "owners", owner.pk)
    assert response.status_code == {"viewer": 403, "outsider": 404, "contributor": 403}[persona]
    assert not type(owner).objects.filter(pk=owner.pk).exists()


def test_another_editor_has_no_undo_of_my_delete(lead_client, contributor_client, project):
    element = DataElementFactory(project=project)
    _delete(lead_client, project, "data-elements", element)
    assert _undo(contributor_client, project, "data-elements", element.pk).status_code == 404
    assert not DataElement.objects.filter(pk=element.pk).exists()


def test_a_save_on_a_check_page_sends_the_bar_without_the_strip(lead_client, project):
    """A check's pages show the five checks in their own menu; the register pages in the bar."""
    element = DataElementFactory(project=project)
    on_check = {"HX-Current-URL": f"http://testserver/projects/{project.slug}/checks/data/"}
    html = _delete(lead_client, project, "data-elements", element).text
    assert 'id="verdict-bar" hx-swap-oob="true"' in html and 'class="strip"' in html
    html = _undo(lead_client, project, "data-elements", element.pk, {**HTMX, **on_check}).text
    assert 'id="verdict-bar" hx-swap-oob="true"' in html and 'class="strip"' not in html


def test_without_javascript_the_list_offers_undo_after_a_delete(lead_client, project):
    element = DataElementFactory(project=project, name="Customer")
    list_url = reverse("registers:list", kwargs={"slug": project.slug, "kind": "data-elements"})
    delete_url = reverse(
        "registers:item-delete",
        kwargs={"slug": project.slug, "kind": "data-elements", "pk": element.pk},
    )
    assert "You can undo" in lead_client.get(delete_url).text
    response = lead_client.post(delete_url, follow=True)
    html = response.content.decode()
    assert "You deleted data element “Customer”." in html
    undo = reverse(
        "registers:item-undo-delete",
        kwargs={"slug": project.slug, "kind": "data-elements", "pk": element.pk},
    )
    assert f'action="{undo}"' in html
    html = lead_client.post(undo, follow=True).content.decode()
    assert "Data element “Customer” restored." in html
    assert "You deleted" not in html
    assert DataElement.objects.filter(pk=element.pk).exists()

    # Once something else changed, the list no longer offers it.
    other = DataElementFactory(project=project, name="Supplier")
    lead_client.post(
        reverse(
            "registers:item-delete",
            kwargs={"slug": project.slug, "kind": "data-elements", "pk": element.pk},
        )
    )
    _delete(lead_client, project, "data-elements", other)
    assert "You deleted data element “Customer”" not in lead_client.get(list_url).text
