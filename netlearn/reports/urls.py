from django.urls import path

from . import views

app_name = "reports"
P = "n/<slug:network_slug>/reports/"
W = "n/<slug:network_slug>/writing-days/<int:writing_day_id>/"
urlpatterns = [
    path(P, views.report_list, name="list"),
    path(f"{P}new/", views.create, name="create"),
    path(f"{P}<int:progress_report_id>/", views.detail, name="detail"),
    path(f"{P}<int:progress_report_id>/narrative/", views.edit_narrative, name="edit"),
    path(f"{P}<int:progress_report_id>/submit/", views.submit, name="submit"),
    path(f"{P}<int:progress_report_id>/publish/", views.publish, name="publish"),
    path(f"{P}<int:progress_report_id>/revise/", views.revise, name="revise"),
    path(f"{P}<int:progress_report_id>/report.pdf", views.report_pdf, name="pdf"),
    path(f"{P}<int:progress_report_id>/report.xlsx", views.report_xlsx, name="xlsx"),
    path(W, views.writing_day, name="writing_day"),
    path(f"{W}compilation.pdf", views.writing_day_pdf, name="writing_day_pdf"),
    path(f"{W}accounts/", views.link_account, name="link_account"),
]
