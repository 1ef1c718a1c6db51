"""One description per register, so the list / inline edit / delete views are written once.

A spec says which model and form a register uses, which columns it lists and how they sort,
which filters it offers, what to prefetch so the list costs the same queries at any size,
and who may change it.
"""

from dataclasses import dataclass, field

from django.db import models
from django.http import Http404

from readiness.projects.models import BlackoutPeriod, Owner, System
from readiness.registers import forms
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report


@dataclass(frozen=True)
class Column:
    label: str
    sort: str = ""  # order_by expression; empty: not sortable


@dataclass(frozen=True)
class Filter:
    param: str
    label: str
    lookup: str
    choices: tuple = ()  # static choices; empty means owners of the project


@dataclass(frozen=True)
class RegisterSpec:
    kind: str
    model: type[models.Model]
    form_class: type[forms.ProjectItemForm]
    title: str
    singular: str
    intro: str
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    permission: str = "edit_registers"
    check: int | None = None
    default_order: tuple[str, ...] = ("name",)
    search_fields: tuple[str, ...] = ("name",)
    extra: dict = field(default_factory=dict)

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def row_template(self) -> str:
        return f"registers/rows/{self.kind}.html"

    def queryset(self, project) -> models.QuerySet:
        qs = self.model.objects.filter(project=project)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


def owner_filter(lookup: str, label: str = "Owner") -> Filter:
    return Filter(param="owner", label=label, lookup=lookup)


