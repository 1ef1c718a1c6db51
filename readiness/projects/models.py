import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from readiness.core.models import Stamped


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def default_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone name; use one like Europe/London.",
            params={"value": value},
        )


class Lifecycle(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    READY = "ready", "Ready"
    LIVE = "live", "Live"


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


class OwnerKind(models.TextChoices):
    BUSINESS = "business", "Business"
    IT_PERSON = "it_person", "IT — a named person"
    IT = "it", "IT department"
    VENDOR = "vendor", "Vendor"
    CONSULTANT = "consultant", "Consultant"


class Project(Stamped):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    summary = models.TextField(blank=True)
    desired_outcome = models.TextField(
        help_text="What must be measurably better after go-live, e.g. "
        "“orders invoiced within 24 hours, down from 4 days”."
    )
    go_live_date = models.DateField("Go-live date")
    plan_lock_date = models.DateField(help_text="The day the rollout plan hardens.")
    parallel_run_start = models.DateField(null=True, blank=True)
    parallel_run_end = models.DateField(null=True, blank=True)
    lifecycle = models.CharField(max_length=12, choices=Lifecycle, default=Lifecycle.DRAFT)
    breakage_plan = models.TextField(
        "When an integration breaks",
        blank=True,
        help_text="Who is called, what is paused, how work continues by hand, how it is replayed.",
    )
    accountable_executive = models.ForeignKey(
        "Owner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountable_for",
        help_text="The one executive who approves accepting a blocker. An owner with an "
        "account, named by a lead.",
    )
    ready_max_open_highs = models.PositiveIntegerField(
        "Open high findings allowed for Ready",
        null=True,
        blank=True,
        help_text="More open high findings than this and the project cannot be shown as "
        "Ready. Leave empty for no limit. Open blockers are never allowed.",
    )
    accuracy_threshold = models.DecimalField(
        "Data accuracy threshold (%)",
        max_digits=5,
        decimal_places=2,
        default=98,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text="Critical data measured below this accuracy is a warning sign.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Every time on the project's pages and in its dossiers is shown in this zone.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="projects"
    )
    revision = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text="Bumped in the same transaction as every recorded change to the project.",
    )
    history_head = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the newest activity entry: a chain cut short at its end shows.",
    )

    class Meta:
        ordering = ["go_live_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_lock_date__lte=F("go_live_date")),
                name="project_plan_lock_not_after_go_live",
                violation_error_message="The plan-lock date must be on or before go-live.",
            ),
            models.CheckConstraint(
                condition=Q(parallel_run_start__isnull=True, parallel_run_end__isnull=True)
                | Q(
                    parallel_run_start__isnull=False,
                    parallel_run_end__isnull=False,
                    parallel_run_start__lte=F("parallel_run_end"),
                    parallel_run_start__gte=F("plan_lock_date"),
                ),
                name="project_parallel_run_in_bounds",
                violation_error_message="A parallel run needs a start and an end, in order, "
                "starting no earlier than plan lock.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:overview", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The project's time zone; the site's if the stored name is unknown on this host."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class Membership(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role)

    class Meta:
        ordering = ["project", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} on {self.project}"


class Owner(Stamped):
    """A named, accountable person. Signing needs a linked user account."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="owners")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    team = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=12, choices=OwnerKind, default=OwnerKind.BUSINESS)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owner_records",
        help_text="Needed to sign. A user can be at most one owner per project.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="owner_unique_name"),
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(user__isnull=False),
                name="owner_unique_user",
                violation_error_message="This user is already linked to another owner here.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_inside_business(self) -> bool:
        return self.kind == OwnerKind.BUSINESS


class BuildKind(models.TextChoices):
    STANDARD = "standard", "Standard product"
    CONFIGURED = "configured", "Configured"
    CUSTOM = "custom", "Custom build"


class System(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="systems")
    name = models.CharField(max_length=120)
    vendor = models.CharField(max_length=120, blank=True)
    purpose = models.CharField(max_length=240, blank=True)
    build = models.CharField(
        "How it is built",
        max_length=12,
        choices=BuildKind,
        default=BuildKind.CONFIGURED,
        help_text="A custom build has no vendor track record: every release is its first.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="system_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BlackoutPeriod(Stamped):
    """Days the business cannot absorb a cutover: peak season, year-end close, payroll runs."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blackouts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField("From")
    ends_on = models.DateField("To")

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = "blackout period"
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="blackout_unique_name"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")),
                name="blackout_in_order",
                violation_error_message="A blackout period must end on or after its start.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityAction(models.TextChoices):
    CREATED = "created", "created"
    CHANGED = "changed", "changed"
    DELETED = "deleted", "deleted"
    ANSWERED = "answered", "answered"
    SIGNED = "signed", "signed"
    REVOKED = "revoked", "revoked"
    ACCEPTED = "accepted", "accepted"
    WITHDRAWN = "withdrawn", "withdrew acceptance of"
    PROPOSED = "proposed", "proposed accepting"
    APPROVED = "approved", "approved accepting"
    DECLINED = "declined", "declined accepting"
    TESTED = "tested", "recorded a test run of"
    REQUESTED = "requested", "requested"
    IMPORTED = "imported", "imported"
    RESTORED = "restored", "restored"


class ActivityVia(models.TextChoices):
    WEB = "web", "Web"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"
    SEED = "seed", "Demo seed"
    SYSTEM = "system", "System"


class ActivityEntry(models.Model):
    """One recorded change to a project: who, when, what, and the field-level difference.

    Entries are written by the services in the same transaction as the change and never
    changed afterwards. Each stores a SHA-256 over its own content and the previous entry's
    hash (per project), so an edited or deleted row breaks the chain (`verify_history`).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activity")
    seq = models.PositiveIntegerField(help_text="Position in the project's chain, from 1.")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    via = models.CharField(max_length=8, choices=ActivityVia, default=ActivityVia.WEB)
    action = models.CharField(max_length=10, choices=ActivityAction)
    target_kind = models.CharField(
        max_length=20, help_text="A register kind, or project, member, answer, risk, …"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_name = models.CharField(max_length=300, blank=True)
    check_key = models.CharField(
        max_length=20, blank=True, help_text="The check the change belongs to, if any."
    )
    summary = models.CharField(max_length=500)
    changes = models.JSONField(default=list, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name_plural = "activity entries"
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="activity_one_per_seq"),
        ]
        indexes = [
            models.Index(fields=["project", "target_kind", "target_id"], name="activity_target"),
            models.Index(fields=["project", "at"], name="activity_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.summary}"
