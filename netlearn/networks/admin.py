from django.contrib import admin

from .models import (
    Group,
    GroupMember,
    Network,
    NetworkMembership,
    NetworkRole,
    RoleAuditEntry,
    RoleProposal,
    School,
    StaffInvitation,
    StaffPost,
)


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["school"]


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["person", "school"]


class StaffPostInline(admin.TabularInline):
    model = StaffPost
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "reference", "phase", "authority", "setting", "roll"]
    list_filter = ["country", "phase", "setting", "is_demo"]
    search_fields = ["name", "reference", "authority"]
    inlines = [StaffPostInline]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "currency", "language", "founded", "is_demo"]
    list_filter = ["kind", "country", "is_demo"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "network", "school", "started", "ended"]
    list_filter = ["role", "network"]
    search_fields = ["person__name", "network__name"]
    autocomplete_fields = ["person", "network", "school"]

    # Roles are given on the network's roles page, where the rules live: a sensitive role needs
    # a second person there, which a form here would skip.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decided in the product, kept as a record here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleProposal)
class RoleProposalAdmin(ReadOnlyAdmin):
    list_display = ["person", "role", "network", "proposed_by", "proposed_at", "status"]
    list_filter = ["role", "status"]
    search_fields = ["person__name", "network__name"]


@admin.register(RoleAuditEntry)
class RoleAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "role", "network", "person", "actor"]
    list_filter = ["action", "role"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(ReadOnlyAdmin):
    list_display = ["school", "job_title", "created_at", "status"]
    list_filter = ["status"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network"]
    list_filter = ["kind", "network"]
    search_fields = ["name"]
    inlines = [GroupMemberInline]


@admin.register(StaffPost)
class StaffPostAdmin(admin.ModelAdmin):
    list_display = ["person", "job_title", "school", "level", "leads_school", "started", "ended"]
    list_filter = ["level", "leads_school"]
    search_fields = ["person__name", "school__name", "job_title"]
    autocomplete_fields = ["person", "school"]
