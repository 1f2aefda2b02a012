from django.urls import path

from . import views

app_name = "impact"
N = "n/<slug:network_slug>/impact/"
D = "impact/datasets/<int:impact_dataset_id>/"
R = "impact/runs/<int:impact_run_id>/"
P = "impact/imports/<int:impact_pending_id>/"
urlpatterns = [
    path(N, views.overview, name="overview"),
    path(f"{N}import/", views.upload, name="upload"),
    path(f"{N}measures/new/", views.define_measure, name="define_measure"),
    path(f"{N}goals/", views.goals, name="goals"),
    path(f"{N}value-added/", views.value_added, name="value_added"),
    path(f"{N}value-added.svg", views.value_added_svg, name="value_added_svg"),
    path(P, views.mapping, name="mapping"),
    path(f"{P}discard/", views.discard, name="discard"),
    path(D, views.dataset, name="dataset"),
    path(f"{D}scatter.svg", views.scatter_svg, name="scatter_svg"),
    path(f"{D}trend.svg", views.trend_svg, name="trend_svg"),
    path(f"{D}schools.csv", views.schools_csv, name="schools_csv"),
    path(f"{D}trend.csv", views.trend_csv, name="trend_csv"),
    path(f"{D}records/", views.records, name="records"),
    path(f"{D}runs/new/", views.request_run, name="request_run"),
    path(R, views.run, name="run"),
    path(f"{R}effects.svg", views.effects_svg, name="effects_svg"),
    path(f"{R}effects.csv", views.effects_csv, name="effects_csv"),
]
