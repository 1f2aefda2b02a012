from django.urls import path

from . import views

app_name = "discussions"
network = "n/<slug:network_slug>/discussions/"
post = "discussions/posts/<int:message_id>/"
poll = "discussions/polls/<int:poll_id>/"
pupils = "discussions/schools/<int:school_id>/pupils/"
urlpatterns = [
    path("discussions/", views.home, name="home"),
    path(network, views.network_spaces, name="network_spaces"),
    path(network + "new/", views.create_space, name="create_space"),
    path(network + "moderation/", views.moderation, name="moderation"),
    path(network + "moderation/log/", views.moderation_log, name="moderation_log"),
    path(network + "settings/", views.network_settings, name="network_settings"),
    path("discussions/spaces/<int:space_id>/", views.space, name="space"),
    path("discussions/spaces/<int:space_id>/threads/", views.start_thread, name="start_thread"),
    path("discussions/spaces/<int:space_id>/manage/", views.manage_space, name="manage_space"),
    path("discussions/spaces/<int:space_id>/polls/new/", views.create_poll, name="create_poll"),
    path("discussions/threads/<int:thread_id>/", views.thread, name="thread"),
    path("discussions/threads/<int:thread_id>/reply/", views.reply, name="reply"),
    path(post + "edit/", views.edit_post, name="edit_post"),
    path(post + "history/", views.post_history, name="post_history"),
    path(post + "moderate/", views.moderate_post, name="moderate_post"),
    path(post + "report/", views.report_post, name="report_post"),
    path(poll, views.poll, name="poll"),
    path(poll + "vote/", views.vote, name="vote"),
    path(poll + "close/", views.close_poll, name="close_poll"),
    path(poll + "report/", views.report_poll, name="report_poll"),
    path("discussions/reports/<int:report_id>/resolve/", views.resolve_report, name="resolve"),
    path(
        "discussions/reports/<int:report_id>/acknowledge/",
        views.acknowledge_report,
        name="acknowledge",
    ),
    path("discussions/attachments/<int:post_attachment_id>/", views.attachment, name="attachment"),
    path("discussions/spaces/<int:space_id>/follow/", views.follow_space, name="follow_space"),
    path("discussions/threads/<int:thread_id>/follow/", views.follow_thread, name="follow_thread"),
    path(pupils, views.pupils, name="pupils"),
    path(pupils + "import/", views.import_pupils, name="import_pupils"),
    path(pupils + "<int:pupil_id>/reset/", views.reset_password, name="reset_password"),
    path(pupils + "<int:pupil_id>/public-name/", views.set_public_name, name="set_public_name"),
    path("discussions/schools/<int:school_id>/parents/", views.parents, name="parents"),
]
