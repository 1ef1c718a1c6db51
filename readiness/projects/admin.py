from django.contrib import admin
from django.db.models import F

from readiness.core.content import content_diff, item_content
from readiness.projects.activity import activity_record, person_name
from readiness.projects.models import (
    ActivityAction,
    ActivityEntry,
    ActivityVia,
    Membership,
    Owner,
    Project,
    Role,
    System,
)


class RecordedAdmin(admin.ModelAdmin):
    """An admin whose saves and deletes are recorded in the project's history, like any edit.

    `target_kind` names the register the model belongs to (a registers.specs key).
    """

    target_kind = ""

    def _project(self, obj):
        return obj if isinstance(obj, Project) else obj.project

    def _record(self, request, obj, action, changes, project=None, pk=None):
        kind = self.target_kind or obj._meta.model_name
        verb = dict(ActivityAction.choices)[action]
        activity_record(
            project=project or self._project(obj),
            actor=request.user,
            action=action,
            target_kind=kind,
            target_id=pk or obj.pk,
            target_name=str(obj),
            summary=f"{verb} {obj._meta.verbose_name} “{obj}” in the admin",
            changes=changes,
            via=ActivityVia.ADMIN,
        )

    def save_model(self, request, obj, form, change):
        model = type(obj)
        request._recorded_before = item_content(model.objects.get(pk=obj.pk)) if change else None
        if change:
            # Write only the fields the form edits (the revision moves on its own), and bump
            # the edit version so a web form opened before this edit reports a conflict.
            names = [f.name for f in model._meta.concrete_fields if f.name in form.fields]
            if hasattr(obj, "version"):
                obj.version = F("version") + 1
                names += ["version", "updated"]
            obj.save(update_fields=names)
            if hasattr(obj, "version"):
                obj.refresh_from_db(fields=["version"])
        else:
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_recorded_before", None)
        changes = content_diff(type(obj), before, item_content(type(obj).objects.get(pk=obj.pk)))
        if changes or not change:
            action = ActivityAction.CHANGED if change else ActivityAction.CREATED
            self._record(request, obj, action, changes)

    def delete_model(self, request, obj):
        project, pk = self._project(obj), obj.pk
        before = item_content(obj)
        super().delete_model(request, obj)
        if not isinstance(obj, Project):
            self._record(
                request,
                obj,
                ActivityAction.DELETED,
                content_diff(type(obj), before, None),
                project,
                pk,
            )

    def delete_queryset(self, request, queryset):
        # One by one, so each deleted row is recorded (a bulk delete would slip past).
        for obj in queryset:
            self.delete_model(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(RecordedAdmin):
    list_display = ["name", "lifecycle", "plan_lock_date", "go_live_date", "updated"]
    list_filter = ["lifecycle"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["version", "revision", "history_head", "created", "updated"]
    inlines = [MembershipInline]
    target_kind = "project"

    def save_formset(self, request, form, formset, change):
        # The roles as they were: saving the formset writes the new ones onto the instances.
        old_roles = {f.instance.pk: f.initial.get("role") for f in formset.initial_forms}
        formset.save()
        for membership in formset.new_objects:
            self._record_member(request, membership, ActivityAction.CREATED, None)
        for membership, _ in formset.changed_objects:
            old_role = old_roles.get(membership.pk)
            self._record_member(request, membership, ActivityAction.CHANGED, old_role)
        for membership in formset.deleted_objects:
            old_role = old_roles.get(membership.pk) or membership.role
            self._record_member(request, membership, ActivityAction.DELETED, old_role)

    def _record_member(self, request, membership, action, old_role):
        role = membership.get_role_display() if action != ActivityAction.DELETED else "—"
        old_role = dict(Role.choices).get(old_role, old_role)
        activity_record(
            project=membership.project,
            actor=request.user,
            action=action,
            target_kind="member",
            target_id=membership.user_id,
            target_name=person_name(membership.user),
            summary=f"{dict(ActivityAction.choices)[action]} the membership of "
            f"{person_name(membership.user)} in the admin",
            changes=[{"field": "role", "label": "Role", "old": old_role or "—", "new": role}],
            via=ActivityVia.ADMIN,
        )


@admin.register(Owner)
class OwnerAdmin(RecordedAdmin):
    list_display = ["name", "project", "kind", "team", "user"]
    list_filter = ["kind", "project"]
    search_fields = ["name", "email", "team"]
    list_select_related = ["project", "user"]
    autocomplete_fields = ["user"]
    target_kind = "owners"


@admin.register(System)
class SystemAdmin(RecordedAdmin):
    list_display = ["name", "project", "vendor"]
    list_filter = ["project"]
    search_fields = ["name", "vendor"]
    list_select_related = ["project"]
    target_kind = "systems"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__name"]
    list_select_related = ["project", "user"]

    def has_change_permission(self, request, obj=None):
        return False  # members change on the project's Members page or its admin page

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    """Read-only: history entries are never added, changed or deleted by hand."""

    list_display = ["project", "seq", "at", "actor_name", "via", "summary"]
    list_filter = ["project", "via", "action", "target_kind"]
    search_fields = ["summary", "target_name", "actor_name"]
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
