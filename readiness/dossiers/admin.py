from django.contrib import admin

from readiness.dossiers.models import Dossier


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: a dossier is an immutable record; downloads go through the permission view."""

    list_display = (
        "project",
        "number",
        "status",
        "verdict",
        "page_count",
        "requested_by",
        "requested_at",
        "render_seconds",
    )
    list_filter = ("status", "verdict")
    search_fields = ("project__name", "snapshot_hash", "sha256")
    list_select_related = ("project", "requested_by")
    exclude = ("snapshot",)
    readonly_fields = [
        f.name for f in Dossier._meta.get_fields() if f.concrete and f.name != "snapshot"
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
