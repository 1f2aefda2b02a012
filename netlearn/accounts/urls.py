from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("me/", views.profile, name="profile"),
    path("language/", views.set_language, name="set_language"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("me/tokens/", views.create_token, name="create_token"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("me/sessions/<int:session_id>/end/", views.end_session, name="end_session"),
    path("me/sessions/end-all/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("me/data/", views.my_data, name="my_data"),
    path("people/<int:person_id>/data/", views.person_data, name="person_data"),
    path("people/<int:person_id>/erase/", views.erase_person, name="erase_person"),
]
