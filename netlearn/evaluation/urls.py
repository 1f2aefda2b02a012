from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.create_programme, name="create"),
    path("programmes/<slug:programme_slug>/", views.programme_detail, name="detail"),
    path("programmes/<slug:programme_slug>/invite/", views.invite, name="invite"),
    path("programmes/<slug:programme_slug>/evaluators/", views.appoint, name="appoint"),
    path("n/<slug:network_slug>/programmes/", views.network_programmes, name="network_programmes"),
    path(
        "n/<slug:network_slug>/programmes/<int:programme_membership_id>/consent/",
        views.consent,
        name="consent",
    ),
    path(
        "n/<slug:network_slug>/programmes/<int:programme_membership_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
]
