from django.urls import path

from . import views

app_name = "decisions"
P = "n/<slug:network_slug>/decisions/"
urlpatterns = [
    path(P, views.decisions_log, name="log"),
    path(f"{P}new/", views.new_proposal, name="new"),
    path(f"{P}rules/", views.group_rules, name="rules"),
    path(f"{P}<int:decision_id>/", views.proposal_detail, name="proposal"),
    path(f"{P}<int:decision_id>/position/", views.position, name="position"),
    path(f"{P}<int:decision_id>/revise/", views.revise, name="revise"),
    path(f"{P}<int:decision_id>/close/", views.close, name="close"),
    path(f"{P}<int:decision_id>/file/", views.file_proposal, name="file"),
]
