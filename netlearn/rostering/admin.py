from django.contrib import admin

from .models import RosterLink


@admin.register(RosterLink)
class RosterLinkAdmin(admin.ModelAdmin):
    """Read only: links are made and ended by imports (services.import_roster)."""

    list_display = ["school", "source_id", "person", "is_pupil", "linked_at", "left_at"]
    list_filter = ["is_pupil"]
    search_fields = ["source_id", "school__name"]
    raw_id_fields = ["school", "person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
