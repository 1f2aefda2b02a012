"""Read-only views of charters for site admins: changes go through the pages and services, so
that every change makes a version and every digression keeps its reason."""

from django.contrib import admin

from .models import Charter, CharterVersion, Commitment, Digression, Goal, LearningFocus, SignOff


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Charter)
class CharterAdmin(ReadOnly):
    list_display = ["network", "in_force", "updated_at"]
    search_fields = ["network__name"]


@admin.register(LearningFocus)
class LearningFocusAdmin(ReadOnly):
    list_display = ["title", "charter", "dropped_at"]
    search_fields = ["title"]


@admin.register(Goal)
class GoalAdmin(ReadOnly):
    list_display = ["measure", "unit", "baseline_value", "target_value", "target_date"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnly):
    list_display = ["text", "binds", "kind", "attendance_threshold"]


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnly):
    list_display = ["charter", "number", "summary", "proposed_at", "in_force_at"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnly):
    list_display = ["version", "school", "signed_by", "signed_at"]


@admin.register(Digression)
class DigressionAdmin(ReadOnly):
    list_display = ["kind", "what", "reason", "recorded_at"]
