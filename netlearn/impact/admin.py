from django.contrib import admin

from .models import Dataset, GoalLink, Measure, ModelRun


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "level", "network")
    search_fields = ("name", "code")


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    # Pupil-level rows are not listed here: they stay in the data role's views
    # (docs/safety.md#suppression).
    list_display = ("name", "network", "measure", "kind", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("columns", "created_by", "created_at")


@admin.register(ModelRun)
class ModelRunAdmin(admin.ModelAdmin):
    list_display = ("formula", "dataset", "status", "progress", "created_at")
    list_filter = ("status",)
    readonly_fields = ("results", "school_names", "error", "started_at", "finished_at")


@admin.register(GoalLink)
class GoalLinkAdmin(admin.ModelAdmin):
    list_display = ("goal", "measure", "linked_at")
