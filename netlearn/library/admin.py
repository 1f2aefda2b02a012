"""Read-mostly admin: changes go through the library's pages and services."""

from django.contrib import admin

from .models import LibrarySettings, Resource, ResourceFile, Trial


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("title", "network", "school", "kind", "sharing", "endorsed_at", "retired_at")
    list_filter = ("kind", "sharing")
    search_fields = ("title",)


@admin.register(ResourceFile)
class ResourceFileAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "resource", "version", "extraction_status", "uploaded_at")
    list_filter = ("extraction_status",)


@admin.register(Trial)
class TrialAdmin(ReadOnlyAdmin):
    list_display = ("resource", "school", "teacher", "trialled_on")


@admin.register(LibrarySettings)
class LibrarySettingsAdmin(ReadOnlyAdmin):
    list_display = ("network", "min_trials", "min_schools", "min_mean_rating")
