from django.urls import path

from . import views

app_name = "golden_thread"
urlpatterns = [
    path(
        "n/<slug:network_slug>/charter/foci/<int:focus_id>/thread/",
        views.focus_thread,
        name="focus",
    ),
]
