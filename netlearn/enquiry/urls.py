from django.urls import path

from . import views

app_name = "enquiry"
network = "n/<slug:network_slug>/"
enquiry = network + "enquiry/<int:enquiry_id>/"
lesson = enquiry + "lessons/<int:lesson_id>/"
urlpatterns = [
    path(network + "enquiry/", views.overview, name="overview"),
    path(network + "enquiry/new/", views.start_enquiry, name="start"),
    path(enquiry, views.enquiry_detail, name="detail"),
    path(enquiry + "edit/", views.edit_enquiry, name="edit"),
    path(enquiry + "pupils/", views.add_case_pupil, name="add_case_pupil"),
    path(enquiry + "lessons/new/", views.plan_lesson, name="plan_lesson"),
    path(lesson, views.lesson_detail, name="lesson"),
    path(lesson + "observe/", views.observe, name="observe"),
    path(lesson + "discussion/", views.discussion, name="discussion"),
    path(enquiry + "spiral/", views.add_spiral_entry, name="add_spiral_entry"),
    path(enquiry + "cycles/", views.add_cycle, name="add_cycle"),
    path(enquiry + "cycles/<int:cycle_id>/", views.update_cycle, name="update_cycle"),
    path(enquiry + "data/", views.add_data_point, name="add_data_point"),
    path(enquiry + "parts/", views.add_sub_question, name="add_sub_question"),
    path(enquiry + "parts/<int:part_id>/", views.record_findings, name="record_findings"),
    path(enquiry + "review/", views.combined_review, name="combined_review"),
    path(enquiry + "evidence/", views.add_attachment, name="add_attachment"),
    path(enquiry + "evidence/<int:attachment_id>/", views.attachment, name="attachment"),
    path(enquiry + "account/", views.write_account, name="write_account"),
    path("accounts/shared/", views.shared_accounts, name="shared"),
    path(network + "accounts/", views.accounts, name="accounts"),
    path(network + "accounts/<int:account_id>/", views.account_detail, name="account"),
    path(network + "accounts/<int:account_id>/review/", views.review_account, name="review"),
    path(network + "accounts/<int:account_id>/publish/", views.publish_account, name="publish"),
]
