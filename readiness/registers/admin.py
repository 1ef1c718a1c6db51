from django.contrib import admin

from readiness.projects.admin import RecordedAdmin
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report


class RegisterAdmin(RecordedAdmin):
    list_filter = ["project"]
    search_fields = ["name"]
    readonly_fields = ["version", "created", "updated"]
    list_select_related = ["project"]


@admin.register(DataElement)
class DataElementAdmin(RegisterAdmin):
    target_kind = "data-elements"
    list_display = ["name", "project", "criticality", "system_of_truth", "truth_disputed"]
    list_filter = ["project", "criticality", "truth_disputed", "defined_differently"]
    filter_horizontal = ["consuming_systems"]


@admin.register(Handoff)
class HandoffAdmin(RegisterAdmin):
    target_kind = "handoffs"
    list_display = ["name", "project", "mechanism", "receiving_owner", "fixer"]
    list_filter = ["project", "mechanism", "is_workaround"]
    filter_horizontal = ["data_elements"]


@admin.register(ExceptionCase)
class ExceptionCaseAdmin(RegisterAdmin):
    target_kind = "exceptions"
    list_display = ["name", "project", "severity", "test_status", "decision_owner"]
    list_filter = ["project", "severity", "test_status"]
    filter_horizontal = ["data_elements"]


@admin.register(Report)
class ReportAdmin(RegisterAdmin):
    target_kind = "reports"
    list_display = ["name", "project", "timing", "needs_reconciliation", "owner"]
    list_filter = ["project", "timing", "needs_reconciliation"]
    filter_horizontal = ["source_elements", "source_systems"]


@admin.register(Duty)
class DutyAdmin(RegisterAdmin):
    target_kind = "duties"
    list_display = ["kind", "handoff", "project", "owner"]
    list_filter = ["project", "kind"]
    search_fields = ["notes"]
