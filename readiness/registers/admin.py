from django.contrib import admin

from readiness.projects import admin as project_admin
from readiness.projects.admin import RecordedAdmin
from readiness.projects.models import ActivityVia, Owner, System
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report
from readiness.registers.services import register_item_delete
from readiness.registers.specs import SPECS


class RegisterDeletes:
    """Admin deletes of register items go through the register service, like the web's: the
    items the delete changes or removes (a cleared owner, a duty scoped to a deleted handoff)
    are recorded too, not only the item itself."""

    def delete_model(self, request, obj):
        register_item_delete(
            spec=SPECS[self.target_kind], item=obj, user=request.user, via=ActivityVia.ADMIN
        )


class RegisterAdmin(RegisterDeletes, RecordedAdmin):
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
    # The test status is the latest test run's, recorded on the case's page: shown, not edited.
    readonly_fields = [*RegisterAdmin.readonly_fields, "test_status", "tested_on", "evidence"]


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


# Owners and systems are administered in the projects app, a floor below the register
# service; their deletes clear references in the registers, so they are recorded from here.
admin.site.unregister(Owner)
admin.site.unregister(System)


@admin.register(Owner)
class OwnerAdmin(RegisterDeletes, project_admin.OwnerAdmin):
    pass


@admin.register(System)
class SystemAdmin(RegisterDeletes, project_admin.SystemAdmin):
    pass
