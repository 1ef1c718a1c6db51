"""The canonical content of what is signed and its hash: stable, id-free, and complete."""

import datetime as dt

import pytest
from django.db.models import F

from readiness.projects.models import Owner, System
from readiness.registers.models import (
    DataElement,
    DutyKind,
    ExceptionCase,
    Handling,
    Handoff,
    Mechanism,
    Severity,
)
from readiness.registers.specs import SPECS
from readiness.reviews import services
from readiness.reviews.checks import get_check
from readiness.reviews.selectors import check_content, project_review
from readiness.reviews.signing import SKIPPED_FIELDS, canonical_json, content_hash, item_content
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    OwnerFactory,
    ProjectFactory,
    ReportFactory,
    SystemFactory,
)
from tests.reviews.support import CHECK_KEYS, answer_all, member_owner

FIXED = {
    "name": "Order to warehouse",
    "mechanism": "email",
    "shared_record": False,
    "fixer": None,
    "tested_on": dt.date(2025, 3, 31),
    "data_elements": ["Customer", "Order"],
    "note": "Grüße — “quoted”",
    "count": 3,
}
FIXED_JSON = (
    '{"count":3,"data_elements":["Customer","Order"],"fixer":null,"mechanism":"email",'
    '"name":"Order to warehouse","note":"Grüße — “quoted”","shared_record":false,'
    '"tested_on":"2025-03-31"}'
)
# Computed once by hand (sha256 of FIXED_JSON as UTF-8). If this changes, every stored
# sign-off in every database turns stale: change the serialization only on purpose.
FIXED_DIGEST = "236488c32d28fba3c4dc1200bf9a4c11a47f4ba0f1c82ae3013d4e46dd076aa1"

HANDOFF_FIELDS = {
    "name",
    "from_system",
    "from_team",
    "to_system",
    "to_team",
    "trigger",
    "receiving_owner",
    "data_elements",
    "receiver_needs",
    "shared_record",
    "wait_rule",
    "rejection_path",
    "fixer",
    "escalation_path",
    "mechanism",
    "automation_rules",
    "rules_state",
    "human_checkpoint",
    "interface_status",
    "interface_tested_on",
    "is_workaround",
}
EXCEPTION_FIELDS = {
    "name",
    "scenario",
    "handoff",
    "data_elements",
    "expected_handling",
    "decision_owner",
    "severity",
    "test_status",
    "tested_on",
    "evidence",
}
MODELS = {"handoffs": Handoff, "exceptions": ExceptionCase}
FIELDS = {"handoffs": HANDOFF_FIELDS, "exceptions": EXCEPTION_FIELDS}
FIELD_PARAMS = [(kind, name) for kind in FIELDS for name in sorted(FIELDS[kind])]


def _model_signed_fields(model) -> set[str]:
    """Every editable field and forward many-to-many of the model, from its _meta."""
    return {
        f.name
        for f in model._meta.get_fields()
        if not f.auto_created and (f.concrete or f.many_to_many) and f.name not in SKIPPED_FIELDS
    }


def _fresh(kind, item):
    return SPECS[kind].queryset(item.project).get(pk=item.pk)


def _hash(kind, item) -> str:
    return content_hash(item_content(_fresh(kind, item)))


def _full_item(kind, project, owner):
    """An item with every field filled, so any change is a change of value."""
    erp = SystemFactory(project=project, name="ERP")
    crm = SystemFactory(project=project, name="CRM")
    customer = DataElementFactory(project=project, name="Customer")
    handoff = HandoffFactory(
        project=project,
        name="Order to warehouse",
        from_system=erp,
        from_team="Sales",
        to_system=crm,
        to_team="Warehouse",
        trigger="Order approved",
        receiving_owner=owner,
        data_elements=[customer],
        receiver_needs="Ship-to address",
        shared_record=True,
        wait_rule="Hold while credit review is open",
        rejection_path="Back to sales ops",
        fixer=owner,
        escalation_path="Ops lead after 4h",
        mechanism=Mechanism.AUTOMATED,
        automation_rules="Retry, then a person",
        rules_state="written",
        human_checkpoint="yes",
        interface_status="tested",
        interface_tested_on=dt.date(2025, 1, 10),
        is_workaround=False,
    )
    if kind == "handoffs":
        return handoff
    return ExceptionCaseFactory(
        project=project,
        name="Order without region",
        scenario="Region is blank",
        handoff=handoff,
        data_elements=[customer],
        expected_handling=Handling.PAUSE,
        decision_owner=owner,
        severity=Severity.HIGH,
        test_status="passed",
        tested_on=dt.date(2025, 1, 15),
        evidence="Run 42",
    )


