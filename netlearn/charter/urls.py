from django.urls import path

from . import views

app_name = "charter"
P = "n/<slug:network_slug>/charter/"
urlpatterns = [
    path(P, views.charter_detail, name="detail"),
    path(f"{P}edit/", views.edit_charter, name="edit"),
    path(f"{P}print/", views.print_charter, name="print"),
    path(f"{P}charter.pdf", views.charter_pdf, name="pdf"),
    path(f"{P}history/", views.history, name="history"),
    path(f"{P}foci/new/", views.add_focus, name="add_focus"),
    path(f"{P}foci/<int:focus_id>/", views.focus_detail, name="focus"),
    path(f"{P}foci/<int:focus_id>/edit/", views.edit_focus, name="edit_focus"),
    path(f"{P}foci/<int:focus_id>/drop/", views.drop_focus, name="drop_focus"),
    path(f"{P}foci/<int:focus_id>/goals/new/", views.add_goal, name="add_goal"),
    path(f"{P}goals/<int:goal_id>/edit/", views.edit_goal, name="edit_goal"),
    path(f"{P}goals/<int:goal_id>/drop/", views.drop_goal, name="drop_goal"),
    path(f"{P}goals/<int:goal_id>/progress/", views.add_progress, name="add_progress"),
    path(f"{P}progress/<int:entry_id>/evidence/", views.evidence, name="evidence"),
    path(f"{P}commitments/new/", views.add_commitment, name="add_commitment"),
    path(
        f"{P}commitments/<int:commitment_id>/edit/", views.edit_commitment, name="edit_commitment"
    ),
    path(
        f"{P}commitments/<int:commitment_id>/remove/",
        views.remove_commitment,
        name="remove_commitment",
    ),
    path(f"{P}versions/<int:version_id>/", views.version_detail, name="version"),
    path(f"{P}versions/<int:version_id>/propose/", views.propose, name="propose"),
    path(f"{P}versions/<int:version_id>/sign-off/", views.sign_off, name="sign_off"),
]
