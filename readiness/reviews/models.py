"""What the team records while reviewing: answers, manual risks, accepted findings, sign-offs.

Derived things — warning signs, check status, staleness, the verdict — are never stored: they
are computed from the registers on every read (see rules.py, signing.py, selectors.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from readiness.core.models import Stamped
from readiness.projects.models import Owner, Project
from readiness.registers.models import ExceptionCase, Handoff


class AnswerChoice(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Not applicable"


class RiskSeverity(models.TextChoices):
    BLOCKER = "blocker", "Blocker"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class SubjectKind(models.TextChoices):
    CHECK = "check", "Check"
    HANDOFF = "handoff", "Handoff"
    EXCEPTION = "exception", "Exception decision"


class CheckSignatory(Stamped):
    """Who signs one check of one project; chosen by a lead among owners with an account."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="signatories")
    check_key = models.CharField(max_length=20)
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="signs_checks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "check_key"], name="signatory_one_per_check")
        ]

    def __str__(self) -> str:
        from readiness.reviews.checks import get_check

        try:
            check = get_check(self.check_key)
        except KeyError:
            return f"{self.owner} signs {self.check_key}"
        return f"{self.owner} signs Check {check.number} · {check.title}"


class Answer(Stamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="answers")
    check_key = models.CharField(max_length=20)
    question_key = models.CharField(max_length=60)
    answer = models.CharField(max_length=8, choices=AnswerChoice)
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "check_key", "question_key"], name="answer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_key}.{self.question_key}: {self.answer}"


class Risk(Stamped):
    """A risk the team adds by hand to a check, beside the ones the rules derive."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    check_key = models.CharField(max_length=20)
    title = models.CharField(max_length=160)
    detail = models.TextField(blank=True)
    severity = models.CharField(max_length=8, choices=RiskSeverity, default=RiskSeverity.MEDIUM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return self.title

    @property
    def finding_key(self) -> str:
        return f"manual|risk:{self.pk}"


class Acceptance(models.Model):
    """The check's signatory accepts one finding as a known risk, with a written rationale."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="acceptances")
    check_key = models.CharField(max_length=20)
    finding_key = models.CharField(max_length=2000)
    finding_title = models.CharField(max_length=300)
    rationale = models.TextField()
    owner = models.ForeignKey(Owner, null=True, on_delete=models.SET_NULL, related_name="+")
    owner_name = models.CharField(max_length=120)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "finding_key"],
                condition=Q(withdrawn_at__isnull=True),
                name="acceptance_one_active_per_finding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} accepted {self.finding_title}"


class SignOff(models.Model):
    """A signature on exact content. Kept forever, revoked or not; stale is computed on read."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="signoffs")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind)
    check_key = models.CharField(max_length=20, blank=True)
    handoff = models.ForeignKey(
        Handoff, null=True, blank=True, on_delete=models.SET_NULL, related_name="signoffs"
    )
    exception_case = models.ForeignKey(
        ExceptionCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="signoffs"
    )
    subject_name = models.CharField(max_length=200)
    owner = models.ForeignKey(Owner, null=True, on_delete=models.SET_NULL, related_name="+")
    owner_name = models.CharField(max_length=120)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField()
    content_hash = models.CharField(max_length=64)
    content = models.JSONField(help_text="The canonical content that was signed.")
    signed_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject_kind="check") & ~Q(check_key="")
                    | Q(subject_kind="handoff")
                    | Q(subject_kind="exception")
                ),
                name="signoff_check_has_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} signed {self.subject_name}"

    @property
    def subject_ref(self) -> tuple[str, str]:
        if self.subject_kind == SubjectKind.CHECK:
            return ("check", self.check_key)
        if self.subject_kind == SubjectKind.HANDOFF:
            return ("handoff", str(self.handoff_id))
        return ("exception", str(self.exception_case_id))


class ReviewSummary(models.Model):
    """What the portfolio and the navigation need of a project's review, kept between requests.

    Written whenever the review is computed for a new (revision, day); read only when both
    still match, so it always equals a fresh computation. Never edited by hand.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="review_summary"
    )
    revision = models.PositiveBigIntegerField()
    day = models.DateField()
    definitions = models.CharField(max_length=200)
    verdict = models.JSONField()
    checks = models.JSONField()
    waiting = models.JSONField(help_text="“user<id>” → how many sign-offs wait for them.")
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Review summary of {self.project_id} at revision {self.revision}"
