"""An edit that would make someone's current sign-off stale is shown first, saved only once the
editor confirms; an edit that changes nothing signed saves at once."""

import pytest
from django.urls import reverse

from readiness.projects.models import ActivityEntry
from readiness.registers.models import DataElement, Handoff
from readiness.reviews import services
from readiness.reviews.checks import get_check
from readiness.reviews.models import SignOff
from readiness.reviews.selectors import project_review
from tests.factories import (
    DataElementFactory,
    SystemFactory,
    create_data,
    edit_data,
)
from tests.reviews.support import (
    HTMX,
    answer_all,
    clean_handoff,
    member_owner,
    name_signatory,
)

pytestmark = pytest.mark.django_db


def _url(project, name, kind, item=None) -> str:
    kwargs = {"slug": project.slug, "kind": kind}
    if item is not None:
        kwargs["pk"] = item.pk
    return reverse(f"registers:{name}", kwargs=kwargs)


@pytest.fixture
def olga(project):
    return member_owner(project, "olga", name="Olga Owner")


@pytest.fixture
def customer(project):
    return DataElementFactory(project=project, name="Customer")


@pytest.fixture
def signed(project, olga, customer):
    """A handoff carrying “Customer”, signed by its receiving owner Olga."""
    user, owner = olga
    handoff = clean_handoff(project, owner, name="Order to warehouse", data_elements=[customer])
    services.item_sign(project=project, kind="handoffs", item=handoff, statement="OK", user=user)
    return handoff


def _stale(project) -> set:
    review = project_review(project)
    stale = {(k, pk) for k, pk, _ in review.stale_items}
    stale |= {("check", c.key) for c in review.checks if c.signoff and c.signoff.stale}
    return stale


WARNING = "Saving makes Olga Owner’s sign-off of this handoff stale."


def test_it_warns_before_an_edit_makes_the_items_own_signoff_stale(
    contributor_client, project, signed
):
    data = edit_data("handoffs", signed, trigger="Order released")
    seq = ActivityEntry.objects.count()

    warned = contributor_client.post(_url(project, "item-edit", "handoffs", signed), data)

    assert warned.status_code == 200
    assert WARNING in warned.text
    assert "Nothing is saved until you choose “Save anyway”; your input is kept." in warned.text
    assert 'value="Order released"' in warned.text
    assert Handoff.objects.get(pk=signed.pk).trigger == signed.trigger
    assert ActivityEntry.objects.count() == seq
    assert _stale(project) == set()

    confirmed = contributor_client.post(
        _url(project, "item-edit", "handoffs", signed), {**data, "confirm_stale": "1"}
    )
    assert confirmed.status_code == 302
    assert _stale(project) == {("handoffs", signed.pk)}


def test_it_warns_in_the_inline_row_too(contributor_client, project, signed):
    data = edit_data("handoffs", signed, trigger="Order released")
    warned = contributor_client.post(
        _url(project, "item-edit", "handoffs", signed), data, headers=HTMX
    )
    assert warned.text.lstrip().startswith(f'<tr id="row-handoffs-{signed.pk}" class="editing"')
    assert WARNING in warned.text
    assert 'name="confirm_stale" value="1"' in warned.text
    assert ">Save anyway</button>" in warned.text


def test_it_saves_at_once_when_nothing_signed_changes(contributor_client, project, signed):
    erp = SystemFactory(project=project, name="ERP", vendor="Acme")
    response = contributor_client.post(
        _url(project, "item-edit", "systems", erp), edit_data("systems", erp, vendor="Globex")
    )
    assert response.status_code == 302
    assert _stale(project) == set()


def test_it_warns_when_renaming_a_data_element_changes_a_signed_handoff(
    contributor_client, project, signed, customer
):
    data = edit_data("data-elements", customer, name="Customer master")

    warned = contributor_client.post(_url(project, "item-edit", "data-elements", customer), data)

    assert warned.status_code == 200
    assert "Saving makes Olga Owner’s sign-off of handoff “Order to warehouse” stale." in (
        warned.text
    )
    assert DataElement.objects.get(pk=customer.pk).name == "Customer"
    contributor_client.post(
        _url(project, "item-edit", "data-elements", customer), {**data, "confirm_stale": "1"}
    )
    assert _stale(project) == {("handoffs", signed.pk)}


def test_it_warns_when_renaming_the_receiving_owner_changes_a_signed_handoff(
    lead_client, project, olga, signed
):
    owner = olga[1]
    data = edit_data("owners", owner, name="Olga Smith")

    warned = lead_client.post(_url(project, "item-edit", "owners", owner), data)

    assert warned.status_code == 200
    assert "Saving makes Olga Owner’s sign-off of handoff “Order to warehouse” stale." in (
        warned.text
    )
    assert _stale(project) == set()


@pytest.fixture
def signed_check(project, olga):
    """Check 1 (data) signed by Olga, with nothing open."""
    user, owner = olga
    name_signatory(project, "data", owner)
    answer_all(project, "data")
    services.check_sign(project=project, check=get_check("data"), statement="OK", user=user)
    assert SignOff.objects.filter(check_key="data").exists()


def test_it_warns_before_a_new_item_makes_a_check_signoff_stale(
    contributor_client, project, customer, signed_check
):
    data = create_data("data-elements", name="Invoice", criticality="minor")

    warned = contributor_client.post(_url(project, "item-create", "data-elements"), data)

    assert warned.status_code == 200
    assert "Saving makes Olga Owner’s sign-off of Check 1 · Data that must move stale." in (
        warned.text
    )
    assert not DataElement.objects.filter(name="Invoice").exists()
    confirmed = contributor_client.post(
        _url(project, "item-create", "data-elements"), {**data, "confirm_stale": "1"}
    )
    assert confirmed.status_code == 302
    assert DataElement.objects.filter(name="Invoice").count() == 1
    assert _stale(project) == {("check", "data")}
