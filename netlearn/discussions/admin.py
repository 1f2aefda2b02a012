"""Admin for spaces and reports, read-mostly. Voters and tallies are deliberately absent:
no admin page may list who voted beside counts that move as they vote. The moderation log is
read-only."""

from django.contrib import admin

from .models import ModerationLogEntry, Report, Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "audience", "school", "moderation", "archived_at"]
    list_filter = ["audience", "moderation"]
    search_fields = ["title"]
    filter_horizontal = ["moderators"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["space", "reason", "created_at", "resolved_at"]
    readonly_fields = ["space", "post", "poll", "reporter", "reason", "details", "created_at"]


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "network_id", "space_id", "post_id"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
