"""An uploaded import between its preview and its commit: kept server-side, per user and
project, for a day."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from readiness.projects.models import Project

KEEP_FOR = dt.timedelta(days=1)


class ImportStatus(models.TextChoices):
    PLANNING = "planning", "Checking"
    READY = "ready", "Ready to import"
    COMMITTING = "committing", "Importing"
    COMMITTED = "committed", "Imported"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


def _expiry():
    return timezone.now() + KEEP_FOR


class ImportBatch(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_expiry)
    scope = models.CharField(
        max_length=20, help_text="The register kind imported into, or “project” for a workbook."
    )
    filename = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField(default=0)
    create_missing = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=ImportStatus, default=ImportStatus.PLANNING)
    sheets = models.JSONField(default=list, help_text="The uploaded sheets as text cells.")
    plan = models.JSONField(default=dict, blank=True, help_text="What the preview shows.")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "created_by"], name="import_owner")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.PLANNING, ImportStatus.COMMITTING)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
