"""Plain, frozen snapshots of a project's registers: what the warning-sign rules, the evidence
shown next to each question and the dossier read. Loaded once, in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F

from readiness.core.clock import site_today
from readiness.projects.models import BlackoutPeriod, Owner, Project, System
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report
from readiness.reviews.findings import ItemRef
from readiness.reviews.models import AssuranceReview, CheckSignatory


@dataclass(frozen=True)
class OwnerRow:
    pk: int
    name: str
    kind: str  # OwnerKind value
    team: str
    user_id: int | None

    @property
    def ref(self) -> ItemRef:
        return ItemRef("owners", self.pk, self.name)


@dataclass(frozen=True)
class SystemRow:
    pk: int
    name: str
    vendor: str = ""
    build: str = "configured"  # BuildKind value

    @property
    def ref(self) -> ItemRef:
        return ItemRef("systems", self.pk, self.name)


@dataclass(frozen=True)
class BlackoutRow:
    pk: int
    name: str
    starts_on: date
    ends_on: date

    @property
    def ref(self) -> ItemRef:
        return ItemRef("blackouts", self.pk, self.name)

    def overlaps(self, start: date, end: date) -> bool:
        return self.starts_on <= end and start <= self.ends_on


@dataclass(frozen=True)
class DataElementRow:
    pk: int
    name: str
    criticality: str  # Criticality value
    system_of_truth: str | None  # the system's name
    truth_disputed: bool
    defined_differently: bool
    steward: OwnerRow | None
    travelling_context: str
    consuming: tuple[str, ...]  # consuming systems' names, sorted
    definition: str = ""
    decision_fields: str = ""
    system_of_truth_id: int | None = None
    consuming_ids: tuple[int, ...] = ()
    context_travels: str = ""  # ContextTravels value
    population: str = ""  # Population value
    entry_validated: bool = False
    accuracy_percent: Decimal | None = None
    accuracy_measured_on: date | None = None
    period_date: str = "not_financial"  # PeriodDate value

    @property
    def ref(self) -> ItemRef:
        return ItemRef("data-elements", self.pk, self.name)


@dataclass(frozen=True)
class HandoffRow:
    pk: int
    name: str
    mechanism: str  # Mechanism value
    receiving_owner: OwnerRow | None
    fixer: OwnerRow | None
    shared_record: bool
    wait_rule: str
    automation_rules: str
    is_workaround: bool
    rejection_path: str
    escalation_path: str
    data_element_ids: tuple[int, ...]
    from_system: str | None = None
    to_system: str | None = None
    from_team: str = ""
    to_team: str = ""
    trigger: str = ""
    receiver_needs: str = ""
    from_system_id: int | None = None
    to_system_id: int | None = None
    rules_state: str = ""  # RulesState value
    human_checkpoint: str = ""  # Checkpoint value
    interface_status: str = "not_built"  # InterfaceStatus value
    interface_tested_on: date | None = None

    @property
    def ref(self) -> ItemRef:
        return ItemRef("handoffs", self.pk, self.name)


@dataclass(frozen=True)
class ExceptionRow:
    pk: int
    name: str
    severity: str  # Severity value
    test_status: str  # TestStatus value
    tested_on: date | None
    decision_owner: OwnerRow | None
    expected_handling: str  # Handling value
    handoff_id: int | None
    handoff_name: str | None = None
    data_element_ids: tuple[int, ...] = ()
    scenario: str = ""
    evidence: str = ""

    @property
    def ref(self) -> ItemRef:
        return ItemRef("exceptions", self.pk, self.name)


@dataclass(frozen=True)
class ReportRow:
    pk: int
    name: str
    timing: str  # ReportTiming value
    needs_reconciliation: bool
    shows_why: bool
    owner: OwnerRow | None
    source_count: int
    source_element_ids: tuple[int, ...] = ()
    source_systems: tuple[str, ...] = ()  # names, sorted
    business_question: str = ""
    definition_differences: str = ""

    @property
    def ref(self) -> ItemRef:
        return ItemRef("reports", self.pk, self.name)


@dataclass(frozen=True)
class DutyRow:
    pk: int
    kind: str  # DutyKind value
    kind_label: str
    handoff_id: int | None  # None: the duty covers the whole project
    handoff_name: str | None
    owner: OwnerRow | None
    notes: str = ""
    deputy: OwnerRow | None = None

    @property
    def name(self) -> str:
        # Same wording as Duty.name, so links read the same everywhere.
        return f"{self.kind_label} — {self.handoff_name or 'Whole project'}"

    @property
    def ref(self) -> ItemRef:
        return ItemRef("duties", self.pk, self.name)


@dataclass(frozen=True)
class AssuranceRow:
    """The latest independent assurance review of the project."""

    rating: str  # AssuranceRating value
    reviewer: str
    reviewed_on: date
    summary: str
    caveats: str


@dataclass(frozen=True)
class ReviewData:
    project_pk: int
    today: date
    plan_lock_date: date
    go_live_date: date
    desired_outcome: str
    breakage_plan: str
    owners: tuple[OwnerRow, ...]
    systems: tuple[SystemRow, ...]
    data_elements: tuple[DataElementRow, ...]
    handoffs: tuple[HandoffRow, ...]
    exceptions: tuple[ExceptionRow, ...]
    reports: tuple[ReportRow, ...]
    duties: tuple[DutyRow, ...]
    blackouts: tuple[BlackoutRow, ...] = ()
    accuracy_threshold: Decimal = Decimal(98)
    parallel_run_start: date | None = None
    parallel_run_end: date | None = None
    check_signatories: tuple[tuple[str, int], ...] = ()  # (check key, owner pk)
    assurance: AssuranceRow | None = None

    @property
    def days_to_plan_lock(self) -> int:
        """Negative once the plan has locked."""
        return (self.plan_lock_date - self.today).days

    @property
    def days_to_go_live(self) -> int:
        return (self.go_live_date - self.today).days


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for left, right in pairs:
        grouped[left].append(right)
    return grouped


def review_data_for(project: Project, *, today: date | None = None) -> ReviewData:
    """Everything the rules read, in a constant number of queries (one per table, no joins per
    row): values() rows joined in Python, many-to-many links read from the through tables."""
    owners = {
        row["pk"]: OwnerRow(**row)
        for row in Owner.objects.filter(project=project).values(
            "pk", "name", "kind", "team", "user_id"
        )
    }
    systems = {
        row["pk"]: SystemRow(**row)
        for row in System.objects.filter(project=project).values("pk", "name", "vendor", "build")
    }
    blackouts = tuple(
        BlackoutRow(**row)
        for row in BlackoutPeriod.objects.filter(project=project).values(
            "pk", "name", "starts_on", "ends_on"
        )
    )
    check_signatories = tuple(
        CheckSignatory.objects.filter(project=project)
        .order_by("check_key")
        .values_list("check_key", "owner_id")
    )

    def system_names(ids: Iterable[int]) -> tuple[str, ...]:
        return tuple(sorted(systems[i].name for i in ids if i in systems))

    consuming_through = DataElement.consuming_systems.through
    consuming = _group(
        consuming_through.objects.filter(dataelement__project=project).values_list(
            "dataelement_id", "system_id"
        )
    )

    # Rows are built as Row(derived fields first, **values_row): the helpers below pop the
    # id or joined-name columns off the values() row so the rest maps onto the dataclass 1:1.
    def owned(row: dict, field: str) -> OwnerRow | None:
        return owners.get(row.pop(field))

    data_elements = tuple(
        DataElementRow(
            steward=owned(row, "steward_id"),
            system_of_truth=row.pop("system_of_truth__name"),
            **row,
            consuming=system_names(consuming.get(row["pk"], ())),
            consuming_ids=tuple(sorted(consuming.get(row["pk"], ()))),
        )
        for row in DataElement.objects.filter(project=project).values(
            "pk",
            "name",
            "criticality",
            "truth_disputed",
            "defined_differently",
            "steward_id",
            "travelling_context",
            "definition",
            "decision_fields",
            "system_of_truth__name",
            "system_of_truth_id",
            "context_travels",
            "population",
            "entry_validated",
            "accuracy_percent",
            "accuracy_measured_on",
            "period_date",
        )
    )

    carried = _group(
        Handoff.data_elements.through.objects.filter(handoff__project=project)
        .order_by("dataelement_id")
        .values_list("handoff_id", "dataelement_id")
    )
    handoffs = tuple(
        HandoffRow(
            receiving_owner=owned(row, "receiving_owner_id"),
            fixer=owned(row, "fixer_id"),
            from_system=row.pop("from_system__name"),
            to_system=row.pop("to_system__name"),
            **row,
            data_element_ids=tuple(carried.get(row["pk"], ())),
        )
        for row in Handoff.objects.filter(project=project).values(
            "pk",
            "name",
            "mechanism",
            "receiving_owner_id",
            "fixer_id",
            "shared_record",
            "wait_rule",
            "automation_rules",
            "is_workaround",
            "rejection_path",
            "escalation_path",
            "from_team",
            "to_team",
            "trigger",
            "receiver_needs",
            "from_system__name",
            "to_system__name",
            "from_system_id",
            "to_system_id",
            "rules_state",
            "human_checkpoint",
            "interface_status",
            "interface_tested_on",
        )
    )

    exception_elements = _group(
        ExceptionCase.data_elements.through.objects.filter(exceptioncase__project=project)
        .order_by("dataelement_id")
        .values_list("exceptioncase_id", "dataelement_id")
    )
    exceptions = tuple(
        ExceptionRow(
            decision_owner=owned(row, "decision_owner_id"),
            **row,
            data_element_ids=tuple(exception_elements.get(row["pk"], ())),
        )
        for row in ExceptionCase.objects.filter(project=project).values(
            "pk",
            "name",
            "severity",
            "test_status",
            "tested_on",
            "decision_owner_id",
            "expected_handling",
            "handoff_id",
            "scenario",
            "evidence",
            handoff_name=F("handoff__name"),
        )
    )

    report_elements = _group(
        Report.source_elements.through.objects.filter(report__project=project)
        .order_by("dataelement_id")
        .values_list("report_id", "dataelement_id")
    )
    report_systems = _group(
        Report.source_systems.through.objects.filter(report__project=project).values_list(
            "report_id", "system_id"
        )
    )
    reports = []
    for row in Report.objects.filter(project=project).values(
        "pk",
        "name",
        "timing",
        "needs_reconciliation",
        "shows_why",
        "owner_id",
        "business_question",
        "definition_differences",
    ):
        element_ids = tuple(report_elements.get(row["pk"], ()))
        system_ids = report_systems.get(row["pk"], ())
        reports.append(
            ReportRow(
                owner=owned(row, "owner_id"),
                **row,
                source_count=len(element_ids) + len(system_ids),
                source_element_ids=element_ids,
                source_systems=system_names(system_ids),
            )
        )

    duty_labels = dict(Duty._meta.get_field("kind").choices)
    duties = tuple(
        DutyRow(
            owner=owned(row, "owner_id"),
            deputy=owned(row, "deputy_id"),
            **row,
            kind_label=str(duty_labels.get(row["kind"], row["kind"])),
        )
        for row in Duty.objects.filter(project=project).values(
            "pk",
            "kind",
            "handoff_id",
            "owner_id",
            "deputy_id",
            "notes",
            handoff_name=F("handoff__name"),
        )
    )

    assurance = (
        AssuranceReview.objects.filter(project=project)
        .values("rating", "reviewer", "reviewed_on", "summary", "caveats")
        .first()
    )

    return ReviewData(
        project_pk=project.pk,
        today=today or site_today(),
        plan_lock_date=project.plan_lock_date,
        go_live_date=project.go_live_date,
        desired_outcome=project.desired_outcome,
        breakage_plan=project.breakage_plan,
        owners=tuple(owners.values()),
        systems=tuple(systems.values()),
        data_elements=data_elements,
        handoffs=handoffs,
        exceptions=exceptions,
        reports=tuple(reports),
        duties=duties,
        blackouts=blackouts,
        accuracy_threshold=project.accuracy_threshold,
        parallel_run_start=project.parallel_run_start,
        parallel_run_end=project.parallel_run_end,
        check_signatories=check_signatories,
        assurance=AssuranceRow(**assurance) if assurance else None,
    )