SPECS: dict[str, RegisterSpec] = {
    spec.kind: spec
    for spec in (
        RegisterSpec(
            kind="data-elements",
            model=DataElement,
            form_class=forms.DataElementForm,
            title="Data that must move",
            singular="data element",
            intro="Record types that must move between systems, with their meaning, "
            "their system of truth and the context that has to travel with them.",
            check=1,
            columns=(
                Column("Name", "name"),
                Column("Criticality", "criticality"),
                Column("System of truth", "system_of_truth__name"),
                Column("Consumed by"),
                Column("Steward", "steward__name"),
                Column("Accuracy", "accuracy_percent"),
                Column("Flags"),
            ),
            filters=(
                owner_filter("steward", "Steward"),
                Filter(
                    "criticality",
                    "Criticality",
                    "criticality",
                    tuple(DataElement._meta.get_field("criticality").choices),
                ),
            ),
            select_related=("system_of_truth", "steward"),
            prefetch_related=("consuming_systems",),
        ),
        RegisterSpec(
            kind="handoffs",
            model=Handoff,
            form_class=forms.HandoffForm,
            title="Handoffs",
            singular="handoff",
            intro="Work passing between systems and teams: who acts next, on what trigger, "
            "what waits, and who may fix a rejected record.",
            check=2,
            columns=(
                Column("Name", "name"),
                Column("From → to"),
                Column("Mechanism", "mechanism"),
                Column("Receiving owner", "receiving_owner__name"),
                Column("Who may fix", "fixer__name"),
                Column("Interface", "interface_status"),
                Column("Flags"),
                Column("Sign-off"),
            ),
            filters=(
                owner_filter("receiving_owner", "Receiving owner"),
                Filter(
                    "mechanism",
                    "Mechanism",
                    "mechanism",
                    tuple(Handoff._meta.get_field("mechanism").choices),
                ),
            ),
            select_related=("from_system", "to_system", "receiving_owner", "fixer"),
            prefetch_related=("data_elements",),
        ),
        RegisterSpec(
            kind="exceptions",
            model=ExceptionCase,
            form_class=forms.ExceptionCaseForm,
            title="Exception cases",
            singular="exception case",
            intro="The ugly cases: how each should be handled, who decides when the process "
            "must stop, and whether it was tested before the plan locks.",
            check=3,
            columns=(
                Column("Case", "name"),
                Column("Severity", "severity"),
                Column("Test", "test_status"),
                Column("Handling", "expected_handling"),
                Column("Decision owner", "decision_owner__name"),
                Column("Handoff", "handoff__name"),
                Column("Sign-off"),
            ),
            filters=(
                owner_filter("decision_owner", "Decision owner"),
                Filter(
                    "status",
                    "Test status",
                    "test_status",
                    tuple(ExceptionCase._meta.get_field("test_status").choices),
                ),
                Filter(
                    "severity",
                    "Severity",
                    "severity",
                    tuple(ExceptionCase._meta.get_field("severity").choices),
                ),
            ),
            select_related=("handoff", "decision_owner"),
            prefetch_related=("data_elements",),
        ),
        RegisterSpec(
            kind="reports",
            model=Report,
            form_class=forms.ReportForm,
            title="Reports",
            singular="report",
            intro="Reports and dashboards leaders rely on, where their numbers come from, "
            "and whether they can be trusted without reconciling by hand.",
            check=4,
            columns=(
                Column("Name", "name"),
                Column("When", "timing"),
                Column("Sources"),
                Column("Owner", "owner__name"),
                Column("Flags"),
            ),
            filters=(
                owner_filter("owner"),
                Filter("timing", "When", "timing", tuple(Report._meta.get_field("timing").choices)),
            ),
            select_related=("owner",),
            prefetch_related=("source_elements", "source_systems"),
        ),
        RegisterSpec(
            kind="duties",
            model=Duty,
            form_class=forms.DutyForm,
            title="Ownership after launch",
            singular="duty",
            intro="Who reviews failures, approves changes and controls automation once "
            "people use the integration — one named owner per duty.",
            check=5,
            columns=(
                Column("Duty", "kind"),
                Column("Scope", "handoff__name"),
                Column("Owner", "owner__name"),
                Column("Deputy", "deputy__name"),
                Column("Notes"),
            ),
            filters=(
                owner_filter("owner"),
                Filter("kind", "Duty", "kind", tuple(Duty._meta.get_field("kind").choices)),
            ),
            select_related=("handoff", "owner", "deputy"),
            default_order=("kind", "handoff__name"),
            search_fields=("notes", "handoff__name"),
        ),
        RegisterSpec(
            kind="owners",
            model=Owner,
            form_class=forms.OwnerForm,
            title="Owners",
            singular="owner",
            intro="Named, accountable people. Only an owner linked to a member account can "
            "sign; after launch, integrations need owners inside the business.",
            permission="manage_project",
            columns=(
                Column("Name", "name"),
                Column("Kind", "kind"),
                Column("Team", "team"),
                Column("E-mail", "email"),
                Column("Account", "user__username"),
            ),
            filters=(Filter("kind", "Kind", "kind", tuple(Owner._meta.get_field("kind").choices)),),
            select_related=("user",),
            search_fields=("name", "team", "email"),
        ),
        RegisterSpec(
            kind="systems",
            model=System,
            form_class=forms.SystemForm,
            title="Systems",
            singular="system",
            intro="The systems in this rollout and who supplies them.",
            columns=(
                Column("Name", "name"),
                Column("Vendor", "vendor"),
                Column("Built", "build"),
                Column("Purpose"),
            ),
            filters=(
                Filter("build", "Built", "build", tuple(System._meta.get_field("build").choices)),
            ),
            search_fields=("name", "vendor"),
        ),
        RegisterSpec(
            kind="blackouts",
            model=BlackoutPeriod,
            form_class=forms.BlackoutPeriodForm,
            title="Cutover calendar",
            singular="blackout period",
            intro="Periods the business cannot absorb a cutover — peak season, year-end close, "
            "payroll runs. Go-live or a parallel run inside one is a warning sign.",
            columns=(
                Column("Name", "name"),
                Column("From", "starts_on"),
                Column("To", "ends_on"),
            ),
            default_order=("starts_on", "name"),
        ),
    )
}


def get_spec(kind: str) -> RegisterSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise Http404("No such register.") from None


def spec_for_model(model: type[models.Model]) -> RegisterSpec | None:
    return next((spec for spec in SPECS.values() if spec.model is model), None)