def _change(item, name):
    """Give field `name` of `item` a different value and save it, as the register would."""
    field = type(item)._meta.get_field(name)
    project = item.project
    if field.many_to_many:
        getattr(item, name).add(DataElementFactory(project=project, name="Added element"))
        return
    current = getattr(item, name)
    if field.is_relation:
        factory = {Owner: OwnerFactory, System: SystemFactory, Handoff: HandoffFactory}
        value = factory[field.related_model](project=project, name=f"Other {name}")
    elif field.choices:
        value = next(v for v, _ in field.choices if v != current)
    elif isinstance(current, bool):
        value = not current
    elif isinstance(current, dt.date):
        value = current + dt.timedelta(days=1)
    else:
        value = f"{current} (changed)"
    setattr(item, name, value)
    item.save()


def test_it_serializes_canonically_to_a_known_digest():
    assert canonical_json(FIXED) == FIXED_JSON
    assert content_hash(FIXED) == FIXED_DIGEST


def test_it_hashes_equal_content_equally_whatever_the_key_order():
    reordered = dict(reversed(list(FIXED.items())))
    assert content_hash(reordered) == content_hash(dict(FIXED)) == FIXED_DIGEST
    assert content_hash({**FIXED, "count": 4}) != FIXED_DIGEST


@pytest.mark.parametrize("kind", list(FIELDS))
def test_it_lists_every_signed_field_in_this_test(kind):
    # A new field on the model must be added to FIELDS, and so to the parametrization below.
    assert _model_signed_fields(MODELS[kind]) == FIELDS[kind]


@pytest.mark.parametrize("kind", list(FIELDS))
def test_it_signs_exactly_the_signed_fields(project, kind):
    owner = OwnerFactory(project=project, name="Anna Berg")
    content = item_content(_fresh(kind, _full_item(kind, project, owner)))
    assert set(content) == FIELDS[kind]
    assert not {"id", "project", "created", "updated", "version"} & set(content)


def test_it_signs_relations_by_name_and_many_to_many_sorted(project):
    owner = OwnerFactory(project=project, name="Anna Berg")
    handoff = _full_item("handoffs", project, owner)
    handoff.data_elements.add(DataElementFactory(project=project, name="Address"))
    content = item_content(_fresh("handoffs", handoff))
    assert content["receiving_owner"] == "Anna Berg"
    assert content["from_system"] == "ERP"
    assert content["data_elements"] == ["Address", "Customer"]
    exception = ExceptionCaseFactory(project=project, tested_on=dt.date(2025, 1, 15))
    content = item_content(_fresh("exceptions", exception))
    assert content["decision_owner"] is None
    assert content["tested_on"] == "2025-01-15"


@pytest.mark.parametrize(("kind", "name"), FIELD_PARAMS)
def test_it_changes_hash_and_stales_signoff_on_any_signed_field(project, kind, name):
    user, owner = member_owner(project, "anna", name="Anna Berg")
    item = _full_item(kind, project, owner)
    signoff = services.item_sign(project=project, kind=kind, item=item, statement="OK", user=user)
    assert signoff.content_hash == _hash(kind, item)

    _change(_fresh(kind, item), name)

    assert _hash(kind, item) != signoff.content_hash
    state = project_review(project).item_signoffs[(kind, item.pk)]
    assert state.signoff == signoff
    assert state.stale


@pytest.mark.parametrize(("kind", "name"), [("handoffs", "fixer"), ("exceptions", "handoff")])
def test_it_changes_hash_when_a_relation_is_cleared(project, kind, name):
    item = _full_item(kind, project, OwnerFactory(project=project))
    before = _hash(kind, item)
    setattr(item, name, None)
    item.save()
    assert _hash(kind, item) != before


