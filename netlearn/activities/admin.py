from django.contrib import admin

from .models import (
    Action,
    Activity,
    ActivitySettings,
    Attendance,
    Invitation,
    Note,
    Occurrence,
    ReleaseRequest,
    Rsvp,
    VisitFeedback,
)


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ["starts_at", "ends_at", "cancelled_at", "register_taken_at"]
    readonly_fields = ["starts_at", "ends_at", "register_taken_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "starts_at", "time_zone", "organiser", "sequence"]
    list_filter = ["kind", "network", "audience"]
    search_fields = ["title", "purpose", "learning_focus__title"]
    autocomplete_fields = ["organiser", "host_school", "paying_school", "learning_focus"]
    readonly_fields = ["sequence", "created_at", "updated_at"]
    inlines = [OccurrenceInline]


@admin.register(ActivitySettings)
class ActivitySettingsAdmin(admin.ModelAdmin):
    list_display = ["network", "attendance_commitment_percent"]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ["occurrence", "person", "response", "responded_at"]
    list_filter = ["response"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["occurrence", "person", "school", "present"]
    list_filter = ["present"]


@admin.register(VisitFeedback)
class VisitFeedbackAdmin(admin.ModelAdmin):
    list_display = ["activity", "author", "school", "created_at"]


@admin.register(ReleaseRequest)
class ReleaseRequestAdmin(admin.ModelAdmin):
    list_display = ["activity", "person", "school", "sessions", "status", "amount"]
    list_filter = ["status"]


admin.site.register(Invitation)
admin.site.register(Note)
admin.site.register(Action)
