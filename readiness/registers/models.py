"""The five registers the checks review: what moves, who hands off, what goes wrong,
what leaders read, and who owns it all after launch."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from readiness.core.models import Stamped
from readiness.projects.models import Owner, Project, System


class Criticality(models.TextChoices):
    CRITICAL = "critical", "Cannot be wrong"
    IMPORTANT = "important", "Important"
    MINOR = "minor", "Minor"


class Mechanism(models.TextChoices):
    AUTOMATED = "automated", "Automated"
    PARTLY_MANUAL = "partly_manual", "Partly manual"
    EMAIL = "email", "Manual: e-mail"
    SPREADSHEET = "spreadsheet", "Manual: spreadsheet"
    MEMORY = "memory", "Manual: someone remembers"

    @classmethod
    def informal(cls) -> set[str]:
        return {cls.EMAIL, cls.SPREADSHEET, cls.MEMORY}


class Handling(models.TextChoices):
    CONTINUE = "continue", "Continue"
    PAUSE = "pause", "Pause"
    ESCALATE = "escalate", "Escalate"
    PERSON_DECIDES = "person_decides", "A person decides"
    REJECT = "reject", "Reject"


class Severity(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class TestStatus(models.TextChoices):
    UNTESTED = "untested", "Untested"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    BLOCKED = "blocked", "Blocked"


class TestResult(models.TextChoices):
    __test__ = False  # not a test class, whatever pytest guesses from the name
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    BLOCKED = "blocked", "Blocked — could not be run"


class ReportTiming(models.TextChoices):
    DAY_ONE = "day_one", "Day one"
    AFTER_STABILIZATION = "after_stabilization", "After stabilization"


class Population(models.TextChoices):
    UNKNOWN = "", "Not recorded"
    MIGRATED = "migrated", "Migrated from an old system"
    INTEGRATED = "integrated", "Fed by an interface"
    KEYED = "keyed", "Keyed in by hand"


class ContextTravels(models.TextChoices):
    UNKNOWN = "", "Not stated"
    TRAVELS = "travels", "Travels with the record"
    PARTLY = "partly", "Partly travels"
    LOST = "lost", "Does not travel"


class PeriodDate(models.TextChoices):
    NOT_FINANCIAL = "not_financial", "Not financial data"
    UNKNOWN = "", "Financial: not decided"
    POSTING = "posting", "Financial: posting date"
    VALUE = "value", "Financial: value date"
    DOCUMENT = "document", "Financial: document date"


class InterfaceStatus(models.TextChoices):
    NO_INTERFACE = "none", "No interface (people hand it over)"
    NOT_BUILT = "not_built", "Not built yet"
    BUILT = "built", "Built, not tested end to end"
    TESTED = "tested", "Tested end to end"
    DESCOPED = "descoped", "Descoped"


class RulesState(models.TextChoices):
    UNSTATED = "", "Not stated"
    WRITTEN = "written", "Written down"
    NONE = "none", "There are none"


class Checkpoint(models.TextChoices):
    UNSTATED = "", "Not stated"
    YES = "yes", "A person checks"
    NO = "no", "No person checks"


class DutyKind(models.TextChoices):
    REVIEW_FAILURES = "review_failures", "Reviews failures"
    APPROVE_CHANGES = "approve_changes", "Approves changes"
    UPDATE_DOCS = "update_docs", "Updates documentation"
    RESPOND_DRIFT = "respond_drift", "Responds when process and integration drift apart"
    CORE_VS_WORKAROUND = "core_vs_workaround", "Decides core vs workaround"
    AUTOMATION_RULES = "automation_rules", "Controls automation rules"
    MONITOR_FLOWS = "monitor_flows", "Monitors critical data flows"


class DataElement(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="data_elements")
    name = models.CharField(max_length=120)
    definition = models.TextField(blank=True)
    system_of_truth = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.SET_NULL, related_name="truth_for"
    )
    consuming_systems = models.ManyToManyField(System, blank=True, related_name="consumes")
    decision_fields = models.TextField(
        blank=True, help_text="Fields that drive decisions downstream, e.g. credit limit, region."
    )
    travelling_context = models.TextField(
        "Context that must travel",
        blank=True,
        help_text="Origin, freshness, the process that created it, approvals, "
        "whether another workflow is already using it.",
    )
    criticality = models.CharField(
        max_length=12, choices=Criticality, default=Criticality.IMPORTANT
    )
    defined_differently = models.BooleanField("Teams define it differently", default=False)
    truth_disputed = models.BooleanField("System of truth disputed", default=False)
    steward = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="stewarded"
    )
    context_travels = models.CharField(
        "Does the context travel",
        max_length=8,
        choices=ContextTravels,
        blank=True,
        default=ContextTravels.UNKNOWN,
    )
    population = models.CharField(
        "How records are populated",
        max_length=12,
        choices=Population,
        blank=True,
        default=Population.UNKNOWN,
    )
    entry_validated = models.BooleanField(
        "Validated at entry",
        default=False,
        help_text="Does the system refuse a wrong value when the record is keyed or loaded?",
    )
    accuracy_percent = models.DecimalField(
        "Measured accuracy (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    accuracy_measured_on = models.DateField("Accuracy measured on", null=True, blank=True)
    period_date = models.CharField(
        "Date that drives the accounting period",
        max_length=14,
        choices=PeriodDate,
        blank=True,
        default=PeriodDate.NOT_FINANCIAL,
        help_text="For financial records: which date decides the period a transaction falls into.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="dataelement_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Handoff(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="handoffs")
    name = models.CharField(max_length=120)
    from_system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.SET_NULL, related_name="handoffs_out"
    )
    from_team = models.CharField(max_length=120, blank=True)
    to_system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.SET_NULL, related_name="handoffs_in"
    )
    to_team = models.CharField(max_length=120, blank=True)
    trigger = models.CharField(max_length=240, blank=True)
    receiving_owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="receives"
    )
    data_elements = models.ManyToManyField(DataElement, blank=True, related_name="handoffs")
    receiver_needs = models.TextField("What the receiver must know", blank=True)
    shared_record = models.BooleanField(
        "Another process can act on the same record",
        default=False,
        help_text="Another workflow, automation or agent may already be working on it.",
    )
    wait_rule = models.TextField(
        "Wait / conflict rule",
        blank=True,
        help_text="What must wait when something else is already acting on the record.",
    )
    rejection_path = models.TextField(blank=True)
    fixer = models.ForeignKey(
        Owner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixes",
        verbose_name="who may fix a rejected or conflicting record",
    )
    escalation_path = models.TextField(blank=True)
    mechanism = models.CharField(max_length=16, choices=Mechanism, default=Mechanism.AUTOMATED)
    rules_state = models.CharField(
        "Automation rules",
        max_length=8,
        choices=RulesState,
        blank=True,
        default=RulesState.UNSTATED,
    )
    human_checkpoint = models.CharField(
        max_length=4, choices=Checkpoint, blank=True, default=Checkpoint.UNSTATED
    )
    automation_rules = models.TextField(
        "Automation rules and human checkpoints",
        blank=True,
        help_text="For automated steps: the rules, guardrails and where a person checks.",
    )
    interface_status = models.CharField(
        max_length=10, choices=InterfaceStatus, default=InterfaceStatus.NOT_BUILT
    )
    interface_tested_on = models.DateField("Tested end to end on", null=True, blank=True)
    is_workaround = models.BooleanField("Local workaround", default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="handoff_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ExceptionCase(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exception_cases")
    name = models.CharField("Case", max_length=160)
    scenario = models.TextField(blank=True)
    handoff = models.ForeignKey(
        Handoff, null=True, blank=True, on_delete=models.SET_NULL, related_name="exception_cases"
    )
    data_elements = models.ManyToManyField(DataElement, blank=True, related_name="exception_cases")
    expected_handling = models.CharField(
        max_length=16, choices=Handling, default=Handling.PERSON_DECIDES
    )
    decision_owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="decides"
    )
    severity = models.CharField(max_length=8, choices=Severity, default=Severity.MEDIUM)
    # The latest test run's result, date and evidence, kept here by the service that records
    # runs (registers.services.test_run_add): never edited through a form.
    test_status = models.CharField(
        max_length=8, choices=TestStatus, default=TestStatus.UNTESTED, editable=False
    )
    tested_on = models.DateField(null=True, blank=True, editable=False)
    evidence = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="exceptioncase_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TestRun(models.Model):
    """One run of an exception case's test. Runs are only ever added, never edited."""

    __test__ = False  # not a test class, whatever pytest guesses from the name

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_runs")
    exception_case = models.ForeignKey(
        ExceptionCase, on_delete=models.CASCADE, related_name="test_runs"
    )
    run_on = models.DateField("Date of the run")
    result = models.CharField(max_length=8, choices=TestResult)
    tester = models.CharField("Who ran it", max_length=120)
    evidence = models.TextField(
        blank=True,
        help_text="What was done and what was seen: steps, records used, the outcome.",
    )
    attachment = models.FileField(upload_to="test-evidence/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-run_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(result="passed") | ~models.Q(evidence=""),
                name="testrun_passed_has_evidence",
                violation_error_message="A passed run needs its evidence.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.exception_case} — {self.get_result_display()} on {self.run_on}"


class Report(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    name = models.CharField(max_length=120)
    timing = models.CharField(max_length=20, choices=ReportTiming, default=ReportTiming.DAY_ONE)
    business_question = models.TextField(blank=True)
    source_elements = models.ManyToManyField(DataElement, blank=True, related_name="reports")
    source_systems = models.ManyToManyField(System, blank=True, related_name="reports")
    definition_differences = models.TextField("Known definition differences", blank=True)
    needs_reconciliation = models.BooleanField("Needs manual reconciliation", default=False)
    shows_why = models.BooleanField(
        "Shows why a process moved",
        default=False,
        help_text="Can it show the trigger, the acting system and the approval?",
    )
    owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="report_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Duty(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(max_length=20, choices=DutyKind)
    handoff = models.ForeignKey(
        Handoff,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duties",
        help_text="Leave empty for a duty that covers the whole project.",
    )
    owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="duties"
    )
    deputy = models.ForeignKey(
        Owner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_duties",
        help_text="Who steps in when the owner is away.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "handoff__name"]
        verbose_name_plural = "duties"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "handoff"],
                name="duty_unique_per_scope",
                violation_error_message="This duty already exists for that scope.",
            ),
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=models.Q(handoff__isnull=True),
                name="duty_unique_project_wide",
                violation_error_message="This project-wide duty already exists.",
            ),
        ]

    @property
    def name(self) -> str:
        scope = self.handoff.name if self.handoff_id else "Whole project"
        return f"{self.get_kind_display()} — {scope}"

    def __str__(self) -> str:
        return self.name
