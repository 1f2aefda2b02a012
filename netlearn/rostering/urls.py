from django.urls import path

from . import views

app_name = "rostering"
urlpatterns = [
    path("schools/<int:school_id>/roster/", views.import_roster, name="import"),
]
