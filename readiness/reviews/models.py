"""What the team records while reviewing: answers, manual risks, accepted findings, sign-offs.

Derived things — warning signs, check status, staleness, the verdict — are never stored: they
are computed from the registers on every read (see rules.py, signing.py, selectors.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

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


class AcceptanceState(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for approval"
    ACCEPTED = "accepted", "Accepted"
    LAPSED = "lapsed", "Lapsed"
    ESCALATED = "escalated", "Accepted at a lower severity"


class Acceptance(models.Model):
    """Accepting one finding as a known risk takes two people.

    The check's signatory proposes it, with a rationale and an expiry date; it counts only
    once someone else approved it — a lead, or for a blocker the project's accountable
    executive — and only until it expires. Withdrawn or declined ones are kept.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="acceptances")
    check_key = models.CharField(max_length=20)
    finding_key = models.CharField(max_length=2000)
    finding_title = models.CharField(max_length=300)
    severity = models.CharField(
        max_length=8,
        choices=RiskSeverity,
        help_text="The finding's severity when it was proposed: approval covers up to it.",
    )
    rationale = models.TextField()
    expires_on = models.DateField(help_text="The acceptance lapses after this day.")
    owner = models.ForeignKey(Owner, null=True, on_delete=models.SET_NULL, related_name="+")
    owner_name = models.CharField(max_length=120)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by_name = models.CharField(max_length=150, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approver_name = models.CharField(max_length=150, blank=True)
    approver_role = models.CharField(max_length=40, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_by_name = models.CharField(max_length=150, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "finding_key"],
                condition=Q(withdrawn_at__isnull=True),
                name="acceptance_one_active_per_finding",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="acceptance_approver_not_proposer",
                violation_error_message="Nobody approves their own proposal.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} proposed accepting {self.finding_title}"

    @property
    def proposer_label(self) -> str:
        return acting_as(self.proposed_by_name, self.owner_name)

    def state(self, *, today, severity: str) -> AcceptanceState:
        """Where this acceptance stands today for a finding of `severity`."""
        if self.approved_at is None:
            return AcceptanceState.PROPOSED
        if self.expires_on < today:
            return AcceptanceState.LAPSED
        order = [c.value for c in RiskSeverity]
        if order.index(severity) < order.index(self.severity):
            return AcceptanceState.ESCALATED
        return AcceptanceState.ACCEPTED


def acting_as(account_name: str, owner_name: str) -> str:
    """“Helen Marsh as Olivia Grant” when an account acts for an owner of another name."""
    if account_name and account_name.casefold() != owner_name.casefold():
        return f"{account_name} as {owner_name}"
    return owner_name


class AssuranceRating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class AssuranceReview(models.Model):
    """An independent review of the rollout (internal audit, a supplier, a consultancy).

    Recorded, never edited: a changed opinion is a new review. The latest stands beside the
    verdict; a recent red one near plan lock is a blocker.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assurance_reviews")
    reviewed_on = models.DateField("Date of the review")
    reviewer = models.CharField("Reviewing body or person", max_length=160)
    rating = models.CharField(max_length=6, choices=AssuranceRating)
    summary = models.TextField(help_text="Their conclusion, in a few sentences.")
    caveats = models.TextField(
        blank=True, help_text="Conditions and reservations they attached to the rating."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_rating_display()} on {self.reviewed_on}"


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
    signer_name = models.CharField(
        max_length=150, blank=True, help_text="The signing account's name at the time."
    )
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
    def signed_by(self) -> str:
        """Who signed, never hiding the account: “Helen Marsh as Olivia Grant”."""
        return acting_as(self.signer_name, self.owner_name)

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
