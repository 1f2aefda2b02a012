from django.urls import path

from . import views

app_name = "activities"
activity = "n/<slug:network_slug>/activities/<int:activity_id>/"
occurrence = activity + "dates/<int:occurrence_id>/"
urlpatterns = [
    path("n/<slug:network_slug>/calendar/", views.calendar_month, name="month"),
    path("n/<slug:network_slug>/calendar/week/", views.calendar_week, name="week"),
    path("n/<slug:network_slug>/calendar/list/", views.calendar_list, name="list"),
    path("n/<slug:network_slug>/activities/new/", views.create_activity, name="create"),
    path(activity, views.activity_detail, name="activity"),
    path(activity + "edit/", views.edit_activity, name="edit"),
    path(activity + "cancel/", views.cancel_activity, name="cancel"),
    path(activity + "feedback/", views.feedback, name="feedback"),
    path(activity + "notes/", views.add_note, name="add_note"),
    path(activity + "actions/", views.add_action, name="add_action"),
    path(activity + "release/", views.request_release, name="request_release"),
    path(occurrence + "rsvp/", views.rsvp, name="rsvp"),
    path(occurrence + "cancel/", views.cancel_occurrence, name="cancel_occurrence"),
    path(occurrence + "move/", views.move_occurrence, name="move_occurrence"),
    path(occurrence + "register/", views.register, name="register"),
    path(
        "n/<slug:network_slug>/actions/<int:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
    path("n/<slug:network_slug>/release/", views.release_requests, name="release_requests"),
    path(
        "n/<slug:network_slug>/release/<int:request_id>/decide/",
        views.decide_release,
        name="decide_release",
    ),
    path("n/<slug:network_slug>/attendance/", views.attendance, name="attendance"),
    path(
        "n/<slug:network_slug>/attendance/commitment/",
        views.attendance_commitment,
        name="attendance_commitment",
    ),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("calendar/feeds/", views.calendar_feeds, name="feeds"),
    path("calendar/feed.ics", views.feed, name="feed"),
]
