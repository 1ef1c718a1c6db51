from django.contrib import admin

from readiness.projects.models import Membership, Owner, Project, System


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "lifecycle", "plan_lock_date", "go_live_date", "updated"]
    list_filter = ["lifecycle"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["version", "created", "updated"]
    inlines = [MembershipInline]


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "kind", "team", "user"]
    list_filter = ["kind", "project"]
    search_fields = ["name", "email", "team"]
    list_select_related = ["project", "user"]
    autocomplete_fields = ["user"]


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "vendor"]
    list_filter = ["project"]
    search_fields = ["name", "vendor"]
    list_select_related = ["project"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__name"]
    list_select_related = ["project", "user"]
