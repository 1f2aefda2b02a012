from django.urls import path

from . import views

app_name = "library"
N = "n/<slug:network_slug>/library/"
R = "library/resources/<int:resource_id>/"
urlpatterns = [
    path(N, views.library, name="library"),
    path(f"{N}new/", views.add_resource, name="add"),
    path(f"{N}settings/", views.library_settings, name="settings"),
    path(f"{N}library.csv", views.export_csv, name="export"),
    path(R, views.resource_detail, name="resource"),
    path(f"{R}edit/", views.edit_resource, name="edit"),
    path(f"{R}files/new/", views.add_file, name="add_file"),
    path(f"{R}files/<int:file_id>/", views.download, name="download"),
    path(f"{R}trials/new/", views.record_trial, name="trial"),
    path(f"{R}curate/", views.curate, name="curate"),
    path("library/public/", views.public_catalogue, name="public"),
    path("library/public/<int:resource_id>/", views.public_resource, name="public_resource"),
    path(
        "library/public/<int:resource_id>/files/<int:file_id>/",
        views.public_download,
        name="public_download",
    ),
]
