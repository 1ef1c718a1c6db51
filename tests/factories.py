"""Factories for the foundation models: valid by default, one project per item unless given."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from readiness.projects.models import BlackoutPeriod, Membership, Owner, Project, Role, System
from readiness.registers.models import (
    DataElement,
    Duty,
    DutyKind,
    ExceptionCase,
    Handoff,
    Report,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    last_name = "Example"
    password = factory.django.Password(PASSWORD)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Rollout {n}")
    slug = factory.Sequence(lambda n: f"rollout-{n}")
    summary = "Move order-to-cash onto the new ERP."
    desired_outcome = "Orders invoiced within 24 hours, down from 4 days."
    plan_lock_date = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=30)
    )
    go_live_date = factory.LazyAttribute(lambda p: p.plan_lock_date + datetime.timedelta(days=60))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONTRIBUTOR


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Owner {n}")
    email = factory.LazyAttribute(lambda o: f"{o.name.lower().replace(' ', '.')}@example.com")
    team = "Finance"


class SystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = System

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"System {n}")
    vendor = "Acme"


class BlackoutPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlackoutPeriod

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Blackout {n}")
    starts_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=200))
    ends_on = factory.LazyAttribute(lambda b: b.starts_on + datetime.timedelta(days=10))


class DataElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataElement
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Data element {n}")
    definition = "What it means to the business."
    # Measured and accurate unless a test says otherwise: data quality is its own warning sign.
    accuracy_percent = Decimal("99.5")
    accuracy_measured_on = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def consuming_systems(self, create, extracted, **kwargs):
        if create and extracted:
            self.consuming_systems.set(extracted)


class HandoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handoff
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Handoff {n}")
    trigger = "Order confirmed"

    @factory.post_generation
    def data_elements(self, create, extracted, **kwargs):
        if create and extracted:
            self.data_elements.set(extracted)


class ExceptionCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExceptionCase
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Exception case {n}")
    scenario = "The customer record is missing its region."

    @factory.post_generation
    def data_elements(self, create, extracted, **kwargs):
        if create and extracted:
            self.data_elements.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Report {n}")
    business_question = "How much did we invoice today?"
    shows_why = True

    @factory.post_generation
    def source_elements(self, create, extracted, **kwargs):
        if create and extracted:
            self.source_elements.set(extracted)

    @factory.post_generation
    def source_systems(self, create, extracted, **kwargs):
        if create and extracted:
            self.source_systems.set(extracted)


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Duty

    project = factory.SubFactory(ProjectFactory)
    kind = DutyKind.REVIEW_FAILURES
    handoff = factory.SubFactory(HandoffFactory, project=factory.SelfAttribute("..project"))
    notes = "Every morning."


ITEM_FACTORIES = {
    "data-elements": DataElementFactory,
    "handoffs": HandoffFactory,
    "exceptions": ExceptionCaseFactory,
    "reports": ReportFactory,
    "duties": DutyFactory,
    "owners": OwnerFactory,
    "systems": SystemFactory,
    "blackouts": BlackoutPeriodFactory,
}

# The least each register's form needs to be valid, as unprefixed field names.
VALID_INPUT = {
    "data-elements": {"name": "Customer credit limit", "criticality": "critical"},
    "handoffs": {"name": "Order to warehouse", "mechanism": "email"},
    "exceptions": {
        "name": "Order without region",
        "severity": "high",
        "test_status": "untested",
        "expected_handling": "pause",
    },
    "reports": {"name": "Daily invoicing", "timing": "day_one"},
    "duties": {"kind": DutyKind.APPROVE_CHANGES},
    "owners": {"name": "Dana Scully", "kind": "business"},
    "systems": {"name": "Warehouse app"},
    "blackouts": {"name": "Year-end close", "starts_on": "2031-12-20", "ends_on": "2032-01-10"},
}


def make_item(kind: str, project, /, **kwargs):
    return ITEM_FACTORIES[kind](project=project, **kwargs)


def prefixed(prefix: str, values: dict) -> dict:
    return {f"{prefix}-{name}": value for name, value in values.items()}


def create_data(kind: str, /, **changes) -> dict:
    """POST data for the create form of a register (prefix `item-new`)."""
    return prefixed("item-new", {**VALID_INPUT[kind], **changes})


def edit_data(kind: str, item, /, **changes) -> dict:
    """POST data for the edit form of `item`, as the form shows it, with `changes` applied.

    Carries `opened_version` as shown, so a save counts as made on the current version.
    """
    from readiness.registers.specs import SPECS

    form = SPECS[kind].form_class(
        instance=item, project=item.project, prefix=f"item-{item.pk}", may_name_owners=True
    )
    values = {}
    for bound in form:
        value = changes.get(bound.name, bound.value())
        if value is None or value is False:
            continue  # an empty select, or an unticked box, is not posted
        values[bound.name] = "on" if value is True else value
    return prefixed(f"item-{item.pk}", values)


def accountable_executive(project):
    """The project's accountable executive, named for the test if it has none: an owner with a
    user account who is a viewer of the project."""
    if project.accountable_executive_id:
        return Owner.objects.select_related("user").get(pk=project.accountable_executive_id).user
    user = UserFactory(first_name="Evelyn", last_name="Exec")
    Membership.objects.create(project=project, user=user, role=Role.VIEWER)
    owner = Owner.objects.create(
        project=project, name=f"Evelyn Exec {user.pk}", team="Board", user=user
    )
    Project.objects.filter(pk=project.pk).update(accountable_executive=owner)
    project.refresh_from_db()
    return user


def accept_finding(*, project, check, finding_key, rationale, user, approver=None, until=None):
    """Accept a finding the way the product requires: proposed by the check's signatory
    (`user`), approved by someone else (`approver`, else the accountable executive)."""
    from readiness.reviews import services

    project.refresh_from_db()
    approver = approver or accountable_executive(project)
    project.refresh_from_db()
    acceptance = services.acceptance_propose(
        project=project,
        check=check,
        finding_key=finding_key,
        rationale=rationale,
        expires_on=until or project.go_live_date,
        user=user,
    )
    project.refresh_from_db()
    return services.acceptance_approve(project=project, acceptance=acceptance, user=approver)


def project_settings_data(project, /, **changes) -> dict:
    """POST data for the project settings form as it shows `project`, with `changes` applied."""
    return {
        "name": project.name,
        "summary": project.summary,
        "desired_outcome": project.desired_outcome,
        "plan_lock_date": project.plan_lock_date.isoformat(),
        "go_live_date": project.go_live_date.isoformat(),
        "lifecycle": project.lifecycle,
        "breakage_plan": project.breakage_plan,
        "opened_version": project.version,
        **changes,
    }
