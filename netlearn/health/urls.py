from django.urls import path

from . import views

app_name = "health"
P = "n/<slug:network_slug>/health/"
S = f"{P}surveys/<int:survey_id>/"
urlpatterns = [
    path(P, views.overview, name="overview"),
    path(f"{P}judge/", views.judge, name="judge"),
    path(f"{P}map/", views.collaboration_map, name="map"),
    path(f"{P}engagement/", views.engagement_page, name="engagement"),
    path(f"{P}engagement.csv", views.engagement_csv, name="engagement_csv"),
    path(f"{P}map.csv", views.collaboration_map_csv, name="map_csv"),
    path(f"{P}map.graphml", views.collaboration_map_graphml, name="map_graphml"),
    path(f"{P}surveys/", views.surveys, name="surveys"),
    path(f"{P}surveys/new/", views.new_survey, name="new"),
    path(S, views.survey_page, name="survey"),
    path(f"{S}results/", views.survey_results, name="results"),
    path(f"{S}results.csv", views.survey_results_csv, name="results_csv"),
    path(f"{S}close/", views.close, name="close"),
    path(f"{S}remind/", views.remind, name="remind"),
]