@pytest.mark.parametrize("kind", list(FIELDS))
def test_it_keeps_hash_and_signoff_on_a_bare_save_or_version_bump(project, kind):
    user, owner = member_owner(project, "anna", name="Anna Berg")
    item = _full_item(kind, project, owner)
    signoff = services.item_sign(project=project, kind=kind, item=item, statement="OK", user=user)
    fresh = _fresh(kind, item)
    fresh.save()  # bumps `updated`
    MODELS[kind].objects.filter(pk=item.pk).update(version=F("version") + 5)

    after = _fresh(kind, item)
    assert (after.updated, after.version) != (item.updated, item.version)
    assert _hash(kind, item) == signoff.content_hash
    assert not project_review(project).item_signoffs[(kind, item.pk)].stale


def _identical_project(name):
    """The same content in a fresh project: same names everywhere, new database ids."""
    project = ProjectFactory(name=name, slug=name.lower().replace(" ", "-"))
    anna = OwnerFactory(project=project, name="Anna Berg")
    vendor = OwnerFactory(project=project, name="Acme", kind="vendor")
    erp = SystemFactory(project=project, name="ERP")
    crm = SystemFactory(project=project, name="CRM")
    customer = DataElementFactory(
        project=project, name="Customer", system_of_truth=erp, consuming_systems=[crm]
    )
    order = DataElementFactory(project=project, name="Order", defined_differently=True)
    handoff = HandoffFactory(
        project=project,
        name="Order to warehouse",
        from_system=erp,
        to_system=crm,
        receiving_owner=anna,
        data_elements=[order, customer],
        mechanism=Mechanism.EMAIL,
    )
    ExceptionCaseFactory(
        project=project,
        name="Order without region",
        handoff=handoff,
        decision_owner=anna,
        data_elements=[customer],
        severity=Severity.HIGH,
    )
    ReportFactory(
        project=project,
        name="Daily invoicing",
        owner=anna,
        source_elements=[customer],
        source_systems=[erp],
        needs_reconciliation=True,
    )
    DutyFactory(project=project, kind=DutyKind.REVIEW_FAILURES, handoff=handoff, owner=vendor)
    for key in CHECK_KEYS:
        answer_all(project, key, answer="partly")
    return project


def _by_name(review):
    return {
        (kind, review.item_contents[(kind, pk)]["name"]): digest
        for (kind, pk), digest in review.item_hashes.items()
    }


def test_it_hashes_the_same_content_the_same_in_projects_with_other_ids(db):
    first = _identical_project("First rollout")
    # Push the second project's ids well past the first's in every table.
    filler = ProjectFactory()
    for _ in range(7):
        owner = OwnerFactory(project=filler)
        HandoffFactory(project=filler, receiving_owner=owner)
        ExceptionCaseFactory(project=filler)
        DataElementFactory(project=filler)
        SystemFactory(project=filler)
    second = _identical_project("Second rollout")
    assert Handoff.objects.get(project=second).pk != Handoff.objects.get(project=first).pk
    assert DataElement.objects.filter(project=second).first().pk > 7

    one, two = project_review(first), project_review(second)
    assert len(_by_name(one)) == 2
    assert _by_name(one) == _by_name(two)
    assert {c.key: c.content_hash for c in one.checks} == {
        c.key: c.content_hash for c in two.checks
    }
    assert one.findings  # the comparison covered findings too, not just empty checks


def test_it_hashes_the_same_on_every_review(project):
    _full_item("exceptions", project, OwnerFactory(project=project))
    one, two = project_review(project), project_review(project)
    assert one.item_hashes == two.item_hashes
    assert [c.content_hash for c in one.checks] == [c.content_hash for c in two.checks]


def test_it_hashes_a_check_independently_of_register_row_order():
    ownership = get_check("ownership")
    first = {"kind": "review_failures", "handoff": "b-handoff", "owner": "Anna", "notes": ""}
    second = {"kind": "review_failures", "handoff": "C-handoff", "owner": "Anna", "notes": ""}
    one = check_content(ownership, [first, second], {}, [])
    two = check_content(ownership, [second, first], {}, [])
    assert content_hash(one) == content_hash(two)
