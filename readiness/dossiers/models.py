"""Readiness dossiers: immutable, versioned PDF snapshots of a project's readiness."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from readiness.projects.models import Project


class DossierStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Dossier(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dossiers")
    number = models.PositiveIntegerField(help_text="Version: 1, 2, 3… per project.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=DossierStatus, default=DossierStatus.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The project as it was when the dossier was requested; the PDF is rendered from this only.
    snapshot = models.JSONField()
    snapshot_hash = models.CharField(max_length=64)
    verdict = models.CharField(max_length=20)
    file = models.FileField(upload_to="dossiers/%Y/%m/", blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    byte_size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="dossier_unique_number"),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(sha256=""),
                name="dossier_ready_has_file_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} — dossier v{self.number}"

    @property
    def verdict_label(self) -> str:
        from readiness.reviews.verdict import VerdictState

        try:
            return VerdictState(self.verdict).label
        except ValueError:
            return self.verdict

    @property
    def is_finished(self) -> bool:
        return self.status in (DossierStatus.READY, DossierStatus.FAILED)

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        stamp = self.requested_at.strftime("%Y-%m-%d") if self.requested_at else "draft"
        return f"{slugify(self.project.name)}-readiness-dossier-v{self.number}-{stamp}.pdf"
